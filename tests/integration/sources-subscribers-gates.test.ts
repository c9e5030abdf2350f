/**
 * The Sources and Subscribers pages' gates, through the server `newsdesk
 * serve` builds (fastify inject) on the embedded store: without a session no
 * page, no export and no change; without the CSRF token no change (the config
 * file and the store untouched); and the command line's `sources add | enable
 * | disable` (run through main(), against a local feed server) changing the
 * same config file the same way the page does.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addEditor } from '../../src/store/editors.js';
import { getSource } from '../../src/store/sources.js';
import { testPasswordHash } from '../helpers/passwords.js';
import { buildServer } from '../../src/web/server.js';
import { rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { writeSampleConfigFile } from '../helpers/sample-config.js';

const ANA = { email: 'ana@example.org', name: 'Ana', password: 'correct horse battery staple' };
const log = createLogger({ level: 'silent' });
let feeds: { base: string; close(): Promise<void> };
let configFile: string;
let runtime: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  feeds = await startFeedServer((n, at) => rssFeed(`Feed ${n}`, at, [{ guid: 'g', title: 'One entry', text: 'Text.' }], new Date('2026-01-05T00:00:00Z')));
  configFile = writeSampleConfigFile(mkdtempSync(path.join(tmpdir(), 'newsdesk-gates-')), { fetch: { allowAddresses: ['127.0.0.1'] }, web: { secureCookies: false } });
  runtime = await openRuntime(loadConfig(configFile, {}), log);
  await addEditor(runtime.db, { email: ANA.email, name: ANA.name, passwordHash: await testPasswordHash(ANA.password) });
  app = buildServer(runtime);
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await feeds?.close();
});

const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

async function login(): Promise<{ cookies: Record<string, string>; csrf: string }> {
  const response = await app.inject({ method: 'POST', url: '/login', ...form({ email: ANA.email, password: ANA.password }) });
  expect(response.statusCode).toBe(303);
  const cookies = { 'newsdesk-session': response.cookies.find((c) => c.name === 'newsdesk-session')!.value };
  const page = await app.inject({ url: '/sources', cookies });
  return { cookies, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
}

async function newsdesk(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['-c', configFile, ...argv], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('the Sources and Subscribers pages refuse', () => {
  it('a visitor without a session: pages and export send them to log in, changes are refused', async () => {
    for (const url of ['/subscribers', '/subscribers?q=ana', '/subscribers/export.csv', '/subscribers/00000000-0000-4000-8000-000000000000']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const before = readFileSync(configFile, 'utf8');
    for (const url of ['/sources/try', '/sources', '/sources/archive/disable']) {
      const response = await app.inject({ method: 'POST', url, ...form({ address: `${feeds.base}/feed/1.xml`, url: `${feeds.base}/feed/1.xml`, name: 'X', _csrf: 'x' }) });
      expect(response.statusCode, url).toBe(401);
    }
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    expect(await getSource(runtime.db, 'archive')).toMatchObject({ enabled: true });
  });

  it('a change without the CSRF token, even from a logged-in editor', async () => {
    const { cookies } = await login();
    const before = readFileSync(configFile, 'utf8');
    for (const url of ['/sources/try', '/sources', '/sources/archive/disable']) {
      const response = await app.inject({ method: 'POST', url, cookies, ...form({ address: `${feeds.base}/feed/1.xml`, url: `${feeds.base}/feed/1.xml`, name: 'X' }) });
      expect(response.statusCode, url).toBe(403);
    }
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    expect(await getSource(runtime.db, 'archive')).toMatchObject({ enabled: true });
  });

  it('a Save with no name or a bad address, and a switch of an unknown Source, saying why', async () => {
    const { cookies, csrf } = await login();
    const before = readFileSync(configFile, 'utf8');
    const cases: [string, Record<string, string>, string][] = [
      ['/sources', { url: `${feeds.base}/feed/1.xml`, name: ' ' }, 'Sources: add: name: give the Source a name'],
      ['/sources', { url: 'javascript:alert(1)', name: 'X' }, 'Sources: add: address: &quot;javascript:alert(1)&quot; is not an http(s) address'],
      ['/sources/nope/disable', {}, 'no Source &quot;nope&quot; in the config file'],
    ];
    for (const [url, fields, message] of cases) {
      const response = await app.inject({ method: 'POST', url, cookies, ...form({ ...fields, _csrf: csrf }) });
      expect(response.statusCode, url).toBe(303);
      const page = await app.inject({ url: '/sources', cookies });
      expect(page.body, url).toContain(message);
    }
    expect(readFileSync(configFile, 'utf8')).toBe(before);
  });
});

describe('newsdesk sources add | enable | disable', () => {
  it('adds a feed after a test fetch, refuses it a second time, and switches it off and on in the config file', async () => {
    const added = await newsdesk(['sources', 'add', `${feeds.base}/feed/3.xml`, '--outlet', 'Feed Three']);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`${feeds.base}/feed/3.xml: rss feed "Feed 3", 1 entry, newest 2026-01-05 00:00 UTC: One entry`);
    expect(added.out).toContain('added Source feed-3');
    expect(loadConfig(configFile, {}).sources.at(-1)).toMatchObject({ id: 'feed-3', name: 'Feed 3', url: `${feeds.base}/feed/3.xml`, outlet: 'Feed Three', enabled: true });

    const again = await newsdesk(['sources', 'add', `${feeds.base}/feed/3.xml`]);
    expect(again.code).toBe(3);
    expect(again.out).toContain('already configured as Source feed-3');

    const missing = await newsdesk(['sources', 'add', `${feeds.base}/nothing`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`sources add: not added: ${feeds.base}/nothing: http-4xx: HTTP 404`);

    expect((await newsdesk(['sources', 'disable', 'feed-3'])).out).toBe(`Source feed-3: disabled in ${configFile}\n`);
    expect(loadConfig(configFile, {}).sources.at(-1)).toMatchObject({ id: 'feed-3', enabled: false });
    expect((await newsdesk(['sources', 'disable', 'feed-3'])).out).toBe('Source feed-3: already disabled\n');
    expect((await newsdesk(['sources', 'enable', 'feed-3'])).code).toBe(0);
    expect(loadConfig(configFile, {}).sources.at(-1)).toMatchObject({ id: 'feed-3', enabled: true });
  }, 60_000);
});
