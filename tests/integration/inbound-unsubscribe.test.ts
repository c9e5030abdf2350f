/**
 * The mailto: of List-Unsubscribe, made to work: mail to the signed address
 * `unsubscribe+<token>@news.example.org`, as a provider's inbound route posts
 * it to `POST /webhooks/inbound` (Postmark's JSON, a Mailgun route's
 * urlencoded fields, SendGrid's multipart), unsubscribes the Subscriber the
 * token names, on PostgreSQL. Only with the webhook secret; a forged or
 * altered token, another host's address or the bare mailbox changes nothing;
 * without mail.unsubscribeMailbox the route is not there (and the emails offer
 * no mailto:, tests/unit/mail/links.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { subscriberLinks } from '../../src/mail/links.js';
import { signMailboxToken } from '../../src/mail/tokens.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addSubscriber, getSuppression, subscriberByEmail } from '../../src/store/subscribers.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';
import type { Subscriber } from '../../src/mail/subscriber.js';

const SECRET = 'the-signing-secret-of-this-test-0123456789';
const WEBHOOK = 'webhook-secret-0123456789';
const MAILBOX = 'unsubscribe@news.example.org';
const BASIC = `Basic ${Buffer.from(`newsdesk:${WEBHOOK}`).toString('base64')}`;
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  const sample = await sampleConfig('postgres', cleanups);
  const config: Config = { ...sample, secret: SECRET, mail: { ...sample.mail, webhookSecret: WEBHOOK, unsubscribeMailbox: MAILBOX } };
  runtime = await openRuntime(config, log);
  cleanups.unshift(() => runtime.close());
  app = buildServer(runtime);
  await app.ready();
  cleanups.unshift(() => app.close());
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function confirmed(email: string): Promise<Subscriber> {
  await addSubscriber(runtime.db, { email, consent: 'test', confirmed: true });
  return (await subscriberByEmail(runtime.db, email))!;
}

/** The address the Subscriber's emails name in List-Unsubscribe, as the sender makes it. */
function mailtoAddress(subscriber: Subscriber): string {
  const mailto = subscriberLinks(runtime.config, SECRET, subscriber.id).unsubscribeMailto;
  expect(mailto).toMatch(/^mailto:unsubscribe\+[0-9a-f]{48}@news\.example\.org\?subject=unsubscribe$/);
  return mailto!.slice('mailto:'.length, mailto!.indexOf('?'));
}

/** Postmark's inbound webhook: JSON, the recipients in OriginalRecipient, To and ToFull. */
const postmark = (to: string, authorization = BASIC) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/inbound',
    headers: { 'content-type': 'application/json', authorization },
    payload: JSON.stringify({
      From: 'reader@example.org',
      FromFull: { Email: 'reader@example.org', Name: 'A Reader', MailboxHash: '' },
      To: to,
      ToFull: [{ Email: to, Name: '', MailboxHash: to.split('+')[1]?.split('@')[0] ?? '' }],
      Cc: '',
      CcFull: [],
      OriginalRecipient: to,
      Subject: 'unsubscribe',
      MessageID: '22c74902-a0c1-4511-804f-341342852c90',
      TextBody: 'Please take me off the list: ana@example.org',
      Headers: [],
      Attachments: [],
    }),
  });

const counts = (unsubscribed: number, alreadyUnsubscribed: number, refused: number) => ({ unsubscribed, alreadyUnsubscribed, refused });

describe('mail to the List-Unsubscribe mailto:', () => {
  it('unsubscribes the Subscriber its address names, from Postmark\'s JSON, with the secret only', async () => {
    const ana = await confirmed('ana@example.org');
    const address = mailtoAddress(ana);
    for (const authorization of ['', 'Bearer wrong-secret-0123456789', `Basic ${Buffer.from('newsdesk:wrong-secret-0123456789').toString('base64')}`]) {
      expect((await postmark(address, authorization)).statusCode, authorization).toBe(401);
    }
    expect(await subscriberByEmail(runtime.db, 'ana@example.org')).toMatchObject({ status: 'confirmed' });

    // A mail system may change the address's case on the way.
    const done = await postmark(address.toUpperCase());
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual(counts(1, 0, 0));
    expect(await subscriberByEmail(runtime.db, 'ana@example.org')).toMatchObject({ status: 'unsubscribed' });
    expect(await getSuppression(runtime.db, 'ana@example.org')).toMatchObject({ reason: 'unsubscribed', detail: 'mailto' });
    // Again (a provider retrying): 200, nothing else changes.
    expect((await postmark(address, `Bearer ${WEBHOOK}`)).json()).toEqual(counts(0, 1, 0));
  });

  it('reads a Mailgun route\'s urlencoded fields and SendGrid\'s multipart envelope', async () => {
    const bo = await confirmed('bo@example.org');
    const mailgun = new URLSearchParams({
      recipient: mailtoAddress(bo),
      sender: 'bo@example.org',
      from: 'Bo <bo@example.org>',
      To: `"News Desk" <${mailtoAddress(bo)}>`,
      subject: 'unsubscribe',
      'body-plain': '',
    });
    const viaMailgun = await app.inject({ method: 'POST', url: '/webhooks/inbound', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: BASIC }, payload: mailgun.toString() });
    expect(viaMailgun.statusCode).toBe(200);
    expect(viaMailgun.json()).toEqual(counts(1, 0, 0));
    expect(await subscriberByEmail(runtime.db, 'bo@example.org')).toMatchObject({ status: 'unsubscribed' });

    const cy = await confirmed('cy@example.org');
    const form = new FormData();
    form.append('headers', `To: ${mailtoAddress(cy)}\nFrom: cy@example.org\n`);
    form.append('envelope', JSON.stringify({ to: [mailtoAddress(cy)], from: 'cy@example.org' }));
    form.append('to', `<${mailtoAddress(cy)}>`);
    form.append('from', 'cy@example.org');
    form.append('subject', 'unsubscribe');
    form.append('attachment1', new Blob(['%PDF-1.4 not really'], { type: 'application/pdf' }), 'letter.pdf');
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    const viaSendgrid = await app.inject({
      method: 'POST',
      url: '/webhooks/inbound',
      headers: { 'content-type': encoded.headers.get('content-type')!, authorization: BASIC },
      payload: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(viaSendgrid.statusCode).toBe(200);
    expect(viaSendgrid.json()).toEqual(counts(1, 0, 0));
    expect(await subscriberByEmail(runtime.db, 'cy@example.org')).toMatchObject({ status: 'unsubscribed' });
  });

  it('changes nothing for a forged or altered token, another host, the bare mailbox or the body\'s words; refuses other shapes', async () => {
    const dee = await confirmed('dee@example.org');
    const eli = await confirmed('eli@example.org');
    const token = signMailboxToken(dee.id, SECRET);
    const forged = [
      signMailboxToken(dee.id, 'somebody-elses-secret-0123456789abcdef'),
      `${signMailboxToken(eli.id, SECRET).slice(0, 32)}${token.slice(32)}`,
      `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`,
    ];
    for (const bad of forged) expect((await postmark(`unsubscribe+${bad}@news.example.org`)).json(), bad).toEqual(counts(0, 0, 1));
    expect((await postmark(`unsubscribe+${token}@news.example.org.evil.example`)).json()).toEqual(counts(0, 0, 0));
    expect((await postmark(`other+${token}@news.example.org`)).json()).toEqual(counts(0, 0, 0));
    // The bare mailbox, the address to leave only in the body: nothing to go by.
    expect((await postmark(MAILBOX)).json()).toEqual(counts(0, 0, 0));
    for (const email of ['dee@example.org', 'eli@example.org']) {
      expect(await subscriberByEmail(runtime.db, email), email).toMatchObject({ status: 'confirmed' });
      expect(await getSuppression(runtime.db, email), email).toBeUndefined();
    }
    const other = await app.inject({ method: 'POST', url: '/webhooks/inbound', headers: { 'content-type': 'application/json', authorization: BASIC }, payload: '{"kind": "mail"}' });
    expect(other.statusCode).toBe(400);
    expect(other.json().error).toMatch(/^inbound: expected an inbound-parse post/);
  });

  it('is not there without mail.unsubscribeMailbox', async () => {
    const config: Config = { ...runtime.config, mail: { ...runtime.config.mail, unsubscribeMailbox: undefined } };
    const bare = buildServer({ ...runtime, config });
    try {
      await bare.ready();
      const response = await bare.inject({ method: 'POST', url: '/webhooks/inbound', headers: { 'content-type': 'application/json', authorization: BASIC }, payload: '{"To": "x"}' });
      expect(response.statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
