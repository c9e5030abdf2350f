/**
 * One Edition email to one Subscriber, as nodemailer sends it: From, To,
 * Subject, the Delivery's own Message-ID, the list headers mailbox providers
 * look for in bulk mail, and the HTML and text parts.
 *
 * - List-Unsubscribe (RFC 2369): ONE header with both ways out, the https link
 *   and the mailto:, `<https://...>, <mailto:...>`. Two headers (what nodemailer
 *   writes for two values in a list) is against RFC 2369 and some providers
 *   then read only one of them. The mailto: only with mail.unsubscribeMailbox,
 *   whose mail our inbound route reads; without it, the https link alone.
 * - List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058): the https link
 *   unsubscribes on a POST without any page, as Gmail and Yahoo require of bulk senders.
 * - List-Id (RFC 2919): `"<site title>" <newsdesk.<site host>>`, so filters and
 *   providers know every Edition as one list.
 *
 * Every value from outside (the editors' subject, the Subscriber's name and
 * address, the links) goes through headerValue: a line break in any of them is
 * refused here, so none can start a header of its own.
 */
import type { SendMailOptions } from 'nodemailer';
import type { Config } from '../config.js';
import type { RenderedEmail } from '../digest/render.js';
import { headerValue } from './address.js';
import type { SubscriberLinks } from './links.js';
import { fromAddress } from './smtp.js';

export interface Recipient {
  email: string;
  name: string | null;
  /** The Delivery's Message-ID, `<...@...>`. */
  messageId: string;
}

/** The list's identifier (RFC 2919 wants a domain-like name the list owner controls). */
export function listId(config: Pick<Config, 'site'>): string {
  return `newsdesk.${new URL(config.site.url).hostname}`;
}

export function editionMessage(config: Pick<Config, 'site' | 'mail'>, email: RenderedEmail, recipient: Recipient, links: SubscriberLinks): SendMailOptions {
  const where = `message to ${recipient.email.slice(0, 80)}`;
  if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(recipient.messageId)) throw new RangeError(`mail: ${where}: Message-ID "${recipient.messageId}" is not <id@host>`);
  const address = headerValue(recipient.email, `${where}: To`);
  const name = recipient.name === null ? null : headerValue(recipient.name, `${where}: To name`);
  const unsubscribe = headerValue(links.unsubscribe, `${where}: List-Unsubscribe`);
  const mailto = links.unsubscribeMailto === null ? null : headerValue(links.unsubscribeMailto, `${where}: List-Unsubscribe`);
  return {
    from: headerValue(fromAddress(config), 'mail: from'),
    to: name ? { name, address } : address,
    subject: headerValue(email.subject, `${where}: Subject`),
    messageId: recipient.messageId,
    // Quoted-printable said outright: nodemailer would otherwise scan all 40 KB per message to choose
    // (half the time it spends on one), and base64 text looks like hiding to spam filters.
    html: { content: email.html, contentTransferEncoding: 'quoted-printable' },
    text: { content: email.text, contentTransferEncoding: 'quoted-printable' },
    list: {
      // A list inside the list: nodemailer writes the inner values into ONE header, comma-separated.
      unsubscribe: mailto ? [[unsubscribe, mailto]] : unsubscribe,
      id: { url: listId(config), comment: headerValue(config.site.title, 'mail: List-Id') },
    },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
