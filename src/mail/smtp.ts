/**
 * Adapter: the SMTP connection from config (`mail.smtpUrl`, env
 * NEWSDESK_SMTP_URL): nodemailer's pooled transport, a few connections kept open
 * and reused, as a bulk sender needs. Rate and retries are the sender's
 * business (src/mail/), not the transport's.
 *
 * Every email newsdesk sends goes through this transport (Editions, the
 * review page's test sends, confirmation emails), so with `mail.dkim` set
 * nodemailer signs each one here (DKIM, RFC 6376: rsa-sha256, relaxed/relaxed).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';

export function smtpTransport(mail: Config['mail']): Transporter {
  if (!mail.smtpUrl) throw new NewsdeskError('usage', 'mail: no SMTP server to send through (set mail.smtpUrl or NEWSDESK_SMTP_URL, e.g. smtp://user:pass@host:587)');
  const url = new URL(mail.smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new NewsdeskError('usage', `mail: smtpUrl: expected smtp:// or smtps://, got ${url.protocol}//`);
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    // `?tls=off`: plain SMTP to a local catcher (Mailpit, tests); otherwise STARTTLS is required where offered.
    ...(url.searchParams.get('tls') === 'off' ? { ignoreTLS: true } : {}),
    pool: true,
    maxConnections: mail.connections,
    maxMessages: 1000,
    ...(mail.dkim ? { dkim: { domainName: mail.dkim.domain, keySelector: mail.dkim.selector, privateKey: mail.dkim.privateKey, headerFieldNames: SIGNED_HEADERS } } : {}),
  });
}

/**
 * The header fields the signature covers (those a message has). nodemailer's
 * default list lacks List-Unsubscribe-Post, and RFC 8058 section 4 asks that the
 * signature cover it with List-Unsubscribe: mailbox providers only offer
 * one-click unsubscribe when both are signed. Auto-Submitted marks the
 * confirmation email as automatic (RFC 3834); signed so it cannot be stripped.
 */
const SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References',
  'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding',
  'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted',
].join(':');

/** The From header from config, or the site's title at the site's host. */
export function fromAddress(config: Pick<Config, 'mail' | 'site'>): string {
  if (config.mail.from) return config.mail.from;
  return `"${config.site.title.replaceAll('"', '')}" <newsletter@${new URL(config.site.url).hostname}>`;
}
