/**
 * The links in an email that act for one Subscriber without a login: each
 * carries a signed token (src/mail/tokens.ts). `unsubscribe` serves both the
 * page with one button (GET) and RFC 8058's one-click POST. The mailto: of
 * List-Unsubscribe exists only with mail.unsubscribeMailbox, whose mail the
 * provider posts to our inbound route (src/web/subscribe/inbound.ts): the
 * address itself carries the token, `unsubscribe+<token>@host`, so the route
 * reads it from the recipient, whatever the subject or body say.
 */
import addressparser from 'nodemailer/lib/addressparser';
import type { Config } from '../config.js';
import { signMailboxToken, signToken } from './tokens.js';

export interface SubscriberLinks {
  unsubscribe: string;
  preferences: string;
  /** mailto: for List-Unsubscribe (RFC 2369), for mail clients that only mail; null without mail.unsubscribeMailbox (nothing would read it). */
  unsubscribeMailto: string | null;
}

/** How long a confirmation link works. Unsubscribe and preferences links never expire: old emails must still work. */
export const CONFIRM_HOURS = 72;

export function siteBase(config: Pick<Config, 'site'>): string {
  return config.site.url.replace(/\/+$/, '');
}

export function subscriberLinks(config: Pick<Config, 'site' | 'mail'>, secret: string, subscriberId: string): SubscriberLinks {
  const base = siteBase(config);
  const mailbox = config.mail.unsubscribeMailbox;
  return {
    unsubscribe: `${base}/unsubscribe?token=${signToken({ purpose: 'unsubscribe', subscriberId }, secret)}`,
    preferences: `${base}/preferences?token=${signToken({ purpose: 'preferences', subscriberId }, secret)}`,
    unsubscribeMailto: mailbox ? `mailto:${tokenAddress(mailbox, signMailboxToken(subscriberId, secret))}?subject=unsubscribe` : null,
  };
}

/** `box@host` with a token: `box+<token>@host` (subaddressing, RFC 5233). */
export function tokenAddress(mailbox: string, token: string): string {
  const at = mailbox.lastIndexOf('@');
  return `${mailbox.slice(0, at)}+${token}@${mailbox.slice(at + 1)}`;
}

/**
 * The tokens of the addresses at the mailbox among a recipient field's
 * addresses (`"Ana" <unsubscribe+<token>@host>, b@example.org`, parsed by
 * nodemailer's addressparser), lowercased: a mail system may change the case
 * of an address, and hosts have none.
 */
export function mailboxTokens(field: string, mailbox: string): string[] {
  const at = mailbox.lastIndexOf('@');
  const prefix = `${mailbox.slice(0, at).toLowerCase()}+`;
  const host = mailbox.slice(at + 1).toLowerCase();
  return addressparser(field, { flatten: true }).flatMap(({ address }) => {
    const lower = address.toLowerCase();
    const split = lower.lastIndexOf('@');
    const local = lower.slice(0, split);
    return lower.slice(split + 1) === host && local.startsWith(prefix) ? [local.slice(prefix.length)] : [];
  });
}

export function confirmLink(config: Pick<Config, 'site'>, secret: string, subscriberId: string, now: Date = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + CONFIRM_HOURS * 3600;
  return `${siteBase(config)}/confirm?token=${signToken({ purpose: 'confirm', subscriberId, expires }, secret)}`;
}
