/**
 * Two fetch defences that tests/integration/fetch.test.ts cannot tell apart
 * from the checks behind them, against a real HTTP server on 127.0.0.1:
 * - each redirect hop's address is checked BEFORE a connection is opened
 *   (the check at connect time would also refuse most addresses, but only
 *   after the TCP handshake, and not 0.0.0.0, which reaches this machine);
 * - the ENCODED body is capped too: a compressed stream that decodes to
 *   nothing is cut off at about maxBytes instead of being read until the
 *   total timeout.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchRequest } from '../../src/ingest/fetch.js';
import { HostPoliteness } from '../../src/ingest/politeness.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>NK</title><item><title>One</title></item></channel></rss>';
/** One empty gzip member: 20 bytes that decode to nothing. A gzip stream may hold any number of them. */
const EMPTY_MEMBER = zlib.gzipSync(Buffer.alloc(0));

let server: http.Server;
let base = '';
let port = 0;
let connections = 0;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/feed') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    if (path === '/to-unspecified') return void res.writeHead(302, { location: `http://0.0.0.0:${port}/feed` }).end();
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
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
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

  it('cuts off a compressed body that decodes to nothing once the encoded bytes pass the cap', async () => {
    const started = performance.now();
    const outcome = await fetchFeed(request('/empty-members'), politeness);
    expect(outcome).toMatchObject({ status: 'too-large', message: 'body larger than 65536 bytes' });
    // Well before the 3 s total timeout: the cap, not the clock, ended it.
    expect(performance.now() - started).toBeLessThan(2500);
  });
});
