/**
 * Subscribing: `GET /subscribe` (the form), `POST /subscribe` (the form) and
 * `POST /api/subscribe` (JSON in, JSON out, for a site's own script or
 * server). Both POSTs count against one limit per client address. Every
 * valid request gets the same answer, whether the address was new, pending,
 * confirmed or suppressed, and whether the email could be sent: nobody learns
 * from it who subscribes. Nor from its timing: every valid request takes the
 * same path, which answers first and only then hands the request to the
 * intake (src/mail/subscription.ts) that stores it and mails the confirmation.
 * Only a malformed request (not an address, a line break in the name, a Topic
 * we do not have) is refused, with a 400 naming it. Without mail.smtpUrl the
 * form says subscribing is closed and both POSTs answer 503, storing nothing:
 * "check your inbox" would promise an email nobody can send.
 *
 * Cross-site posting: the form refuses a browser's POST whose Origin is
 * another site, or `null` (what a sandboxed frame or a data: page sends; our
 * own pages' Referrer-Policy lets the browser name our origin), and logs the
 * refusal with the Origin it had; the JSON endpoint takes application/json only, which another
 * site's page cannot send without a CORS preflight (which we never grant).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { headerValue, parseAddress } from '../../mail/address.js';
import { MAX_NAME } from '../../mail/subscriber.js';
import type { SubscriptionRequest } from '../../mail/subscription.js';
import type { Taxonomy } from '../../tag/taxonomy.js';
import { field, fields } from '../editor/forms.js';
import { sameOrigin } from '../editor/session.js';
import type { PublicContext } from './pages.js';

/** POSTs per client address and hour, form and JSON together: enough for a household behind one address, too few to flood. */
export const SUBSCRIBE_LIMIT = { max: 10, timeWindow: 60 * 60_000 };

/** Without an SMTP server no confirmation email can go out: the pages say so instead of promising one. */
export const CLOSED_MESSAGE = 'Subscribing is closed for now: this site cannot send email yet, so no confirmation link could reach you. Please come back later.';

export const SUBSCRIBED_MESSAGE =
  'Check your inbox: if this address can be subscribed, an email with a confirmation link is on its way. Nothing is sent to you before you confirm.';

const jsonRequest = z.object({
  email: z.string().max(320),
  name: z.string().max(1000).nullish(),
  topics: z.array(z.string().max(100)).max(100).optional(),
});

/** A subscription request as given, checked: the address, the name (no line break: it becomes a header), known Topics. */
export function checkRequest(given: { email: string; name?: string | null; topics?: string[] }, taxonomy: Taxonomy, where: string): Omit<SubscriptionRequest, 'consent'> {
  const email = parseAddress(given.email, `${where}: email`);
  const name = headerValue((given.name ?? '').trim(), `${where}: name`);
  if (name.length > MAX_NAME) throw new InputError('subscribe', `${where}: name`, `longer than ${MAX_NAME} characters`);
  const known = new Set(taxonomy.topics.map((topic) => topic.slug));
  const topics = [...new Set(given.topics ?? [])];
  const unknown = topics.filter((slug) => !known.has(slug));
  if (unknown.length > 0) throw new InputError('subscribe', `${where}: topics`, `not one of our Topics: ${unknown.join(', ')}`);
  return { email, name: name === '' ? null : name, topics };
}

/** For the page: the problem without the technical prefix, e.g. `Name: contains a line break or control character.` */
function forReaders(error: InputError): string {
  const what = /: (email|name|topics)$/.exec(error.input)?.[1] ?? '';
  const label = { email: 'Email address', name: 'Name', topics: 'Topics', '': 'The form' }[what];
  return `${label}: ${error.problem}.`;
}

export function registerSubscribe(scope: FastifyInstance, context: PublicContext): void {
  const { runtime, intake } = context;
  const perAddress = scope.createRateLimit({ ...SUBSCRIBE_LIMIT, keyGenerator: (request) => `subscribe:${request.ip}` });
  const topics = runtime.taxonomy.topics.map((topic) => ({ slug: topic.slug, label: topic.label }));
  const closed = !context.mailer.configured;

  /** True when the client is over the limit; the 429 is then sent. */
  async function limited(request: FastifyRequest, reply: FastifyReply, json: boolean): Promise<boolean> {
    const look = await perAddress(request);
    if (look.isAllowed || !look.isExceeded) return false;
    reply.header('retry-after', String(look.ttlInSeconds));
    const message = `Too many requests from your address: try again in ${Math.ceil(look.ttlInSeconds / 60)} minute(s).`;
    if (json) reply.code(429).send({ error: `subscribe: ${message}` });
    else context.page(reply, 'subscribe', { title: 'Subscribe', topics, error: message }, 429);
    return true;
  }

  /**
   * The one way on for every valid request: the request goes to the intake once
   * the answer has gone ('close': sent, or the client went away), so nothing
   * that differs between addresses (the store's queries, rendering the email,
   * SMTP) runs before it or while it is being written.
   */
  function afterAnswer(reply: FastifyReply, request: Omit<SubscriptionRequest, 'consent'>, consent: string): void {
    reply.raw.once('close', () => intake.take({ ...request, consent }));
  }

  scope.get('/subscribe', async (_request, reply) => context.page(reply, 'subscribe', { title: 'Subscribe', topics, closed, message: closed ? CLOSED_MESSAGE : null }));

  scope.post('/subscribe', async (request, reply) => {
    if (closed) return context.page(reply, 'subscribe', { title: 'Subscribe', topics, closed, message: CLOSED_MESSAGE }, 503);
    if (!sameOrigin(request, runtime.config)) {
      // The browser's Sec-Fetch-Site (page script cannot set it) tells our own page from another site's: our own
      // form refused is a fault to fix (`Origin: null` from a Referrer-Policy, site.url not this host), logged as an
      // error so `serve` shows it at its default level; another site's post is only a warning. Nothing of the form.
      const where = { origin: request.headers.origin?.slice(0, 200), host: request.headers.host?.slice(0, 200), fetchSite: request.headers['sec-fetch-site'] };
      if (where.fetchSite === 'same-origin') runtime.log.error(where, 'subscribe form: refused a POST from our own page: its Origin does not name this host or site.url');
      else runtime.log.warn(where, 'subscribe form: refused a POST from another site');
      return context.page(reply, 'message', { title: 'Not sent', kind: 'error', message: 'The form came from another site. Subscribe on this page instead.', link: { href: '/subscribe', text: 'Subscribe' } }, 403);
    }
    if (await limited(request, reply, false)) return reply;
    const given = { email: field(request.body, 'email'), name: field(request.body, 'name'), topics: fields(request.body, 'topics') };
    let checked: Omit<SubscriptionRequest, 'consent'>;
    try {
      checked = checkRequest(given, runtime.taxonomy, 'subscribe form');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return context.page(reply, 'subscribe', { title: 'Subscribe', topics, error: forReaders(error), email: given.email, name: given.name, chosen: given.topics }, 400);
    }
    afterAnswer(reply, checked, `form ${request.ip}`);
    return context.page(reply, 'subscribe', { title: 'Check your inbox', topics, done: true, message: SUBSCRIBED_MESSAGE });
  });

  scope.post('/api/subscribe', async (request, reply) => {
    if (closed) return reply.code(503).send({ error: `subscribe: ${CLOSED_MESSAGE}` });
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      return reply.code(415).send({ error: 'subscribe: send JSON with Content-Type: application/json' });
    }
    if (await limited(request, reply, true)) return reply;
    const parsed = jsonRequest.safeParse(request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      return reply.code(400).send({ error: `subscribe: expected {"email": "...", "name"?: "...", "topics"?: ["slug"]}: ${problems.join('; ')}` });
    }
    // An InputError reaches the scope's error handler: 400 with its message, e.g. `header: subscribe api: name: contains a line break ...`.
    afterAnswer(reply, checkRequest(parsed.data, runtime.taxonomy, 'subscribe api'), `api ${request.ip}`);
    return reply.code(202).send({ ok: true, message: SUBSCRIBED_MESSAGE });
  });
}
