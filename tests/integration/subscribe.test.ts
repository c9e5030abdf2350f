/**
 * The public subscriber pages and the mail webhook, through the server
 * `newsdesk serve` builds (fastify inject), on PGlite and PostgreSQL, with a
 * real SMTP server in the test process receiving the confirmation emails:
 * double opt-in end to end; one answer for every address; the rate limit;
 * header injection refused; one-click and page unsubscribe; a GET that never
 * unsubscribes; forged, altered, wrong-purpose and expired tokens refused with
 * nothing changed; preferences; the webhook's secret and suppressions.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { signToken } from '../../src/mail/tokens.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addSubscriber, getSuppression, subscriberByEmail } from '../../src/store/subscribers.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const SECRET = 'the-signing-secret-of-this-test-0123456789';
const WEBHOOK = 'webhook-secret-0123456789';
const log = createLogger({ level: 'silent' });

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};

/** The path and query of the link in an email's text part that goes to `page`. */
function linkIn(mail: ParsedMail, page: string): string {
  const link = new RegExp(`https://news\\.example\\.org/${page}\\?token=[A-Za-z0-9_.-]+`).exec(mail.text ?? '')?.[0];
  expect(link, `a /${page} link in the email`).toBeDefined();
  expect(mail.html).toContain(link!);
  const url = new URL(link!);
  return `${url.pathname}${url.search}`;
}

describe.each(['pglite', 'postgres'] as const)('the public subscriber pages (%s)', (store) => {
  const cleanups: (() => Promise<void>)[] = [];
  let inbox: SmtpInbox;
  let runtime: Runtime;
  let app: FastifyInstance;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    const sample = await sampleConfig(store, cleanups);
    const config: Config = { ...sample, secret: SECRET, mail: { ...sample.mail, smtpUrl: inbox.url, webhookSecret: WEBHOOK } };
    runtime = await openRuntime(config, log);
    app = buildServer(runtime);
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await inbox?.close();
    for (const cleanup of cleanups) await cleanup();
  });

  const subscribe = (fields: Record<string, string | string[]>, remoteAddress = '10.1.0.1', headers: Record<string, string> = {}) => {
    const body = form(fields);
    return app.inject({ method: 'POST', url: '/subscribe', payload: body.payload, headers: { ...body.headers, ...headers }, remoteAddress });
  };
  const subscribeJson = (payload: unknown, remoteAddress = '10.1.0.2', contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/subscribe', payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': contentType }, remoteAddress });
  const confirmed = async (email: string) => {
    await addSubscriber(runtime.db, { email, consent: 'test', confirmed: true });
    return (await subscriberByEmail(runtime.db, email))!;
  };
  let settles = 0;
  /** Waits until every subscribe request answered so far is stored: they are stored in order, so once a later one is. */
  const settled = async () => {
    settles += 1;
    const email = `settle-${settles}@example.org`;
    expect((await subscribeJson({ email }, `10.250.0.${settles}`)).statusCode).toBe(202);
    await vi.waitFor(async () => expect(await subscriberByEmail(runtime.db, email)).toBeDefined());
  };
  const token = (purpose: 'confirm' | 'unsubscribe' | 'preferences', subscriberId: string, secret = SECRET, expires?: number) =>
    signToken({ purpose, subscriberId, ...(expires ? { expires } : {}) }, secret);

  it('subscribes an address as pending, mails a confirmation link whose page confirms it with one button (a GET alone does not)', async () => {
    const page = await app.inject({ url: '/subscribe' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/subscribe"');
    expect(page.body).toContain('value="escape"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    // Not no-referrer: the browser would send `Origin: null` with the form's POST, and the form would be refused (tests/e2e/subscriber-path.test.ts).
    expect(page.headers['referrer-policy']).toBe('same-origin');

    const response = await subscribe({ email: ' Ana@Example.org ', name: 'Ana Kim', topics: ['escape', 'women'] });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your inbox');

    // Stored after the answer (tests/integration/subscribe-answer.test.ts), then mailed.
    const mail = await inbox.waitFor('ana@example.org');
    const pending = (await subscriberByEmail(runtime.db, 'ana@example.org'))!;
    expect(pending).toMatchObject({ status: 'pending', name: 'Ana Kim', topics: ['escape', 'women'], consent: 'form 10.1.0.1' });
    expect(mail.subject).toBe('Confirm your subscription to North Korean Refugees News Desk');
    expect(mail.from?.text).toContain('newsletter@news.example.org');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : null).toMatchObject({ name: 'Ana Kim', address: 'ana@example.org' });
    expect(mail.html).toContain('Confirm my subscription');
    expect(mail.text).toContain('12 Example Street');
    // Opening the link (as a mail scanner would) shows the button and confirms nothing.
    const opened = await app.inject({ url: linkIn(mail, 'confirm') });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('<form method="post" action="/confirm"');
    expect(await subscriberByEmail(runtime.db, 'ana@example.org')).toMatchObject({ status: 'pending' });
    const hidden = /name="token" value="([^"]+)"/.exec(opened.body)![1]!;
    const confirm = await app.inject({ method: 'POST', url: '/confirm', ...form({ token: hidden }) });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('You are subscribed');
    expect(confirm.body).toContain('/preferences?token=');
    expect(await subscriberByEmail(runtime.db, 'ana@example.org')).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(Date) });
  });

  it('answers alike for a new, pending, confirmed and suppressed address, and mails a pending one again only after 10 minutes', async () => {
    await confirmed('cai@example.org');
    await addSubscriber(runtime.db, { email: 'dee@example.org', consent: 'test' });
    await runtime.db.query(`update subscribers set updated_at = now() - interval '1 hour' where email = 'dee@example.org'`);
    await runtime.db.query(`insert into suppressions (email, reason) values ('eli@example.org', 'unsubscribed')`);
    const answers = [];
    for (const email of ['bo@example.org', 'bo@example.org', 'cai@example.org', 'eli@example.org']) {
      const response = await subscribe({ email }, '10.1.0.3');
      answers.push([response.statusCode, response.body]);
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const json = [];
    for (const email of ['new-json@example.org', 'cai@example.org', 'eli@example.org', 'dee@example.org']) {
      const response = await subscribeJson({ email }, '10.1.0.3');
      json.push([response.statusCode, response.body]);
    }
    expect(new Set(json.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(json[0]![0]).toBe(202);

    await inbox.waitFor('bo@example.org');
    await inbox.waitFor('new-json@example.org');
    await inbox.waitFor('dee@example.org'); // pending for an hour: due again
    expect(await subscriberByEmail(runtime.db, 'eli@example.org')).toBeUndefined();
    expect(await subscriberByEmail(runtime.db, 'cai@example.org')).toMatchObject({ status: 'confirmed', consent: 'test' });

    // Ten minutes on, the pending address gets a second email; the second POST above got none.
    await runtime.db.query(`update subscribers set updated_at = now() - interval '11 minutes' where email = 'bo@example.org'`);
    await subscribe({ email: 'bo@example.org' }, '10.1.0.3');
    await inbox.waitFor('bo@example.org', 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inbox.to('bo@example.org')).toHaveLength(2);
    expect(inbox.to('cai@example.org')).toHaveLength(0);
    expect(inbox.to('eli@example.org')).toHaveLength(0);
  });

  it('limits subscribe POSTs per client address: the 11th in an hour gets 429', async () => {
    for (let n = 1; n <= 10; n += 1) {
      const response = n % 2 ? await subscribe({ email: 'cai@example.org' }, '10.2.0.1') : await subscribeJson({ email: 'cai@example.org' }, '10.2.0.1');
      expect(response.statusCode, `POST ${n}`).toBeLessThan(300);
    }
    const limited = await subscribe({ email: 'cai@example.org' }, '10.2.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('Too many requests');
    expect((await subscribeJson({ email: 'cai@example.org' }, '10.2.0.1')).statusCode).toBe(429);
    expect((await subscribe({ email: 'cai@example.org' }, '10.2.0.2')).statusCode).toBe(200);
  });

  it('refuses a line break in the name (header injection), a bad address, and posts from elsewhere, storing nothing', async () => {
    const injected = await subscribe({ email: 'eve@example.org', name: 'Eve\r\nBcc: everyone@example.org' }, '10.3.0.1');
    expect(injected.statusCode).toBe(400);
    expect(injected.body).toContain('Name: contains a line break or control character.');
    const json = await subscribeJson({ email: 'eve@example.org', name: 'Eve\nBcc: everyone@example.org' }, '10.3.0.1');
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('header: subscribe api: name: contains a line break or control character');
    const address = await subscribe({ email: 'eve@example.org\r\nBcc: x@example.org' }, '10.3.0.1');
    expect(address.statusCode).toBe(400);
    expect(address.body).toContain('Email address: contains a line break or control character.');
    expect((await subscribe({ email: 'not an address' }, '10.3.0.1')).body).toContain('is not an email address');
    expect((await subscribe({ email: 'eve@example.org', topics: 'no-such-topic' }, '10.3.0.1')).statusCode).toBe(400);
    for (const origin of ['https://evil.example', 'null', 'http://news.example.org.evil.example']) {
      const foreign = await subscribe({ email: 'eve@example.org' }, '10.3.0.1', { origin });
      expect(foreign.statusCode, origin).toBe(403);
      expect(foreign.body).toContain('The form came from another site');
    }
    expect((await subscribe({ email: 'own-page@example.org' }, '10.3.0.2', { origin: 'https://news.example.org' })).statusCode).toBe(200);
    expect((await subscribeJson(form({ email: 'eve@example.org' }).payload, '10.3.0.1', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    expect((await subscribeJson('email=eve@example.org', '10.3.0.1', 'text/plain')).statusCode).toBe(415);
    expect((await subscribeJson({ name: 'no address' }, '10.3.0.1')).statusCode).toBe(400);
    expect(await subscriberByEmail(runtime.db, 'eve@example.org')).toBeUndefined();
  });

  it('answers 400, not 500, to form fields that are not text (a JSON body), changing nothing', async () => {
    const una = await confirmed('una@example.org');
    const json = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, remoteAddress: '10.9.0.1' });
    for (const [url, payload, field] of [
      ['/subscribe', { email: 5 }, 'email'],
      ['/subscribe', { email: 'pat@example.org', name: { first: 'Pat' } }, 'name'],
      ['/subscribe', { email: 'pat@example.org', topics: [5] }, 'topics'],
      ['/confirm', { token: 5 }, 'token'],
      ['/preferences', { token: token('preferences', una.id), topics: ['women', 1] }, 'topics'],
      ['/unsubscribe', { token: { id: una.id } }, 'token'],
      [`/unsubscribe?token=${token('unsubscribe', una.id)}`, { 'List-Unsubscribe': true }, 'List-Unsubscribe'],
    ] as const) {
      const response = await json(url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(response.body, url).toContain(`form: ${field}: expected text`);
    }
    expect(await subscriberByEmail(runtime.db, 'pat@example.org')).toBeUndefined();
    expect(await subscriberByEmail(runtime.db, 'una@example.org')).toMatchObject({ status: 'confirmed', topics: [] });
  });

  it('shows a button on GET /unsubscribe without unsubscribing; the button unsubscribes', async () => {
    const fay = await confirmed('fay@example.org');
    const page = await app.inject({ url: `/unsubscribe?token=${token('unsubscribe', fay.id)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/unsubscribe">');
    expect(page.body.match(/<button/g)).toHaveLength(1);
    expect(page.body).toContain('fay@example.org');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(await subscriberByEmail(runtime.db, 'fay@example.org')).toMatchObject({ status: 'confirmed' });
    expect(await getSuppression(runtime.db, 'fay@example.org')).toBeUndefined();

    const hidden = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
    const done = await app.inject({ method: 'POST', url: '/unsubscribe', ...form({ token: hidden }) });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(await subscriberByEmail(runtime.db, 'fay@example.org')).toMatchObject({ status: 'unsubscribed' });
    expect(await getSuppression(runtime.db, 'fay@example.org')).toMatchObject({ reason: 'unsubscribed', detail: 'page' });
    // Suppressed for good: the form cannot bring the address back.
    await subscribe({ email: 'fay@example.org' }, '10.4.0.1');
    await settled();
    expect(await subscriberByEmail(runtime.db, 'fay@example.org')).toMatchObject({ status: 'unsubscribed' });
  });

  it('unsubscribes with RFC 8058 one-click, urlencoded or multipart: 200, no redirect', async () => {
    const broken = await app.inject({ method: 'POST', url: '/unsubscribe?token=x', payload: 'no parts here', headers: { 'content-type': 'multipart/form-data; boundary=b0undary' } });
    expect(broken.statusCode).toBe(400);
    for (const [email, body] of [
      ['gus@example.org', form({ 'List-Unsubscribe': 'One-Click' })],
      ['hal@example.org', {
        payload: '--b0undary\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b0undary--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b0undary' },
      }],
    ] as const) {
      const subscriber = await confirmed(email);
      const response = await app.inject({ method: 'POST', url: `/unsubscribe?token=${token('unsubscribe', subscriber.id)}`, ...body } as InjectOptions);
      expect(response.statusCode, email).toBe(200);
      expect(response.headers.location).toBeUndefined();
      expect(response.body).toBe('unsubscribed\n');
      expect(await getSuppression(runtime.db, email)).toMatchObject({ reason: 'unsubscribed', detail: 'one-click' });
      expect(await subscriberByEmail(runtime.db, email)).toMatchObject({ status: 'unsubscribed' });
      // Again: still 200, nothing else changes.
      expect((await app.inject({ method: 'POST', url: `/unsubscribe?token=${token('unsubscribe', subscriber.id)}`, ...body } as InjectOptions)).statusCode).toBe(200);
    }
  });

  it('refuses forged, altered, wrong-purpose and malformed tokens, changing nothing', async () => {
    const ivy = await confirmed('ivy@example.org');
    const jon = await confirmed('jon@example.org');
    await addSubscriber(runtime.db, { email: 'kim@example.org', consent: 'test' });
    const kim = (await subscriberByEmail(runtime.db, 'kim@example.org'))!;
    /** Tokens for `purpose` that must not work: signed with another key, Ivy's signature on Jon's payload, Ivy's token for another page. */
    const forgeries = (purpose: 'confirm' | 'unsubscribe' | 'preferences', wrong: 'unsubscribe' | 'preferences', id: string, otherId: string) => ({
      'another secret': token(purpose, id, 'somebody-elses-secret-0123456789abcdef'),
      'altered payload': `${token(purpose, otherId).split('.')[0]}.${token(purpose, id).split('.')[1]}`,
      'wrong purpose': token(wrong, id),
    });
    for (const [what, forged] of Object.entries(forgeries('unsubscribe', 'preferences', ivy.id, jon.id))) {
      const page = await app.inject({ url: `/unsubscribe?token=${forged}` });
      expect(page.statusCode, what).toBe(403);
      expect(page.body).toContain('This link does not work');
      const oneClick = await app.inject({ method: 'POST', url: `/unsubscribe?token=${forged}`, ...form({ 'List-Unsubscribe': 'One-Click' }) });
      expect(oneClick.statusCode, what).toBe(403);
      const button = await app.inject({ method: 'POST', url: '/unsubscribe', ...form({ token: forged }) });
      expect(button.statusCode, what).toBe(403);
    }
    for (const [what, forged] of Object.entries(forgeries('preferences', 'unsubscribe', ivy.id, jon.id))) {
      expect((await app.inject({ url: `/preferences?token=${forged}` })).statusCode, what).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/preferences', ...form({ token: forged, topics: 'faith' }) })).statusCode, what).toBe(403);
    }
    for (const [what, forged] of Object.entries(forgeries('confirm', 'unsubscribe', kim.id, jon.id))) {
      expect((await app.inject({ url: `/confirm?token=${forged}` })).statusCode, what).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/confirm', ...form({ token: forged }) })).statusCode, what).toBe(403);
    }
    const real = token('unsubscribe', ivy.id);
    for (const malformed of ['', 'nonsense', real.slice(0, -5)]) {
      expect((await app.inject({ url: `/unsubscribe?token=${malformed}` })).statusCode, malformed).toBe(400);
      expect((await app.inject({ method: 'POST', url: `/unsubscribe?token=${malformed}`, ...form({ 'List-Unsubscribe': 'One-Click' }) })).statusCode, malformed).toBe(400);
    }
    for (const email of ['ivy@example.org', 'jon@example.org']) {
      expect(await subscriberByEmail(runtime.db, email), email).toMatchObject({ status: 'confirmed', topics: [] });
      expect(await getSuppression(runtime.db, email), email).toBeUndefined();
    }
    expect(await subscriberByEmail(runtime.db, 'kim@example.org')).toMatchObject({ status: 'pending' });
  });

  it('says a confirmation link expired, with a way to subscribe again, and confirms nothing', async () => {
    await addSubscriber(runtime.db, { email: 'kai@example.org', consent: 'test' });
    const kai = (await subscriberByEmail(runtime.db, 'kai@example.org'))!;
    const expired = await app.inject({ url: `/confirm?token=${token('confirm', kai.id, SECRET, Math.floor(Date.now() / 1000) - 60)}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(expired.body).toContain('href="/subscribe"');
    expect(await subscriberByEmail(runtime.db, 'kai@example.org')).toMatchObject({ status: 'pending' });
  });

  it('shows and saves the Topics through the preferences token', async () => {
    const lee = await confirmed('lee@example.org');
    const url = `/preferences?token=${token('preferences', lee.id)}`;
    const page = await app.inject({ url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lee@example.org');
    expect(page.body).toContain('<label for="topic-family">Families divided</label>');
    expect(page.body).toContain('/unsubscribe?token=');
    const tokenField = /name="token" value="([^"]+)"/.exec(page.body)![1]!;

    const saved = await app.inject({ method: 'POST', url: '/preferences', ...form({ token: tokenField, topics: ['women', 'family'] }) });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved.');
    expect(saved.body).toMatch(/value="family" checked/);
    expect((await subscriberByEmail(runtime.db, 'lee@example.org'))!.topics).toEqual(['family', 'women']);

    expect((await app.inject({ method: 'POST', url: '/preferences', ...form({ token: tokenField, topics: 'nope' }) })).statusCode).toBe(400);
    expect((await subscriberByEmail(runtime.db, 'lee@example.org'))!.topics).toEqual(['family', 'women']);
    const none = await app.inject({ method: 'POST', url: '/preferences', ...form({ token: tokenField }) });
    expect(none.body).toContain('You get every section.');
    expect((await subscriberByEmail(runtime.db, 'lee@example.org'))!.topics).toEqual([]);
  });

  it('takes bounces and complaints from the webhook with the secret only', async () => {
    await confirmed('max@example.org');
    await confirmed('ned@example.org');
    const post = (payload: unknown, authorization?: string) =>
      app.inject({ method: 'POST', url: '/webhooks/mail', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });

    for (const authorization of [undefined, 'Bearer wrong-secret-0123456789', `Basic ${WEBHOOK}`, `Bearer ${WEBHOOK}x`]) {
      const refused = await post({ type: 'bounce', email: 'max@example.org' }, authorization);
      expect(refused.statusCode, authorization).toBe(401);
    }
    expect(await getSuppression(runtime.db, 'max@example.org')).toBeUndefined();

    const one = await post({ type: 'bounce', email: 'Max@Example.org', detail: '550 5.1.1 no such user' }, `Bearer ${WEBHOOK}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ bounced: 1, complained: 0, unknown: 0, alreadySuppressed: 0, invalid: [] });
    expect(await getSuppression(runtime.db, 'max@example.org')).toMatchObject({ reason: 'bounced', detail: 'webhook: 550 5.1.1 no such user' });
    expect(await subscriberByEmail(runtime.db, 'max@example.org')).toMatchObject({ status: 'bounced' });

    const many = await post(
      [
        { type: 'complaint', email: 'ned@example.org' },
        { type: 'bounce', email: 'stranger@example.org' },
        { type: 'complaint', email: 'max@example.org' },
        { type: 'bounce', email: 'not an address' },
      ],
      `bearer ${WEBHOOK}`,
    );
    expect(many.json()).toMatchObject({ bounced: 1, complained: 1, unknown: 1, alreadySuppressed: 1, invalid: [{ index: 3 }] });
    expect(await subscriberByEmail(runtime.db, 'ned@example.org')).toMatchObject({ status: 'complained' });
    expect(await getSuppression(runtime.db, 'stranger@example.org')).toMatchObject({ reason: 'bounced' });
    expect(await getSuppression(runtime.db, 'max@example.org')).toMatchObject({ reason: 'bounced' });
    // A suppressed stranger cannot be subscribed later either.
    expect((await addSubscriber(runtime.db, { email: 'stranger@example.org', consent: 'test' })).outcome).toBe('suppressed');

    expect((await post({ type: 'delivered', email: 'ned@example.org' }, `Bearer ${WEBHOOK}`)).statusCode).toBe(400);
    expect((await post({ kind: 'bounce' }, `Bearer ${WEBHOOK}`)).statusCode).toBe(400);
  });

  it('has no webhook without a secret; without SMTP, says subscribing is closed (503) instead of promising an email, and stores nothing', async () => {
    const config: Config = { ...runtime.config, mail: { ...runtime.config.mail, smtpUrl: '', webhookSecret: undefined } };
    const bare = buildServer({ ...runtime, config });
    try {
      await bare.ready();
      const webhook = await bare.inject({ method: 'POST', url: '/webhooks/mail', payload: '{}', headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK}` } });
      expect(webhook.statusCode).toBe(404);
      const page = await bare.inject({ url: '/subscribe' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Subscribing is closed for now');
      expect(page.body).not.toContain('<form');
      const response = await bare.inject({ method: 'POST', url: '/subscribe', ...form({ email: 'oli@example.org' }), remoteAddress: '10.5.0.1' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('Subscribing is closed for now');
      expect(response.body).not.toContain('Check your inbox');
      const json = await bare.inject({ method: 'POST', url: '/api/subscribe', payload: JSON.stringify({ email: 'oli@example.org' }), headers: { 'content-type': 'application/json' }, remoteAddress: '10.5.0.1' });
      expect(json.statusCode).toBe(503);
      expect(json.json().error).toMatch(/^subscribe: Subscribing is closed for now/);
      expect(await bare.inject({ url: '/readyz' }).then((r) => r.json())).toMatchObject({ ready: true, mail: 'not configured (mail.smtpUrl): no email is sent' });
      expect(await app.inject({ url: '/readyz' }).then((r) => r.json())).toMatchObject({ ready: true, mail: 'configured' });
    } finally {
      // Closing waits for whatever its intake was given.
      await bare.close();
    }
    expect(await subscriberByEmail(runtime.db, 'oli@example.org')).toBeUndefined();
  });
});
