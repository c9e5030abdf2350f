/**
 * The links in emails (src/mail/links.ts): a confirmation link stops working
 * CONFIRM_HOURS after it was made; unsubscribe and preferences links never
 * expire (old emails must still let readers out), and each link's token works
 * only for its own page. The mailto: exists only with mail.unsubscribeMailbox,
 * and names an address whose token says whom it unsubscribes.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { CONFIRM_HOURS, confirmLink, mailboxTokens, subscriberLinks } from '../../../src/mail/links.js';
import { verifyMailboxToken, verifyToken } from '../../../src/mail/tokens.js';

const config = loadConfig('newsdesk.yaml', {});
const SECRET = 'a-link-signing-secret-of-32-characters!';
const ID = '0b0e0c6e-7d9f-4a52-9d59-0d6c5d0e6a01';
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
const hours = (from: Date, n: number) => new Date(from.getTime() + n * 3600_000);

describe('the links in emails', () => {
  it('make a confirmation link that works for CONFIRM_HOURS and no longer', () => {
    const made = new Date('2026-11-20T10:00:00Z');
    const token = tokenOf(confirmLink(config, SECRET, ID, made));
    expect(verifyToken(token, 'confirm', SECRET, hours(made, CONFIRM_HOURS - 1))).toEqual({
      ok: true,
      claims: { purpose: 'confirm', subscriberId: ID, expires: Math.floor(made.getTime() / 1000) + CONFIRM_HOURS * 3600 },
    });
    expect(verifyToken(token, 'confirm', SECRET, hours(made, CONFIRM_HOURS + 1))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(token, 'unsubscribe', SECRET, made)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('make unsubscribe and preferences links that never expire and work only for their page', () => {
    const links = subscriberLinks(config, SECRET, ID);
    const years = new Date('2036-01-01T00:00:00Z');
    expect(verifyToken(tokenOf(links.unsubscribe), 'unsubscribe', SECRET, years)).toEqual({ ok: true, claims: { purpose: 'unsubscribe', subscriberId: ID } });
    expect(verifyToken(tokenOf(links.preferences), 'preferences', SECRET, years)).toEqual({ ok: true, claims: { purpose: 'preferences', subscriberId: ID } });
    expect(verifyToken(tokenOf(links.preferences), 'unsubscribe', SECRET)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifyToken(tokenOf(links.unsubscribe), 'confirm', SECRET)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('offer no mailto: without mail.unsubscribeMailbox: nothing would read the mail', () => {
    expect(config.mail.unsubscribeMailbox).toBeUndefined();
    expect(subscriberLinks(config, SECRET, ID).unsubscribeMailto).toBeNull();
  });

  it('with a mailbox, offer a mailto: whose address carries the Subscriber\'s token and fits a local part', () => {
    const withBox = { ...config, mail: { ...config.mail, unsubscribeMailbox: 'unsubscribe@news.example.org' } };
    const mailto = subscriberLinks(withBox, SECRET, ID).unsubscribeMailto!;
    const address = /^mailto:([^?]+)\?subject=unsubscribe$/.exec(mailto)?.[1];
    expect(address, mailto).toMatch(/^unsubscribe\+[0-9a-f]{48}@news\.example\.org$/);
    expect(address!.split('@')[0]!.length).toBeLessThanOrEqual(64);
    const [token] = mailboxTokens(address!, 'unsubscribe@news.example.org');
    expect(verifyMailboxToken(token!, SECRET)).toBe(ID);
  });

  it('find the mailbox tokens among the addresses of a recipient field, whatever the case, and only at the mailbox', () => {
    const token = 'ab'.repeat(24);
    const box = 'unsubscribe@news.example.org';
    expect(mailboxTokens(`"Desk, News" <Unsubscribe+${token.toUpperCase()}@News.Example.ORG>, ana@example.org`, box)).toEqual([token]);
    expect(mailboxTokens(`list: unsubscribe+${token}@news.example.org;`, box)).toEqual([token]);
    expect(mailboxTokens(`unsubscribe@news.example.org, other+${token}@news.example.org`, box)).toEqual([]);
    expect(mailboxTokens(`unsubscribe+${token}@news.example.org.evil.example, xunsubscribe+${token}@news.example.org`, box)).toEqual([]);
  });
});
