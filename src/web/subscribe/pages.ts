/**
 * The public pages of `newsdesk serve`, for readers, without login: subscribe
 * (double opt-in), confirm, preferences and unsubscribe (with RFC 8058's
 * one-click POST), and the mail provider's webhooks: bounces and complaints,
 * and the inbound mail to the List-Unsubscribe mailto:.
 * A link from an email proves who it is for by its signed token
 * (src/mail/tokens.ts): no session, no cookie, no CSRF token needed. One
 * encapsulated fastify scope, so its body parsers, rate limit and headers touch
 * neither the Feeds nor the editor pages.
 */
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage, InputError, NewsdeskError } from '../../errors.js';
import { confirmationMailer, subscriptionIntake, type ConfirmationMailer, type SubscriptionIntake } from '../../mail/subscription.js';
import { verifyToken, type TokenPurpose } from '../../mail/tokens.js';
import type { Runtime } from '../../runtime.js';
import { signingSecret } from '../../store/secrets.js';
import { getSubscriber } from '../../store/subscribers.js';
import { PAGE_HEADERS } from '../editor/pages.js';
import { registerInboundUnsubscribe } from './inbound.js';
import { registerLinkPages } from './links.js';
import { registerSubscribe } from './subscribe.js';
import { renderPublicPage } from './views.js';
import { registerMailWebhook } from './webhook.js';
import type { Subscriber } from '../../mail/subscriber.js';

export interface PublicContext {
  runtime: Runtime;
  mailer: ConfirmationMailer;
  /** Stores subscription requests (and mails their confirmations) after they were answered. */
  intake: SubscriptionIntake;
  /** The key that signs the links in emails, read from the store once. */
  secret(): Promise<string>;
  page(reply: FastifyReply, template: string, data: Record<string, unknown>, code?: number): FastifyReply;
  /** A token's Subscriber, or the refusal to show instead: nothing is changed for a token that fails. */
  tokenSubscriber(token: string, purpose: TokenPurpose): Promise<{ subscriber: Subscriber } | { refusal: Refusal }>;
}

export interface Refusal {
  code: number;
  title: string;
  message: string;
  link?: { href: string; text: string };
}

/**
 * The editor pages' headers: CSP without inline script, no framing, no
 * caching, and `Referrer-Policy: same-origin`. These addresses carry tokens,
 * and same-origin keeps them from every other site all the same. Not
 * `no-referrer`: under it a browser sends `Origin: null` with the form's own
 * POST (Fetch, "serializing a request origin"), and the same-origin check
 * must then refuse our own form along with everybody else's.
 */
const HEADERS = PAGE_HEADERS;

/** Largest form accepted: an address, a name and a few Topics. */
const BODY_LIMIT = 64 * 1024;

export function registerSubscriberPages(app: FastifyInstance, runtime: Runtime): void {
  const mailer = confirmationMailer(runtime.config, runtime.db, runtime.log);
  const intake = subscriptionIntake(runtime.db, mailer, runtime.log);
  let secret: Promise<string> | null = null;

  const context: PublicContext = {
    runtime,
    mailer,
    intake,
    secret() {
      secret ??= signingSecret(runtime.db, runtime.config.secret).catch((error: unknown) => {
        secret = null;
        throw error;
      });
      return secret;
    },
    page(reply, template, data, code = 200) {
      return reply.code(code).type('text/html; charset=utf-8').send(renderPublicPage(runtime.config, template, data));
    },
    async tokenSubscriber(token, purpose) {
      // No token at all: the generic footer links of previews and the web version of an Edition lead here.
      if (token === '') return { refusal: missing };
      const check = verifyToken(token, purpose, await context.secret());
      if (!check.ok) return { refusal: refusals[check.reason] };
      const subscriber = await getSubscriber(runtime.db, check.claims.subscriberId);
      if (!subscriber) return { refusal: { code: 404, title: 'No such subscription', message: 'This link is for a subscription we no longer have.' } };
      return { subscriber };
    },
  };

  app.register(async (scope) => {
    await scope.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
    // RFC 8058 lets a mail client send the one-click POST as multipart/form-data; the platform's own parser reads it.
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, async (request: FastifyRequest, body: Buffer) => {
      let form: FormData;
      try {
        form = await new Response(body, { headers: { 'content-type': request.headers['content-type']! } }).formData();
      } catch (error) {
        throw new InputError('form', request.url.split('?')[0]!, `not valid multipart/form-data: ${errorMessage(error)}`);
      }
      return Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    });
    // Limits only where a route asks for one (the subscribe POSTs).
    await scope.register(fastifyRateLimit, { global: false });
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(HEADERS);
    });
    scope.setErrorHandler(async (error, request, reply) => {
      const status = error instanceof NewsdeskError ? 400 : ((error as { statusCode?: number }).statusCode ?? 500);
      if (status >= 500) runtime.log.error({ err: error, url: request.url.split('?')[0] }, 'public page failed');
      const message = status >= 500 ? 'Something went wrong on our side; please try again later.' : errorMessage(error);
      if (request.url.startsWith('/api/') || request.url.startsWith('/webhooks/')) return reply.code(status).send({ error: message });
      return context.page(reply, 'message', { title: status >= 500 ? 'Error' : 'That did not work', kind: 'error', message }, status);
    });

    registerSubscribe(scope, context);
    registerLinkPages(scope, context);
    const { webhookSecret, unsubscribeMailbox } = runtime.config.mail;
    if (webhookSecret) registerMailWebhook(scope, runtime, webhookSecret);
    // The config refuses a mailbox without the secret; the mailto: in the emails follows the mailbox.
    if (webhookSecret && unsubscribeMailbox) registerInboundUnsubscribe(scope, context, unsubscribeMailbox, webhookSecret);
  });

  app.addHook('onClose', async () => {
    await intake.idle();
    await mailer.close();
  });
}

const missing: Refusal = {
  code: 400,
  title: 'Use the link in your email',
  message: 'This page works with the link in one of our emails: each email has its own links to unsubscribe and to choose your Topics.',
};
const subscribeAgain = { href: '/subscribe', text: 'Subscribe again' };
const foreign: Refusal = {
  code: 403,
  title: 'This link does not work',
  message: 'This link was not made by us, was changed on the way, or is meant for another page. Use the link in one of our emails as it is.',
};

const refusals: Record<'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired', Refusal> = {
  malformed: {
    code: 400,
    title: 'This link is incomplete',
    message: 'The link is missing its token or was cut short. Open it again from the email, or copy the whole address.',
  },
  'bad-signature': foreign,
  'wrong-purpose': foreign,
  expired: {
    code: 410,
    title: 'This link has expired',
    message: 'Confirmation links work for a few days only, and this one is too old. Subscribe again to get a new one.',
    link: subscribeAgain,
  },
};
