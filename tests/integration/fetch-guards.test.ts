/**
 * Three fetch defences that tests/integration/fetch.test.ts cannot tell apart
 * from the checks behind them, against a real HTTP server on 127.0.0.1:
 * - each redirect hop's address is checked BEFORE a connection is opened
 *   (the check at connect time would also refuse most addresses, but only
 *   after the TCP handshake, and not 0.0.0.0, which reaches this machine);
 * - the ENCODED body is capped too: a compressed stream that decodes to
 *   nothing is cut off at about maxBytes instead of being read until the
 *   total timeout;
 * - an allowed private address is allowed on its port: the feed server cannot
 *   redirect us to another service on the same address (a second server on
 *   another port of 127.0.0.1 stands in for Redis), unless that port is listed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { fetchFeed, type FetchRequest } from '../../src/ingest/fetch/fetch.js';
import { HostPoliteness } from '../../src/ingest/fetch/politeness.js';
import { readFeedSource } from '../../src/ingest/read-feed.js';
import type { SourceRow } from '../../src/ingest/source.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>NK</title><item><title>One</title></item></channel></rss>';
/** One empty gzip member: 20 bytes that decode to nothing. A gzip stream may hold any number of them. */
const EMPTY_MEMBER = zlib.gzipSync(Buffer.alloc(0));

let server: http.Server;
let base = '';
let port = 0;
let connections = 0;
const hits = new Map<string, number>();
/** Another service on this machine, on another port: counts every connection made to it. */
let other: http.Server;
let otherPort = 0;
let otherConnections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/feed') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    if (path === '/to-unspecified') return void res.writeHead(302, { location: `http://0.0.0.0:${port}/feed` }).end();
    if (path === '/to-other-port') return void res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/feed` }).end();
    if (path === '/to-other-port-by-name') return void res.writeHead(301, { location: `http://localhost:${otherPort}/feed` }).end();
    if (path === '/page-to-other-port') {
      const link = `<link rel="alternate" type="application/rss+xml" href="http://127.0.0.1:${otherPort}/feed">`;
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head>${link}</head><body>Hi</body></html>`);
    }
    if (path === '/to-same-port') return void res.writeHead(301, { location: `http://localhost:${port}/feed` }).end();
    if (path === '/empty-members') {
      // Endless: empty gzip members until the client hangs up.
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      const chunk = Buffer.concat(Array.from({ length: 1000 }, () => EMPTY_MEMBER));
      let open = true;
      res.on('close', () => (open = false));
      const pump = (): void => {
        while (open) {
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  other = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS));
  other.on('connection', () => (otherConnections += 1));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherPort = (other.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const each of [server, other]) {
    each.closeAllConnections();
    await new Promise((resolve) => each.close(resolve));
  }
});

const request = (path: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({
  url: base + path,
  validators: { etag: null, lastModified: null },
  userAgent: 'newsdesk-test/0.1 (+https://news.example.org)',
  allowAddresses: ['127.0.0.1'],
  connectTimeoutMs: 1000,
  totalTimeoutMs: 3000,
  maxBytes: 64 * 1024,
  ...extra,
});
const politeness = new HostPoliteness({ minGapMs: 0 });

describe('fetchFeed: checks before connecting, caps before decoding', () => {
  it('refuses a redirect to 0.0.0.0 without opening a connection to it', async () => {
    const before = { connections, feed: hits.get('/feed') ?? 0 };
    const outcome = await fetchFeed(request('/to-unspecified'), politeness);
    expect(outcome).toMatchObject({ status: 'refused', message: 'refused: 0.0.0.0 is an unspecified address', finalUrl: `http://0.0.0.0:${port}/feed` });
    // One connection: the first hop's. The redirect's target was refused before any connect.
    expect(connections - before.connections).toBe(1);
    expect(hits.get('/feed') ?? 0).toBe(before.feed);
  });

  it('refuses a redirect to another port of an allowed address without connecting to it', async () => {
    const before = otherConnections;
    expect(await fetchFeed(request('/to-other-port'), politeness)).toMatchObject({
      status: 'refused',
      message: `refused: 127.0.0.1 is a loopback address, allowed on port ${port}, not ${otherPort}`,
    });
    // By name the check is at lookup, before the connect.
    expect(await fetchFeed(request('/to-other-port-by-name'), politeness)).toMatchObject({
      status: 'refused',
      message: `refused: localhost resolves to 127.0.0.1, a loopback address, allowed on port ${port}, not ${otherPort}`,
    });
    expect(otherConnections).toBe(before);
  });

  it("judges port-less entries by the Source's own port, not by the address a server pointed us to", async () => {
    const before = otherConnections;
    const discovered = request('', { url: `http://127.0.0.1:${otherPort}/feed`, sourceUrl: `${base}/page` });
    expect(await fetchFeed(discovered, politeness)).toMatchObject({ status: 'refused', message: `refused: 127.0.0.1 is a loopback address, allowed on port ${port}, not ${otherPort}` });
    expect(otherConnections).toBe(before);
  });

  it("refuses a site page's feed link to another port of the allowed address (the page chose it, not the config)", async () => {
    const before = otherConnections;
    const config = loadConfig('newsdesk.yaml', {});
    const source = {
      id: 'intranet', kind: 'feed', name: 'Intranet', location: `${base}/page-to-other-port`, url: null, enabled: true,
      settings: { allowAddresses: ['127.0.0.1'] }, etag: null, lastModified: null,
    } as unknown as SourceRow;
    const content = await readFeedSource(source, config, politeness);
    expect(content.fetch).toMatchObject({ status: 'refused', message: `refused: 127.0.0.1 is a loopback address, allowed on port ${port}, not ${otherPort}` });
    expect(content.items).toEqual([]);
    expect(otherConnections).toBe(before);
  });

  it('follows redirects within the allowed port, and to a port that is listed', async () => {
    expect(await fetchFeed(request('/to-same-port'), politeness)).toMatchObject({ status: 'ok', finalUrl: `${base.replace('127.0.0.1', 'localhost')}/feed` });
    const listed = await fetchFeed(request('/to-other-port', { allowAddresses: ['127.0.0.1', `127.0.0.1:${otherPort}`] }), politeness);
    expect(listed).toMatchObject({ status: 'ok', finalUrl: `http://127.0.0.1:${otherPort}/feed` });
    if (listed.status === 'ok') expect(listed.body.toString()).toBe(RSS);
  });

  it('cuts off a compressed body that decodes to nothing once the encoded bytes pass the cap', async () => {
    const started = performance.now();
    const outcome = await fetchFeed(request('/empty-members'), politeness);
    expect(outcome).toMatchObject({ status: 'too-large', message: 'body larger than 65536 bytes' });
    // Well before the 3 s total timeout: the cap, not the clock, ended it.
    expect(performance.now() - started).toBeLessThan(2500);
  });
});
