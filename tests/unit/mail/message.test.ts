import { describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { loadConfig } from '../../../src/config.js';
import { editionMessage } from '../../../src/mail/message.js';
import { deliveryMessageId } from '../../../src/store/deliveries.js';

const config = loadConfig('newsdesk.yaml', {});
const email = { subject: 'The week', preheader: '', html: '<p>Hello</p>', text: 'Hello' };
const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=abc.def',
  preferences: 'https://news.example.org/preferences?token=ghi.jkl',
  unsubscribeMailto: 'mailto:unsubscribe+0123abcd@news.example.org?subject=unsubscribe' as string | null,
};
const recipient = { email: 'ana@example.org', name: 'Ana', messageId: deliveryMessageId('2026-W47', '0b0e0c6e-7d9f-4a52-9d59-0d6c5d0e6a01', 'news.example.org') };

async function headers(options: ReturnType<typeof editionMessage>): Promise<string[]> {
  // A stream transport: nodemailer builds the message exactly as for SMTP, list headers included, and hands it back.
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(options);
  const raw = (info.message as Buffer).toString();
  return raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

describe('the Edition email', () => {
  it('has one List-Unsubscribe with both links, the one-click header, List-Id and the Delivery\'s Message-ID', async () => {
    const lines = await headers(editionMessage(config, email, recipient, links));
    expect(lines.filter((l) => /^list-unsubscribe:/i.test(l))).toEqual([
      'List-Unsubscribe: <https://news.example.org/unsubscribe?token=abc.def>, <mailto:unsubscribe+0123abcd@news.example.org?subject=unsubscribe>',
    ]);
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines).toContain('List-ID: "North Korean Refugees News Desk" <newsdesk.news.example.org>');
    expect(lines).toContain('Message-ID: <edition-2026-W47.0b0e0c6e-7d9f-4a52-9d59-0d6c5d0e6a01@news.example.org>');
    expect(lines).toContain('To: Ana <ana@example.org>');
  });

  it('offers the https link alone when there is no mailto: (no mailbox is read)', async () => {
    const lines = await headers(editionMessage(config, email, recipient, { ...links, unsubscribeMailto: null }));
    expect(lines.filter((l) => /^list-unsubscribe:/i.test(l))).toEqual(['List-Unsubscribe: <https://news.example.org/unsubscribe?token=abc.def>']);
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('refuses a line break in anything bound for a header', () => {
    expect(() => editionMessage(config, { ...email, subject: 'Hi\r\nBcc: all@example.org' }, recipient, links)).toThrow('header: message to ana@example.org: Subject: contains a line break');
    expect(() => editionMessage(config, email, { ...recipient, name: 'Ana\nBcc: x@example.org' }, links)).toThrow('To name: contains a line break');
    expect(() => editionMessage(config, email, recipient, { ...links, unsubscribe: 'https://x/\r\nBcc: y' })).toThrow('List-Unsubscribe: contains a line break');
    expect(() => editionMessage(config, email, { ...recipient, messageId: 'no-brackets@x' }, links)).toThrow('is not <id@host>');
  });
});
