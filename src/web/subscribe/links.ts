/**
 * The pages behind the links in our emails, each proven by its signed token:
 *
 * - `GET /confirm?token=`: double opt-in's second step (the token expires): a
 *   page with one button, as for unsubscribing (a scanner opening the link is
 *   not consent); `POST /confirm` (token in the form) confirms.
 * - `GET /preferences?token=`, `POST /preferences` (token in a hidden field):
 *   the Topics a Subscriber wants; none ticked means every section.
 * - `GET /unsubscribe?token=`: a page with one button, and nothing else: link
 *   scanners and previews open every link in an email, so a GET never
 *   unsubscribes. `POST /unsubscribe`: the button (token in the form) and RFC
 *   8058's one-click POST (token in the address, body
 *   `List-Unsubscribe=One-Click`, urlencoded or multipart), which gets a plain
 *   200 and no redirect, as the RFC asks.
 *
 * A token that fails (forged, altered, another purpose, expired) gets a page
 * saying so, and nothing changes.
 */
import type { FastifyInstance } from 'fastify';
import { InputError } from '../../errors.js';
import { subscriberLinks } from '../../mail/links.js';
import { confirmSubscriber, setTopics, suppress } from '../../store/subscribers.js';
import { field, fields } from '../editor/forms.js';
import type { PublicContext, Refusal } from './pages.js';
import type { Subscriber } from '../../mail/subscriber.js';

const isSuppressed = (subscriber: Subscriber) => subscriber.status === 'unsubscribed' || subscriber.status === 'bounced' || subscriber.status === 'complained';

const UNSUBSCRIBED = {
  title: 'You are unsubscribed',
  kind: 'ok',
  message: 'This address gets no more email from us.',
};

export function registerLinkPages(scope: FastifyInstance, context: PublicContext): void {
  const { runtime } = context;
  const { db, config } = runtime;
  const topics = runtime.taxonomy.topics.map((topic) => ({ slug: topic.slug, label: topic.label }));
  const refuse = (reply: Parameters<PublicContext['page']>[0], refusal: Refusal) =>
    context.page(reply, 'message', { title: refusal.title, kind: 'error', message: refusal.message, link: refusal.link }, refusal.code);

  scope.get('/confirm', async (request, reply) => {
    const token = field(request.query, 'token');
    const found = await context.tokenSubscriber(token, 'confirm');
    if ('refusal' in found) return refuse(reply, found.refusal);
    if (isSuppressed(found.subscriber)) return context.page(reply, 'message', UNSUBSCRIBED);
    if (found.subscriber.status === 'confirmed') return confirmedPage(reply, found.subscriber);
    return context.page(reply, 'confirm', { title: 'Confirm your subscription', email: found.subscriber.email, token });
  });

  scope.post('/confirm', async (request, reply) => {
    const found = await context.tokenSubscriber(field(request.body, 'token'), 'confirm');
    if ('refusal' in found) return refuse(reply, found.refusal);
    if (isSuppressed(found.subscriber)) return context.page(reply, 'message', UNSUBSCRIBED);
    const subscriber = (await confirmSubscriber(db, found.subscriber.id))!;
    if (found.subscriber.status === 'pending') runtime.log.info({ subscriber: subscriber.id }, 'subscriber confirmed');
    return confirmedPage(reply, subscriber);
  });

  async function confirmedPage(reply: Parameters<PublicContext['page']>[0], subscriber: Subscriber) {
    const { preferences } = subscriberLinks(config, await context.secret(), subscriber.id);
    return context.page(reply, 'message', {
      title: 'You are subscribed',
      kind: 'ok',
      // Without an SMTP server (a confirmation link handed on by `subscribers add`), promise no email yet.
      message: context.mailer.configured
        ? `Thank you: ${subscriber.email} gets the weekly email from now on. Every email has a link to change your Topics or to unsubscribe.`
        : `Thank you: ${subscriber.email} is subscribed, and gets the weekly email once this site sends email.`,
      link: { href: preferences, text: 'Choose your Topics' },
    });
  }

  async function preferencesPage(reply: Parameters<PublicContext['page']>[0], token: string, saved: boolean) {
    const found = await context.tokenSubscriber(token, 'preferences');
    if ('refusal' in found) return refuse(reply, found.refusal);
    const { subscriber } = found;
    if (isSuppressed(subscriber)) return context.page(reply, 'message', UNSUBSCRIBED);
    const { unsubscribe } = subscriberLinks(config, await context.secret(), subscriber.id);
    return context.page(reply, 'preferences', { title: 'Your Topics', email: subscriber.email, token, topics, chosen: subscriber.topics, unsubscribe, saved });
  }

  scope.get('/preferences', async (request, reply) => preferencesPage(reply, field(request.query, 'token'), false));

  scope.post('/preferences', async (request, reply) => {
    const token = field(request.body, 'token');
    const found = await context.tokenSubscriber(token, 'preferences');
    if ('refusal' in found) return refuse(reply, found.refusal);
    if (isSuppressed(found.subscriber)) return context.page(reply, 'message', UNSUBSCRIBED);
    const chosen = fields(request.body, 'topics');
    const known = new Set(topics.map((topic) => topic.slug));
    const unknown = chosen.filter((slug) => !known.has(slug));
    if (unknown.length > 0) throw new InputError('preferences', 'topics', `not one of our Topics: ${unknown.join(', ')}`);
    await setTopics(db, found.subscriber.id, chosen);
    return preferencesPage(reply, token, true);
  });

  scope.get('/unsubscribe', async (request, reply) => {
    const token = field(request.query, 'token');
    const found = await context.tokenSubscriber(token, 'unsubscribe');
    if ('refusal' in found) return refuse(reply, found.refusal);
    if (isSuppressed(found.subscriber)) return context.page(reply, 'message', UNSUBSCRIBED);
    return context.page(reply, 'unsubscribe', { title: 'Unsubscribe', email: found.subscriber.email, token });
  });

  scope.post('/unsubscribe', async (request, reply) => {
    const oneClick = field(request.body, 'List-Unsubscribe') === 'One-Click';
    const found = await context.tokenSubscriber(field(request.query, 'token') || field(request.body, 'token'), 'unsubscribe');
    if ('refusal' in found) {
      if (oneClick) return reply.code(found.refusal.code).type('text/plain; charset=utf-8').send(`unsubscribe: ${found.refusal.message}\n`);
      return refuse(reply, found.refusal);
    }
    const { subscriber } = found;
    // Already suppressed: the first reason stays (a complaint is not turned into an unsubscription).
    if (!isSuppressed(subscriber)) {
      await suppress(db, subscriber.email, 'unsubscribed', oneClick ? 'one-click' : 'page');
      runtime.log.info({ subscriber: subscriber.id, how: oneClick ? 'one-click' : 'page' }, 'subscriber unsubscribed');
    }
    if (oneClick) return reply.code(200).type('text/plain; charset=utf-8').send('unsubscribed\n');
    return context.page(reply, 'message', UNSUBSCRIBED);
  });
}
