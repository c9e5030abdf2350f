/**
 * `POST /webhooks/inbound`: mail sent to the List-Unsubscribe mailto:, as the
 * mail provider's inbound route posts it to us. There only when
 * mail.unsubscribeMailbox is set (which needs mail.webhookSecret); the emails
 * offer the mailto: only then (src/mail/links.ts).
 *
 * Authenticated with mail.webhookSecret, before the body is read:
 * `Authorization: Bearer <secret>`, or HTTP Basic with the secret as the
 * password and any user name, which is what a provider sends for a URL with
 * credentials (`https://newsdesk:<secret>@news.example.org/webhooks/inbound`).
 *
 * The shapes it reads, recipient fields only (subject and body never):
 * - JSON as Postmark's inbound webhook posts it: `OriginalRecipient`, `To`,
 *   `Cc`, `Bcc`, and `ToFull` / `CcFull` / `BccFull` [{"Email"}];
 * - urlencoded or multipart form fields as a Mailgun route's forward() posts
 *   them (`recipient`, the `To` and `Cc` headers), and multipart as SendGrid's
 *   Inbound Parse posts it (`envelope` = {"to": [...]}, `to`, `cc`). The
 *   public pages' multipart parser (the platform's FormData) reads it: no
 *   multipart dependency.
 *
 * Every recipient of the form `<box>+<token>@<host>` whose mailbox token
 * (src/mail/tokens.ts) is valid unsubscribes its Subscriber, as the one-click
 * POST does; a token that fails, or names a Subscriber we no longer have,
 * changes nothing. Answers 200 with `{"unsubscribed", "alreadyUnsubscribed",
 * "refused"}`, also for mail naming no such address (spam to the mailbox), so
 * the provider does not send it again; 400 for a body of none of these shapes;
 * 401 without the secret.
 */
import type { FastifyInstance } from 'fastify';
import { mailboxTokens } from '../../mail/links.js';
import { verifyMailboxToken } from '../../mail/tokens.js';
import { getSubscriber, suppress } from '../../store/subscribers.js';
import { basicAuthMatches } from '../admin.js';
import type { PublicContext } from './pages.js';
import { bearerMatches } from './webhook.js';

/** Largest post taken: a provider posts the whole mail, attachments too; a mail to unsubscribe is short. */
export const INBOUND_BODY_LIMIT = 10 * 1024 * 1024;
/** Most mailbox addresses read from one mail. */
const MAX_TOKENS = 20;

const POSTMARK_FIELDS = ['OriginalRecipient', 'To', 'Cc', 'Bcc'];
const POSTMARK_LISTS = ['ToFull', 'CcFull', 'BccFull'];
const FORM_FIELDS = ['recipient', 'to', 'cc'];

export interface InboundCounts {
  unsubscribed: number;
  alreadyUnsubscribed: number;
  /** Addresses at the mailbox whose token failed, or named a Subscriber we no longer have. */
  refused: number;
}

/** The recipient fields of an inbound-parse post, as texts of addresses; null when the body is none of the shapes above. */
export function recipientFields(body: unknown): string[] | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const post = body as Record<string, unknown>;
  if (![...POSTMARK_FIELDS, ...POSTMARK_LISTS, ...FORM_FIELDS, 'envelope'].some((key) => key in post)) return null;
  const texts: string[] = [];
  const add = (value: unknown) => {
    for (const one of [value].flat()) if (typeof one === 'string') texts.push(one);
  };
  for (const key of [...POSTMARK_FIELDS, ...FORM_FIELDS]) add(post[key]);
  for (const key of POSTMARK_LISTS) {
    const list = post[key];
    if (Array.isArray(list)) for (const entry of list) add((entry as { Email?: unknown } | null)?.Email);
  }
  if (typeof post.envelope === 'string') {
    try {
      add((JSON.parse(post.envelope) as { to?: unknown } | null)?.to);
    } catch {
      // Not JSON: the other fields still name the recipients.
    }
  }
  return texts;
}

export function registerInboundUnsubscribe(scope: FastifyInstance, context: PublicContext, mailbox: string, secret: string): void {
  const { db, log } = context.runtime;
  scope.post('/webhooks/inbound', {
    bodyLimit: INBOUND_BODY_LIMIT,
    onRequest: async (request, reply) => {
      if (bearerMatches(request.headers.authorization, secret) || basicAuthMatches(request.headers.authorization, secret)) return;
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="newsdesk inbound mail"')
        .send({ error: 'inbound: wrong or missing credentials: Basic auth with mail.webhookSecret as the password, or Authorization: Bearer <mail.webhookSecret>' });
    },
    handler: async (request, reply) => {
      const fields = recipientFields(request.body);
      if (!fields) {
        return reply.code(400).send({
          error: 'inbound: expected an inbound-parse post: JSON with OriginalRecipient / ToFull (Postmark), or form fields recipient / envelope / to (Mailgun, SendGrid)',
        });
      }
      const tokens = [...new Set(fields.flatMap((field) => mailboxTokens(field, mailbox)))].slice(0, MAX_TOKENS);
      const counts: InboundCounts = { unsubscribed: 0, alreadyUnsubscribed: 0, refused: 0 };
      const key = await context.secret();
      for (const token of tokens) {
        const id = verifyMailboxToken(token, key);
        const subscriber = id ? await getSubscriber(db, id) : undefined;
        if (!subscriber) {
          counts.refused += 1;
        } else if (subscriber.status === 'unsubscribed' || subscriber.status === 'bounced' || subscriber.status === 'complained') {
          // Already suppressed: the first reason stays.
          counts.alreadyUnsubscribed += 1;
        } else {
          await suppress(db, subscriber.email, 'unsubscribed', 'mailto');
          log.info({ subscriber: subscriber.id, how: 'mailto' }, 'subscriber unsubscribed');
          counts.unsubscribed += 1;
        }
      }
      // Counts only: neither addresses nor tokens in the log.
      log.info(counts, 'inbound: unsubscribe mail read');
      return reply.send(counts);
    },
  });
}
