/**
 * The editor pages' gates, through the server `newsdesk serve` builds (fastify
 * inject) on the embedded store with a composed Edition: no session, no page
 * and no change; no CSRF token, no change; wrong passwords fail alike and are
 * limited per client address and per email; the cookie's attributes; logout
 * ends the session; the pages' security headers; the .eml download; a Topic
 * label and the Sources page.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addEditor } from '../../src/store/editors.js';
import { editionEvents, getEdition } from '../../src/store/editions.js';
import { testPasswordHash } from '../helpers/passwords.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { addSubscribers } from '../helpers/sending.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const ANA = { email: 'ana@example.org', name: 'Ana', password: 'correct horse battery staple' };
const BEN = { email: 'ben@example.org', name: 'Ben', password: 'another long password' };
const COOKIE = 'newsdesk-session';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;
let app: FastifyInstance;
let editionId: string;
let inbox: SmtpInbox;

beforeAll(async () => {
  const sample = await sampleConfig('pglite', cleanups, { processed: true });
  inbox = await startSmtpInbox();
  cleanups.push(() => inbox.close());
  const config: Config = {
    ...sample,
    web: { ...sample.web, secureCookies: false },
    digest: { ...sample.digest, maxStories: 8, maxPerSection: 3 },
    mail: { ...sample.mail, smtpUrl: inbox.url },
  };
  editionId = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
  runtime = await openRuntime(config, log);
  for (const editor of [ANA, BEN]) await addEditor(runtime.db, { email: editor.email, name: editor.name, passwordHash: await testPasswordHash(editor.password) });
  app = buildServer(runtime);
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app.close();
  await runtime.close();
  for (const cleanup of cleanups) await cleanup();
});

const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

function postLogin(fields: Record<string, string>, remoteAddress: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const body = form(fields);
  return app.inject({ method: 'POST', url: '/login', payload: body.payload, headers: { ...body.headers, ...headers }, remoteAddress });
}

/** Logs in; returns the session cookie and the CSRF token its pages carry. */
async function login(editor: typeof ANA, remoteAddress = '10.0.0.1'): Promise<{ cookies: Record<string, string>; csrf: string }> {
  const response = await postLogin({ email: editor.email, password: editor.password }, remoteAddress);
  expect(response.statusCode).toBe(303);
  const cookie = response.cookies.find((c) => c.name === COOKIE)!;
  const cookies = { [COOKIE]: cookie.value };
  const page = await app.inject({ url: '/editions', cookies });
  return { cookies, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
}

const subjectNow = async () => (await getEdition(runtime.db, editionId))!.subject;

describe('the editor pages', () => {
  it('send a visitor without a session to log in, and refuse their changes', async () => {
    for (const url of ['/editions', `/editions/${editionId}`, `/editions/${editionId}/preview.html`, `/editions/${editionId}/email.eml`, '/stories', '/stories/least-sure', '/sources']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const before = await subjectNow();
    for (const url of [`/editions/${editionId}/text`, `/editions/${editionId}/approve`, '/logout']) {
      const response = await app.inject({ method: 'POST', url, ...form({ subject: 'Nobody', _csrf: 'x' }) });
      expect(response.statusCode, url).toBe(401);
    }
    expect(await subjectNow()).toBe(before);
    expect((await getEdition(runtime.db, editionId))!.status).toBe('draft');
  });

  it('refuse a wrong password and an unknown email alike, setting no cookie', async () => {
    for (const email of [ANA.email, 'nobody@example.org']) {
      const response = await postLogin({ email, password: 'not the password' }, '10.0.0.2');
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('Wrong email or password.');
      expect(response.cookies).toEqual([]);
    }
  });

  it('log in with an httpOnly, SameSite=Lax session cookie that expires, and go on only to an address of this site', async () => {
    const response = await postLogin({ email: ' Ana@Example.org ', password: ANA.password, next: '/stories' }, '10.0.0.3');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/stories');
    const cookie = response.cookies.find((c) => c.name === COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    const days = ((cookie.expires as Date).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Only the token's hash is stored.
    const [row] = await runtime.db.query<{ id: string }>('select id from editor_sessions order by created_at desc limit 1');
    expect(row!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.id).not.toBe(cookie.value);

    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const elsewhere = await postLogin({ email: ANA.email, password: ANA.password, next }, '10.0.0.3');
      expect(elsewhere.headers.location, next).toBe('/editions');
    }
    const crossSite = await postLogin({ email: ANA.email, password: ANA.password }, '10.0.0.3', { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.cookies).toEqual([]);
  });

  it('refuse a change without the session\'s CSRF token, changing nothing', async () => {
    const ana = await login(ANA);
    const ben = await login(BEN);
    const before = { subject: await subjectNow(), events: (await editionEvents(runtime.db, editionId)).length };
    const url = `/editions/${editionId}/text`;
    for (const token of [undefined, 'wrong', ben.csrf]) {
      const fields: Record<string, string> = { subject: 'Forged subject', intro: '' };
      if (token !== undefined) fields._csrf = token;
      const response = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form(fields) });
      expect(response.statusCode, String(token)).toBe(403);
    }
    const approve = await app.inject({ method: 'POST', url: `/editions/${editionId}/approve`, cookies: ana.cookies, ...form({}) });
    expect(approve.statusCode).toBe(403);
    expect({ subject: await subjectNow(), events: (await editionEvents(runtime.db, editionId)).length }).toEqual(before);
    expect((await getEdition(runtime.db, editionId))!.status).toBe('draft');

    const done = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ subject: 'A subject from Ana', intro: '', _csrf: ana.csrf }) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/editions/${editionId}`);
    expect(await subjectNow()).toBe('A subject from Ana');
    expect((await editionEvents(runtime.db, editionId)).at(-1)).toMatchObject({ editor: ANA.email, action: 'subject' });
    // The page it leads to says so, once.
    const page = await app.inject({ url: done.headers.location as string, cookies: ana.cookies });
    expect(page.body).toContain('Saved the subject.');
    expect((await app.inject({ url: done.headers.location as string, cookies: ana.cookies })).body).not.toContain('Saved the subject.');
  });

  it("shows a refused change's reason on the page it returns to", async () => {
    const ana = await login(ANA);
    const first = (await getEdition(runtime.db, editionId))!.entries[0]!;
    const response = await app.inject({ method: 'POST', url: `/editions/${editionId}/stories/${first.storyId}`, cookies: ana.cookies, ...form({ do: 'up', _csrf: ana.csrf }) });
    expect(response.statusCode).toBe(303);
    const page = await app.inject({ url: response.headers.location as string, cookies: ana.cookies });
    expect(page.body).toMatch(/class="flash flash-error" role="alert">edition [^:]+: &quot;.*&quot; is first in its section/);
  });

  it('limit failed logins to 5 per 15 minutes per client address, and per email', async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await postLogin({ email: `guess${attempt}@example.org`, password: 'wrong password' }, '10.0.1.1')).statusCode).toBe(401);
    }
    const sixth = await postLogin({ email: ANA.email, password: ANA.password }, '10.0.1.1');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(800);
    expect(sixth.body).toContain('Too many failed logins');
    expect(sixth.cookies).toEqual([]);

    // One email guessed at from five addresses: the sixth try is refused from anywhere.
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await postLogin({ email: BEN.email, password: 'wrong password' }, `10.0.2.${attempt}`)).statusCode).toBe(401);
    }
    expect((await postLogin({ email: BEN.email.toUpperCase(), password: BEN.password }, '10.0.2.99')).statusCode).toBe(429);
    // Others still log in.
    expect((await postLogin({ email: ANA.email, password: ANA.password }, '10.0.2.99')).statusCode).toBe(303);
  });

  it('check at most 5 passwords when 30 logins arrive at once, and hash none of the tries refused', async () => {
    const CAT = { email: 'cat@example.org', name: 'Cat', password: 'the right password at last' };
    // Stored at a low cost (the parameters travel with the hash): the checks counted here take milliseconds.
    const salt = randomBytes(16);
    const cheap = ['scrypt', 10, 8, 1, salt.toString('base64'), scryptSync(CAT.password, salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')].join('$');
    await addEditor(runtime.db, { email: CAT.email, name: CAT.name, passwordHash: cheap });
    const logins = async () => {
      const text = (await app.inject({ url: '/metrics' })).body;
      const count = (outcome: string) => Number(new RegExp(`^newsdesk_editor_logins_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)![1]);
      return { ok: count('ok'), wrong: count('wrong'), limited: count('limited') };
    };
    const before = await logins();
    // 29 guesses and the right password, all sent before any answer comes back.
    const tries = [...Array.from({ length: 29 }, (_, i) => ({ email: CAT.email, password: `guess number ${i}` })), { email: CAT.email, password: CAT.password }];
    const answers = await Promise.all(tries.map((fields) => postLogin(fields, '10.0.7.1')));
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.filter((code) => code !== 429).length).toBeLessThanOrEqual(5);
    const after = await logins();
    const checks = after.ok - before.ok + after.wrong - before.wrong;
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === 429)).toHaveLength(30 - checks);
    expect(after.limited - before.limited).toBe(30 - checks);
    expect(codes.filter((code) => code === 401 || code === 303)).toHaveLength(checks);
    // The right password logs in only if it was one of the tries checked; then it gave its try back.
    const right = answers.at(-1)!;
    expect([303, 429]).toContain(right.statusCode);
    const failed = codes.filter((code) => code === 401).length;
    // Once 5 failures are counted, the right password is refused too, from this address and from another.
    for (const address of ['10.0.7.1', '10.0.7.2']) {
      const again = await postLogin({ email: CAT.email, password: CAT.password }, address);
      expect(again.statusCode, address).toBe(failed >= 5 ? 429 : 303);
    }
  });

  it('answer 400, not 500, to login fields that are not text (JSON or a repeated form field), and refuse them in other forms too', async () => {
    const json = (url: string, payload: unknown, cookies?: Record<string, string>) =>
      app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, remoteAddress: '10.0.6.1', ...(cookies ? { cookies } : {}) });
    const bodies: [string, unknown][] = [
      ['email', { email: 5, password: 'wrong password' }],
      ['password', { email: ANA.email, password: { guess: 1 } }],
      ['email', { email: [ANA.email], password: ANA.password }],
      ['email', { password: ANA.password }],
      ['next', { email: ANA.email, password: ANA.password, next: 5 }],
      ['body', null],
      ['body', 'ana@example.org'],
    ];
    for (const [what, body] of bodies) {
      const response = await json('/login', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.body, JSON.stringify(body)).toContain(`login: ${what}: `);
      expect(response.cookies).toEqual([]);
    }
    const repeated = await app.inject({ method: 'POST', url: '/login', payload: `email=${encodeURIComponent(ANA.email)}&email=x%40example.org&password=x`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '10.0.6.1' });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.body).toContain('login: email: ');
    // None of them counted as a failed login, and text in JSON still logs in.
    expect((await json('/login', { email: ANA.email, password: ANA.password })).statusCode).toBe(303);

    // A logged-in editor's forms refuse a field that is not text, changing nothing.
    const ana = await login(ANA, '10.0.6.2');
    const before = await subjectNow();
    const text = await json(`/editions/${editionId}/text`, { _csrf: ana.csrf, subject: 5, intro: '' }, ana.cookies);
    expect(text.statusCode).toBe(303);
    expect((await app.inject({ url: text.headers.location as string, cookies: ana.cookies })).body).toContain('form: subject: expected text, not a number');
    expect(await subjectNow()).toBe(before);
    const add = await json(`/editions/${editionId}/add`, { _csrf: ana.csrf, storyId: { id: 1 } }, ana.cookies);
    expect(add.statusCode).toBe(400);
    expect(add.body).toContain('form: storyId: expected text, not an object');
  });

  it('end the session at logout', async () => {
    const ana = await login(ANA, '10.0.3.1');
    const sessions = async () => (await runtime.db.query<{ n: number }>('select count(*)::int as n from editor_sessions'))[0]!.n;
    const before = await sessions();
    const response = await app.inject({ method: 'POST', url: '/logout', cookies: ana.cookies, ...form({ _csrf: ana.csrf }) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login');
    expect(response.cookies.find((c) => c.name === COOKIE)!.value).toBe('');
    expect(await sessions()).toBe(before - 1);
    expect((await app.inject({ url: '/editions', cookies: ana.cookies })).statusCode).toBe(303);
  });

  it('send security headers, allow no inline script, and let only our pages frame the preview', async () => {
    const ana = await login(ANA, '10.0.4.1');
    const page = await app.inject({ url: `/editions/${editionId}`, cookies: ana.cookies });
    expect(page.statusCode).toBe(200);
    // Directive by directive: a source added to script-src ('unsafe-inline', a CDN) must fail this.
    const policy = new Map(String(page.headers['content-security-policy']).split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources.join(' ')] as const;
    }));
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.get('script-src')).toBe("'self'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('form-action')).toBe("'self'");
    expect(policy.get('connect-src')).toBe("'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.body).not.toMatch(/\sstyle="/);
    expect(page.body).toContain(`<iframe class="frame-desktop" src="/editions/${editionId}/preview.html?width=desktop"`);

    const preview = await app.inject({ url: `/editions/${editionId}/preview.html?width=desktop`, cookies: ana.cookies });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(preview.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(preview.headers['content-security-policy']).toMatch(/(^|; )sandbox($|;)/);
    expect(preview.body).toContain((await getEdition(runtime.db, editionId))!.entries[0]!.title.slice(0, 30));

    const eml = await app.inject({ url: `/editions/${editionId}/email.eml`, cookies: ana.cookies });
    expect(eml.statusCode).toBe(200);
    expect(eml.headers['content-type']).toContain('message/rfc822');
    expect(eml.headers['content-disposition']).toBe(`attachment; filename="newsdesk-edition-${editionId}.eml"`);
    expect(eml.body).toMatch(/^Subject: /m);
    expect(eml.body).toContain('multipart/alternative');
    expect(eml.body).toMatch(/^X-Newsdesk-Edition: /m);
  });

  it('compress their pages, each carrying the CSRF token masked afresh (BREACH), and every copy is accepted', async () => {
    const ana = await login(ANA, '10.0.4.2');
    // The review page repeats its search query: what BREACH needs besides a secret in a compressed page.
    const url = `/editions/${editionId}?q=${encodeURIComponent('name="_csrf" value="')}`;
    const pages = await Promise.all([1, 2].map(() => app.inject({ url, cookies: ana.cookies, headers: { 'accept-encoding': 'gzip' } })));
    const [{ csrf }] = (await runtime.db.query<{ csrf: string }>(`select csrf_token as csrf from editor_sessions where id = encode(sha256(convert_to($1, 'utf8')), 'hex')`, [ana.cookies[COOKIE]])) as [{ csrf: string }];
    const tokens = pages.map((page) => {
      expect(page.headers['content-encoding']).toBe('gzip');
      const html = gunzipSync(page.rawPayload).toString('utf8');
      expect(html).not.toContain(csrf);
      const inPage = [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((match) => match[1]!);
      expect(new Set(inPage).size).toBe(1);
      return inPage[0]!;
    });
    expect(tokens[0]).not.toBe(tokens[1]);
    const edition = (await getEdition(runtime.db, editionId))!;
    for (const token of [...tokens, ana.csrf]) {
      const response = await app.inject({ method: 'POST', url: `/editions/${editionId}/text`, cookies: ana.cookies, ...form({ _csrf: token, subject: edition.subject, intro: edition.intro }) });
      expect(response.statusCode).toBe(303);
    }
  });

  it("label a Story's Topic as `tags label` does, with the editor's email, and show the Sources", async () => {
    const ana = await login(ANA, '10.0.5.1');
    const [story] = await runtime.db.query<{ id: string }>('select id from stories where merged_into is null order by id limit 1');
    const slug = runtime.taxonomy.topics[0]!.slug;
    const response = await app.inject({ method: 'POST', url: `/stories/${story!.id}/topics`, cookies: ana.cookies, ...form({ change: `+${slug}`, _csrf: ana.csrf }) });
    expect(response.statusCode).toBe(303);
    const labels = await runtime.db.query('select slug, carries, editor from topic_labels where story_id = $1', [story!.id]);
    expect(labels).toEqual([{ slug, carries: true, editor: ANA.email }]);
    const topics = await runtime.db.query<{ slug: string; source: string }>('select slug, source from story_topics where story_id = $1', [story!.id]);
    expect(topics.find((t) => t.slug === slug)).toBeDefined();
    const page = await app.inject({ url: `/stories/${story!.id}/edit`, cookies: ana.cookies });
    expect(page.body).toContain(`Topic ${runtime.taxonomy.topics[0]!.label}: carries it.`);

    const sources = await app.inject({ url: '/sources', cookies: ana.cookies });
    expect(sources.statusCode).toBe(200);
    for (const source of runtime.config.sources) expect(sources.body).toContain(source.id);
  });

  it('send a test of the Edition to the addresses given, marked as a test, and refuse a header injection', async () => {
    const ana = await login(ANA, '10.0.0.9');
    const url = `/editions/${editionId}/test-send`;
    const sent = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ _csrf: ana.csrf, addresses: 'Tester@Example.org, second@example.org' }) });
    expect(sent.statusCode).toBe(303);
    const message = await inbox.waitFor('tester@example.org');
    await inbox.waitFor('second@example.org');
    expect(message.subject).toBe(`[Test] ${(await getEdition(runtime.db, editionId))!.subject}`);
    expect(message.headers.get('x-newsdesk-test')).toBe('yes');
    expect(message.html).toContain((await getEdition(runtime.db, editionId))!.entries[0]!.title.replaceAll('&', '&amp;').slice(0, 20));
    expect((await editionEvents(runtime.db, editionId)).at(-1)).toMatchObject({ action: 'test-send', editor: ANA.email, detail: { to: ['tester@example.org', 'second@example.org'] } });

    const before = inbox.messages.length;
    const injected = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ _csrf: ana.csrf, addresses: 'a@example.org\r\nBcc: all@example.org' }) });
    expect(injected.statusCode).toBe(303);
    const page = await app.inject({ url: `/editions/${editionId}`, cookies: ana.cookies });
    expect(page.body).toContain('is not an email address');
    expect(inbox.messages.length).toBe(before);
  });

  it('approve without sending; a send is refused to nobody, or for a bad, past or unconfirmed time, and "send now" after the confirmation sets it', async () => {
    const ana = await login(ANA, '10.0.0.10');
    const sendAt = async () => (await runtime.db.query<{ status: string; sendAt: Date | null }>('select status, send_at as "sendAt" from editions where id = $1', [editionId]))[0]!;
    // Fields of the old one-click form are ignored: approving only approves.
    await app.inject({ method: 'POST', url: `/editions/${editionId}/approve`, cookies: ana.cookies, ...form({ _csrf: ana.csrf, send: 'now' }) });
    expect(await sendAt()).toMatchObject({ status: 'approved', sendAt: null });

    const url = `/editions/${editionId}/send`;
    const version = String((await getEdition(runtime.db, editionId))!.updatedAt.getTime());
    // With nobody subscribed, sending now would spend the week on no one: the page says so and offers no button, and the POST is refused.
    const empty = await app.inject({ url: `${url}?when=now`, cookies: ana.cookies });
    expect(empty.body).toContain('It goes to <strong>0 Subscribers</strong>');
    expect(empty.body).toContain('there is no confirmed Subscriber yet');
    expect(empty.body).not.toContain('Send now to');
    const nobody = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ _csrf: ana.csrf, when: 'now', version }) });
    expect((await app.inject({ url: nobody.headers.location as string, cookies: ana.cookies })).body).toContain('nobody would get it now');
    expect(await sendAt()).toMatchObject({ status: 'approved', sendAt: null });

    await addSubscribers(runtime.db, [{ email: 'reader@example.org' }, { email: 'pending@example.org', status: 'pending' }]);
    for (const [fields, problem] of [
      [{ when: 'at', at: 'next tuesday', version }, 'send at: &quot;next tuesday&quot; is not a date and time'],
      [{ when: 'at', at: '2020-01-06T08:00', version }, 'has passed'],
      [{ when: 'now', version: '1' }, 'it changed after the confirmation was shown'],
    ] as const) {
      const refused = await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ _csrf: ana.csrf, ...fields }) });
      expect(refused.statusCode).toBe(303);
      expect((await app.inject({ url: refused.headers.location as string, cookies: ana.cookies })).body).toContain(problem);
      expect(await sendAt()).toMatchObject({ status: 'approved', sendAt: null });
    }
    // The confirmation is a page, and changes nothing.
    const confirm = await app.inject({ url: `${url}?when=now`, cookies: ana.cookies });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('It goes to <strong>1 Subscriber</strong>');
    expect(confirm.body).toContain('Send now to 1 Subscriber');
    expect(await sendAt()).toMatchObject({ status: 'approved', sendAt: null });

    const before = Date.now();
    await app.inject({ method: 'POST', url, cookies: ana.cookies, ...form({ _csrf: ana.csrf, when: 'now', version }) });
    const after = await sendAt();
    expect(after.status).toBe('approved');
    expect(after.sendAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await editionEvents(runtime.db, editionId)).at(-1)).toMatchObject({ action: 'scheduled', editor: ANA.email });
  });
});
