/**
 * fetchFeed against a real HTTP server on 127.0.0.1 (port 0): every way a fetch
 * can end is served by one route and must come back classified. Nothing here
 * leaves this machine; the DNS case uses the reserved `.invalid` TLD.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchRequest } from '../../src/ingest/fetch/fetch.js';
import type { FetchOutcome } from '../../src/ingest/fetch/fetch-outcome.js';
import { HostPoliteness } from '../../src/ingest/fetch/politeness.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>NK</title><item><title>One</title></item></channel></rss>';
const ETAG = '"v2"';
const LAST_MODIFIED = 'Mon, 02 Mar 2026 09:00:00 GMT';
const SERVER_DATE = 'Mon, 02 Mar 2026 10:00:00 GMT';
const CHALLENGE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/x.js"></script></body></html>';

let server: http.Server;
let base = '';
let port = 0;
const hits = new Map<string, number>();
const seen: Record<string, IncomingMessage['headers']> = {};

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const send = (status: number, headers: http.OutgoingHttpHeaders = {}, body: string | Buffer = ''): Route => (_req, res) => {
  res.writeHead(status, headers);
  res.end(body);
};
const redirect = (status: number, location: string) => send(status, { location });
const rss = { 'content-type': 'application/rss+xml; charset=utf-8' };

const routes: Record<string, Route> = {
  '/feed': send(200, { ...rss, 'cache-control': 'public, max-age=600' }, RSS),
  '/etag': (req, res) => {
    const headers = { ...rss, etag: ETAG, 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=300' };
    if (req.headers['if-none-match'] === ETAG) send(304, { etag: ETAG, 'cache-control': 'max-age=300' })(req, res);
    else send(200, headers, RSS)(req, res);
  },
  '/lastmod': (req, res) => {
    if (req.headers['if-modified-since'] === LAST_MODIFIED) send(304)(req, res);
    else send(200, { ...rss, 'last-modified': LAST_MODIFIED }, RSS)(req, res);
  },
  '/perm1': redirect(301, '/perm2'),
  '/perm2': redirect(308, 'feed'), // relative to /perm2
  '/mixed1': redirect(301, '/mixed2'),
  '/mixed2': redirect(302, '/feed'),
  '/perm-to-404': redirect(301, '/missing'),
  '/loop-a': redirect(302, '/loop-b'),
  '/loop-b': redirect(302, '/loop-a'),
  '/to-private': redirect(302, 'http://10.0.0.1/feed'),
  '/to-metadata': redirect(301, 'http://169.254.169.254/latest/meta-data/'),
  '/to-ftp': redirect(301, 'ftp://127.0.0.1/feed.xml'),
  '/429': send(429, { 'retry-after': '120' }, 'slow down'),
  '/503': send(503, { date: SERVER_DATE, 'retry-after': 'Mon, 02 Mar 2026 10:01:30 GMT' }, 'maintenance'),
  '/500': send(500, {}, 'oops'),
  '/403': send(403, { 'content-type': 'text/plain' }, 'Forbidden'),
  '/410': send(410),
  '/404': send(404),
  '/challenge': send(503, { 'content-type': 'text/html' }, CHALLENGE),
  '/challenge-200': send(200, { 'content-type': 'text/html' }, CHALLENGE),
  '/cf-mitigated': send(403, { 'cf-mitigated': 'challenge' }),
  '/empty': send(200, rss),
  '/no-content': send(204),
  '/page': send(200, { 'content-type': 'text/html' }, '<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>'),
  '/gzip': send(200, { ...rss, 'content-encoding': 'gzip' }, zlib.gzipSync(RSS)),
  '/deflate': send(200, { ...rss, 'content-encoding': 'deflate' }, zlib.deflateSync(RSS)),
  '/br': send(200, { ...rss, 'content-encoding': 'br' }, zlib.brotliCompressSync(RSS)),
  '/bad-gzip': send(200, { ...rss, 'content-encoding': 'gzip' }, 'this is not gzip'),
  '/big': send(200, rss, Buffer.alloc(2 * 1024 * 1024, 'a')),
  '/big-chunked': (_req, res) => {
    res.writeHead(200, rss); // no Content-Length: the cap must work while streaming
    for (let i = 0; i < 32; i++) res.write(Buffer.alloc(64 * 1024, 'a'));
    res.end();
  },
  // 100 MB of zeros, gzipped while streaming (about 100 KB on the wire), stopped when the client hangs up.
  '/bomb': (_req, res) => {
    res.writeHead(200, { ...rss, 'content-encoding': 'gzip' });
    const gzip = zlib.createGzip();
    gzip.pipe(res);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = 100;
    res.on('close', () => {
      left = 0;
      gzip.destroy();
    });
    const pump = (): void => {
      while (left > 0) {
        left -= 1;
        if (!gzip.write(zeros)) return void gzip.once('drain', pump);
      }
      if (!gzip.destroyed) gzip.end();
    };
    pump();
  },
  '/slow-body': (_req, res) => {
    res.writeHead(200, rss);
    res.write('<?xml version="1.0"?><rss>'); // and never the rest
  },
  '/slow-headers': () => {}, // never answers
  '/reset': (req) => req.socket.destroy(),
  '/503-broken': (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html', 'content-length': '5000' });
    res.write('<html>maint'); // then the connection drops
    setTimeout(() => res.socket?.destroy(), 10);
  },
  '/zstd': send(200, { ...rss, 'content-encoding': 'zstd' }, 'whatever'),
};

function request(path: string, extra: Partial<FetchRequest> = {}): FetchRequest {
  return {
    url: path.includes('://') ? path : base + path,
    validators: { etag: null, lastModified: null },
    userAgent: 'newsdesk-test/0.1 (+https://news.example.org)',
    allowAddresses: ['127.0.0.1'],
    connectTimeoutMs: 300,
    totalTimeoutMs: 2000,
    maxBytes: 1024 * 1024,
    ...extra,
  };
}

/** Records the host of every hop, to show each one goes through the politeness queue. */
class RecordingPoliteness extends HostPoliteness {
  readonly hosts: string[] = [];
  override run<T>(host: string, task: () => Promise<T>): Promise<T> {
    this.hosts.push(host);
    return super.run(host, task);
  }
}
const politeness = new RecordingPoliteness({ minGapMs: 0 });
const fetchPath = (path: string, extra: Partial<FetchRequest> = {}): Promise<FetchOutcome> => fetchFeed(request(path, extra), politeness);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    seen[path] = req.headers;
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (chain) return redirect(301, `/chain/${Number(chain[1]) + 1}`)(req, res);
    (routes[path] ?? send(404))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchFeed: success and conditional GET', () => {
  it('fetches a feed with our headers and reads max-age into waitSeconds', async () => {
    const outcome = await fetchPath('/feed');
    expect(outcome).toMatchObject({ status: 'ok', httpStatus: 200, url: `${base}/feed`, finalUrl: `${base}/feed`, movedTo: null, waitSeconds: 600 });
    if (outcome.status !== 'ok') throw new Error('unreachable');
    expect(outcome.body.toString()).toBe(RSS);
    expect(outcome.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(seen['/feed']).toMatchObject({ 'user-agent': 'newsdesk-test/0.1 (+https://news.example.org)', 'accept-encoding': 'gzip, deflate, br' });
    expect(seen['/feed']!.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml.*text\/html;q=0\.5/);
  });

  it('sends If-None-Match and reads 304 as not-modified (ETag)', async () => {
    const first = await fetchPath('/etag');
    expect(first).toMatchObject({ status: 'ok', validators: { etag: ETAG, lastModified: LAST_MODIFIED } });
    if (first.status !== 'ok') throw new Error('unreachable');
    const second = await fetchPath('/etag', { validators: first.validators });
    expect(seen['/etag']).toMatchObject({ 'if-none-match': ETAG, 'if-modified-since': LAST_MODIFIED });
    expect(second).toMatchObject({ status: 'not-modified', httpStatus: 304, waitSeconds: 300, validators: { etag: ETAG, lastModified: LAST_MODIFIED } });
  });

  it('sends If-Modified-Since and reads 304 as not-modified (Last-Modified)', async () => {
    const first = await fetchPath('/lastmod');
    expect(first).toMatchObject({ status: 'ok', validators: { etag: null, lastModified: LAST_MODIFIED } });
    const second = await fetchPath('/lastmod', { validators: { etag: null, lastModified: LAST_MODIFIED } });
    expect(seen['/lastmod']!['if-none-match']).toBeUndefined();
    expect(second).toMatchObject({ status: 'not-modified', validators: { etag: null, lastModified: LAST_MODIFIED } });
  });

  it.each(['/gzip', '/deflate', '/br'])('decodes %s bodies', async (path) => {
    const outcome = await fetchPath(path);
    expect(outcome.status).toBe('ok');
    if (outcome.status === 'ok') expect(outcome.body.toString()).toBe(RSS);
  });

  it('returns an HTML page as ok (for feed discovery)', async () => {
    expect(await fetchPath('/page')).toMatchObject({ status: 'ok', contentType: 'text/html' });
  });
});

describe('fetchFeed: redirects', () => {
  it('sets movedTo when every hop is permanent (301, 308), each hop going through politeness', async () => {
    const before = politeness.hosts.length;
    const outcome = await fetchPath('/perm1');
    expect(outcome).toMatchObject({ status: 'ok', url: `${base}/perm1`, finalUrl: `${base}/feed`, movedTo: `${base}/feed` });
    expect(politeness.hosts.slice(before)).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `127.0.0.1:${port}`]);
  });

  it('leaves movedTo null when one hop is temporary (301 then 302)', async () => {
    expect(await fetchPath('/mixed1')).toMatchObject({ status: 'ok', finalUrl: `${base}/feed`, movedTo: null });
  });

  it('leaves movedTo null when the new address fails', async () => {
    expect(await fetchPath('/perm-to-404')).toMatchObject({ status: 'http-4xx', finalUrl: `${base}/missing`, movedTo: null, httpStatus: 404 });
  });

  it('ends a loop as redirect-loop', async () => {
    const outcome = await fetchPath('/loop-a');
    expect(outcome).toMatchObject({ status: 'redirect-loop', movedTo: null });
    if (outcome.status === 'redirect-loop') expect(outcome.message).toBe(`redirect loop: ${base}/loop-a -> ${base}/loop-b -> ${base}/loop-a`);
  });

  it('follows at most 5 redirects', async () => {
    const outcome = await fetchPath('/chain/0');
    expect(outcome).toMatchObject({ status: 'redirect-loop', message: 'more than 5 redirects' });
    expect([...hits.keys()].filter((path) => path.startsWith('/chain/')).sort()).toEqual(['/chain/0', '/chain/1', '/chain/2', '/chain/3', '/chain/4', '/chain/5']);
    expect(await fetchPath('/chain/100', { maxRedirects: 1 })).toMatchObject({ status: 'redirect-loop', message: 'more than 1 redirects' });
  });
});

describe('fetchFeed: address guard', () => {
  it('refuses a redirect to a private address without connecting', async () => {
    expect(await fetchPath('/to-private')).toMatchObject({ status: 'refused', message: 'refused: 10.0.0.1 is a private address', finalUrl: 'http://10.0.0.1/feed' });
    expect(await fetchPath('/to-metadata')).toMatchObject({ status: 'refused', message: 'refused: 169.254.169.254 is a cloud metadata address' });
    expect(await fetchPath('/to-ftp')).toMatchObject({ status: 'refused', message: 'refused: ftp: addresses are not fetched (only http and https)' });
  });

  it('refuses 127.0.0.1 and [::1] when they are not allowed', async () => {
    const before = hits.get('/feed') ?? 0;
    expect(await fetchPath('/feed', { allowAddresses: [] })).toMatchObject({ status: 'refused', message: 'refused: 127.0.0.1 is a loopback address' });
    expect(await fetchPath(`http://[::1]:${port}/feed`)).toMatchObject({ status: 'refused', message: 'refused: ::1 is a loopback address' });
    expect(hits.get('/feed') ?? 0).toBe(before);
  });

  it('checks names at lookup, where the connection is made', async () => {
    const before = hits.get('/feed') ?? 0;
    const refused = await fetchPath(`http://localhost:${port}/feed`, { allowAddresses: [] });
    expect(refused.status).toBe('refused');
    if (refused.status === 'refused') expect(refused.message).toMatch(/^refused: localhost resolves to .*127\.0\.0\.1, a loopback address/);
    expect(hits.get('/feed') ?? 0).toBe(before);
    expect(await fetchPath(`http://localhost:${port}/feed`)).toMatchObject({ status: 'ok' });
  });

  it('refuses what is not a URL', async () => {
    expect(await fetchPath('/feed', { url: 'feeds.example.org/rss' })).toMatchObject({ status: 'refused', message: 'not a URL: feeds.example.org/rss' });
  });
});

describe('fetchFeed: server answers', () => {
  it('reads 429 Retry-After (seconds) as rate-limited', async () => {
    expect(await fetchPath('/429')).toMatchObject({ status: 'rate-limited', httpStatus: 429, waitSeconds: 120, message: 'HTTP 429 Too Many Requests' });
  });

  it('reads 503 Retry-After (HTTP-date, against the server Date) as http-5xx with waitSeconds', async () => {
    expect(await fetchPath('/503')).toMatchObject({ status: 'http-5xx', httpStatus: 503, waitSeconds: 90, message: 'HTTP 503 Service Unavailable' });
    expect(await fetchPath('/500')).toMatchObject({ status: 'http-5xx', httpStatus: 500, waitSeconds: null });
  });

  it('classifies 403, challenge pages, 410 and 404', async () => {
    expect(await fetchPath('/403')).toMatchObject({ status: 'blocked', httpStatus: 403, message: 'HTTP 403 Forbidden' });
    expect(await fetchPath('/challenge')).toMatchObject({ status: 'blocked', httpStatus: 503, message: 'blocked: HTTP 503, a bot-wall or challenge page' });
    expect(await fetchPath('/challenge-200')).toMatchObject({ status: 'blocked', httpStatus: 200 });
    expect(await fetchPath('/cf-mitigated')).toMatchObject({ status: 'blocked', httpStatus: 403 });
    expect(await fetchPath('/410')).toMatchObject({ status: 'gone', httpStatus: 410, message: 'HTTP 410 Gone' });
    expect(await fetchPath('/404')).toMatchObject({ status: 'http-4xx', httpStatus: 404, message: 'HTTP 404 Not Found' });
  });

  it('keeps the status of an error page whose body breaks off', async () => {
    expect(await fetchPath('/503-broken')).toMatchObject({ status: 'http-5xx', httpStatus: 503 });
  });

  it('reads an empty 200 (and 204) as empty', async () => {
    expect(await fetchPath('/empty')).toMatchObject({ status: 'empty', httpStatus: 200, message: 'empty body (HTTP 200)' });
    expect(await fetchPath('/no-content')).toMatchObject({ status: 'empty', httpStatus: 204 });
  });
});

describe('fetchFeed: size caps', () => {
  it('refuses a body over the cap, declared or streamed', async () => {
    expect(await fetchPath('/big')).toMatchObject({ status: 'too-large', message: 'body larger than 1048576 bytes' });
    expect(await fetchPath('/big-chunked')).toMatchObject({ status: 'too-large' });
  });

  it('cuts a gzip bomb off at the cap on the decompressed size', async () => {
    expect(await fetchPath('/bomb', { totalTimeoutMs: 5000 })).toMatchObject({ status: 'too-large', httpStatus: null });
  });

  it('reads a corrupt compressed body as a connection failure', async () => {
    const outcome = await fetchPath('/bad-gzip');
    expect(outcome.status).toBe('connection');
    if (outcome.status === 'connection') expect(outcome.message).toMatch(/^body: incorrect header check/);
    expect(await fetchPath('/zstd')).toMatchObject({ status: 'connection', message: 'body: unsupported Content-Encoding zstd' });
  });
});

describe('fetchFeed: network failures', () => {
  it('times out a server that never finishes its body or never answers', async () => {
    expect(await fetchPath('/slow-body', { totalTimeoutMs: 300 })).toMatchObject({ status: 'timeout', message: 'no complete answer within 300 ms' });
    expect(await fetchPath('/slow-headers', { totalTimeoutMs: 300 })).toMatchObject({ status: 'timeout', message: 'no complete answer within 300 ms' });
  });

  it('reads a name under .invalid as dns', async () => {
    const outcome = await fetchPath('http://feed.newsdesk.invalid/rss');
    expect(outcome.status).toBe('dns');
    if (outcome.status === 'dns') expect(outcome.message).toMatch(/^DNS: cannot resolve feed\.newsdesk\.invalid \(/);
  });

  it('reads a TLS handshake failure as tls', async () => {
    const outcome = await fetchPath(`https://127.0.0.1:${port}/feed`); // a plain HTTP server answers the ClientHello
    expect(outcome).toMatchObject({ status: 'tls', message: 'TLS: wrong version number' });
  });

  it('reads refused and reset connections as connection', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await fetchPath(`http://127.0.0.1:${closedPort}/feed`);
    expect(refused).toMatchObject({ status: 'connection' });
    expect(refused).toMatchObject({ message: `connection refused by 127.0.0.1:${closedPort}` });
    expect(await fetchPath('/reset')).toMatchObject({ status: 'connection', message: 'connection reset by the server' });
  });

  it('times out a connect that never completes', async () => {
    // A listener whose process is stopped: once its accept queue is full, the kernel drops further SYNs.
    const child: ChildProcess = spawn(process.execPath, [
      '-e',
      "const s = require('net').createServer(); s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => console.log(s.address().port));",
    ]);
    const fillers: net.Socket[] = [];
    try {
      const stuckPort = await new Promise<number>((resolve, reject) => {
        child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
        setTimeout(() => reject(new Error('the listener child did not start')), 5000).unref();
      });
      child.kill('SIGSTOP');
      // Fill the accept queue until a connection hangs.
      for (let i = 0; i < 64; i++) {
        const socket = net.connect(stuckPort, '127.0.0.1');
        socket.on('error', () => {});
        fillers.push(socket);
        const connected = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          setTimeout(() => resolve(false), 100);
        });
        if (!connected) break;
      }
      const outcome = await fetchPath(`http://127.0.0.1:${stuckPort}/feed`, { connectTimeoutMs: 300, totalTimeoutMs: 5000 });
      expect(outcome).toMatchObject({ status: 'timeout', message: `could not connect to 127.0.0.1:${stuckPort} within 300 ms` });
    } finally {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    }
  });
});

describe('fetchFeed: never throws', () => {
  it('turns a request Node refuses to send into a failure', async () => {
    const outcome = await fetchPath('/feed', { userAgent: 'bad\nagent' });
    expect(outcome.status).toBe('connection');
  });
});
