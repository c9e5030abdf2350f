/**
 * `newsdesk serve` over a real socket: the Feeds the sample run wrote, with
 * ETag, Last-Modified and 304s for conditional requests, gzip or brotli as
 * asked, nothing outside the Feed names reachable, health checks that follow
 * the database, and metrics.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let config: Config;
let runtime: Runtime;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  config = await sampleConfig('pglite', cleanups, { processed: true });
  await runPipeline(config, log, { command: 'publish', queues: ['publish'] });
  runtime = await openRuntime(config, log);
  app = buildServer(runtime);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await runtime.close().catch(() => undefined);
  for (const cleanup of cleanups) await cleanup();
});

/** A GET or HEAD over the socket with node:http, which (unlike fetch) leaves the body as it came: compressed or not. */
function raw(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${pathname}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('newsdesk serve', () => {
  it('serves each Feed with its media type, a weak ETag (one for every encoding) and Last-Modified', async () => {
    for (const [name, type] of [
      ['feed.xml', 'application/rss+xml'],
      ['atom.xml', 'application/atom+xml'],
      ['feed.json', 'application/feed+json'],
      ['topics/escape.atom', 'application/atom+xml'],
      ['topics/escape.json', 'application/feed+json'],
    ] as const) {
      const response = await fetch(`${base}/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect(response.headers.get('etag')).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(response.headers.get('last-modified')).toMatch(/GMT$/);
      expect(await response.text()).toBe(readFileSync(path.join(config.output, name), 'utf8'));
    }
  });

  it('answers 304 to a reader that has the current version, by ETag or by date', async () => {
    const first = await fetch(`${base}/feed.xml`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;

    const byTag = await fetch(`${base}/feed.xml`, { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('etag')).toBe(etag);
    expect((await fetch(`${base}/feed.xml`, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    // An old ETag gets the Feed, even with a date that would match (If-None-Match wins).
    expect((await fetch(`${base}/feed.xml`, { headers: { 'if-none-match': '"old"', 'if-modified-since': lastModified } })).status).toBe(200);
  });

  it('compresses a Feed with gzip or brotli as the reader asks, and answers the ETag it got with 304', async () => {
    const file = readFileSync(path.join(config.output, 'feed.xml'));
    const plain = await raw('/feed.xml');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.body.equals(file)).toBe(true);
    for (const [encoding, decode] of [['gzip', gunzipSync], ['br', brotliDecompressSync]] as const) {
      const response = await raw('/feed.xml', { 'accept-encoding': encoding });
      expect(response.status, encoding).toBe(200);
      expect(response.headers['content-encoding'], encoding).toBe(encoding);
      expect(response.headers.vary, encoding).toBe('accept-encoding');
      expect(response.headers['content-type']).toContain('application/rss+xml');
      expect(response.body.length, encoding).toBeLessThan(file.length / 2);
      expect(decode(response.body).equals(file), encoding).toBe(true);
      expect(response.headers.etag).toBe(plain.headers.etag);
      const again = await raw('/feed.xml', { 'accept-encoding': encoding, 'if-none-match': response.headers.etag! });
      expect(again.status, encoding).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(response.headers.etag);
      expect(again.headers.vary).toBe('accept-encoding');
    }
    // A browser's list: brotli first; the ETag a reader kept from before (strong, same digest) still matches.
    expect((await raw('/feed.xml', { 'accept-encoding': 'gzip, deflate, br' })).headers['content-encoding']).toBe('br');
    expect((await raw('/feed.xml', { 'if-none-match': plain.headers.etag!.slice(2) })).status).toBe(304);
    // HEAD: the headers, no body.
    const head = await raw('/feed.xml', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(plain.headers.etag);
    expect(head.body.length).toBe(0);
  });

  it('compresses published pages and the public pages too (fastify inject), but not a body too small to gain', async () => {
    mkdirSync(path.join(config.output, 'email'), { recursive: true });
    const page = `<html><body>${'<p>A paragraph of the Edition, as the email had it.</p>'.repeat(200)}</body></html>`;
    writeFileSync(path.join(config.output, 'email', '2026-W02.html'), page);
    const big = await app.inject({ url: '/email/2026-W02.html', headers: { 'accept-encoding': 'br' } });
    expect(big.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(big.rawPayload).toString('utf8')).toBe(page);
    const again = await app.inject({ url: '/email/2026-W02.html', headers: { 'accept-encoding': 'br', 'if-none-match': big.headers.etag as string } });
    expect(again.statusCode).toBe(304);

    // The login page (over 1 KB; /subscribe is a short "closed" page here, with no SMTP server configured).
    const login = await app.inject({ url: '/login', headers: { 'accept-encoding': 'gzip' } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-encoding']).toBe('gzip');
    expect(login.headers.vary).toContain('accept-encoding');
    expect(gunzipSync(login.rawPayload).toString('utf8')).toContain('<form');

    writeFileSync(path.join(config.output, 'email', '2026-W03.html'), '<p>short</p>');
    const small = await app.inject({ url: '/email/2026-W03.html', headers: { 'accept-encoding': 'gzip, br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('<p>short</p>');
  });

  it('gives a new ETag when the Feed changes', async () => {
    const file = path.join(config.output, 'feed.json');
    const before = (await fetch(`${base}/feed.json`)).headers.get('etag');
    writeFileSync(file, `${readFileSync(file, 'utf8')} `);
    const after = await fetch(`${base}/feed.json`, { headers: { 'if-none-match': before! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('answers HEAD without a body', async () => {
    const response = await fetch(`${base}/atom.xml`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeTruthy();
    expect(await response.text()).toBe('');
  });

  it('serves nothing but the Feed files', async () => {
    for (const name of ['package.json', 'topics/nope.html', 'topics/../feed.xml.tmp', '%2e%2e/package.json', 'topics/Escape.xml', 'out/feed.xml']) {
      expect((await fetch(`${base}/${name}`)).status, name).toBe(404);
    }
    expect((await fetch(`${base}/topics/no-such-topic.xml`)).status).toBe(404);
  });

  it('serves published pages and Feeds under a policy that runs no script, posts no form and frames nothing', async () => {
    // An Edition page that somehow carries script (escaping is the first defence; this is the second).
    mkdirSync(path.join(config.output, 'email'), { recursive: true });
    writeFileSync(path.join(config.output, 'email', '2026-W01.html'), '<html><body><script>alert(1)</script><p>hi</p></body></html>');
    for (const name of ['email/2026-W01.html', 'feed.xml', 'feed.json']) {
      const response = await fetch(`${base}/${name}`);
      expect(response.status, name).toBe(200);
      const policy = (response.headers.get('content-security-policy') ?? '').split(';').map((part) => part.trim());
      expect(policy, name).toContain("default-src 'none'");
      expect(policy.some((part) => part.startsWith('script-src')), name).toBe(false);
      expect(policy, name).toContain("form-action 'none'");
      expect(policy, name).toContain("frame-ancestors 'none'");
      expect(policy.find((part) => part.startsWith('sandbox'))?.split(' '), name).not.toContain('allow-scripts');
    }
  });

  it('answers /metrics with the process metrics, and no queue depths or dashboard without Redis', async () => {
    const response = await fetch(`${base}/metrics`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).not.toContain('newsdesk_queue_jobs');
    expect((await fetch(`${base}/admin/queues`)).status).toBe(404);
  });

  it('is healthy while up, and ready only while the database answers', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok' }, mail: 'not configured (mail.smtpUrl): no email is sent' });

    await runtime.close();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { checks: { database: string } }).checks.database).toBe('failing');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
