/**
 * Feed Sources end to end: a real HTTP server on 127.0.0.1 serves good and bad
 * feeds; one `run` reads them all next to the archive, stores each Source's
 * classified state, and the good Sources' Items arrive whatever the others do.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openPglite } from '../../src/store/db.js';
import { listSources } from '../../src/store/sources.js';
import type { SourceRow } from '../../src/ingest/source.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds-e2e/${name}`, import.meta.url), 'utf8');
const rss = fixture('outlet.rss');
const atom = fixture('outlet.atom');
const entityBomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">]>
<rss version="2.0"><channel><title>&lol7;</title><item><title>&lol7;</title></item></channel></rss>`;

const gzipBomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, ...headers });
      response.end(body);
    };
    switch (request.url) {
      case '/rss':
        if (request.headers['if-none-match'] === '"v1"') return send(304, 'application/rss+xml', '', { etag: '"v1"' });
        return send(200, 'application/rss+xml; charset=utf-8', rss, { etag: '"v1"' });
      case '/old-atom':
        return send(301, 'text/plain', '', { location: '/atom' });
      case '/atom':
        return send(200, 'application/atom+xml', atom);
      case '/site':
        return send(200, 'text/html', `<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>Hi</body></html>`);
      case '/plain-site':
        return send(200, 'text/html', '<html><head><title>No feed here</title></head><body>Hello</body></html>');
      case '/sitemap':
        return send(200, 'application/xml', '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/</loc></url></urlset>');
      case '/bomb':
        return send(200, 'application/rss+xml', entityBomb);
      case '/moved-for-now':
        return send(302, 'text/plain', '', { location: '/atom' });
      case '/loop':
        return send(301, 'text/plain', '', { location: '/loop' });
      case '/slow':
        return void setTimeout(() => send(200, 'application/rss+xml', rss), 3000);
      case '/gzip-bomb':
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        return void response.end(gzipBomb);
      case '/busy':
        return send(429, 'text/plain', 'slow down', { 'retry-after': '7200' });
      case '/down':
        return send(503, 'text/plain', 'maintenance');
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const feeds: Record<string, string> = {
  rss: '/rss',
  atom: '/old-atom',
  site: '/site',
  'plain-site': '/plain-site',
  sitemap: '/sitemap',
  bomb: '/bomb',
  temporary: '/moved-for-now',
  loop: '/loop',
  slow: '/slow',
  'gzip-bomb': '/gzip-bomb',
  busy: '/busy',
  down: '/down',
  missing: '/missing',
};

function writeConfig(): Config {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-feeds-'));
  const sources = Object.entries(feeds)
    .map(([id, route]) => `  - { id: ${id}, kind: feed, name: ${id}, url: "${base}${route}", allowAddresses: [127.0.0.1] }`)
    .join('\n');
  const file = path.join(folder, 'newsdesk.yaml');
  writeFileSync(
    file,
    `site: { title: Test desk, url: "https://desk.example.org" }
output: out
database: { dataDir: pglite }
fetch: { hostGapSeconds: 0, totalTimeoutSeconds: 1, maxBytes: 1048576 }
sources:
  - { id: archive, kind: archive, name: Archive, path: "${path.resolve('samples/archive')}" }
  - { id: file, kind: file, name: File, path: "${path.resolve('tests/fixtures/feeds-e2e/outlet.atom')}", outlet: Unification Daily }
  - { id: export, kind: wordpress-export, name: Export, path: "${path.resolve('tests/fixtures/wxr/sample.xml')}" }
  - { id: missing-file, kind: file, name: Missing, path: /nonexistent/feed.xml }
  - { id: private, kind: feed, name: Private, url: "http://10.0.0.1/feed" }
${sources}
`,
  );
  return loadConfig(file, {});
}

const log = createLogger({ level: 'silent' });

async function storedSources(config: Config): Promise<Record<string, SourceRow>> {
  const db = await openPglite(config.database.dataDir);
  try {
    return Object.fromEntries((await listSources(db)).map((source) => [source.id, source]));
  } finally {
    await db.close();
  }
}

describe('newsdesk run with feed Sources', () => {
  it('classifies every fetch, stores the good feeds and still ingests the archive', async () => {
    const config = writeConfig();
    const started = new Date();
    const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    const byId = Object.fromEntries(summary.sources.map((source) => [source.id, source]));

    expect(byId.archive).toMatchObject({ new: 45, fetch: null, problems: 0 });
    expect(byId.rss).toMatchObject({ fetch: 'ok', new: 2 });
    expect(byId.atom).toMatchObject({ fetch: 'ok', new: 1 });
    // Found through the page's feed link: the same entries as Items of this Source, joined to the same Stories.
    expect(byId.site).toMatchObject({ fetch: 'ok', new: 2 });

    const sources = await storedSources(config);
    const state = (id: string) => [sources[id]!.state, sources[id]!.lastStatus];
    expect(state('rss')).toEqual(['ok', 'ok']);
    expect(sources.rss!.etag).toBe('"v1"');
    // 301: the Source's address moves; discovery: the feed's address is stored.
    expect(sources.atom!.url).toBe(`${base}/atom`);
    expect(sources.site!.url).toBe(`${base}/rss`);
    expect(state('plain-site')).toEqual(['retrying', 'not-a-feed']);
    expect(state('sitemap')).toEqual(['retrying', 'not-a-feed']);
    expect(['invalid-xml', 'not-a-feed']).toContain(sources.bomb!.lastStatus);
    expect(state('busy')).toEqual(['retrying', 'rate-limited']);
    expect(sources.busy!.nextFetchAt!.getTime() - started.getTime()).toBeGreaterThanOrEqual(7200 * 1000 - 1000);
    expect(state('down')).toEqual(['retrying', 'http-5xx']);
    expect(state('missing')).toEqual(['retrying', 'http-4xx']);
    expect(state('private')).toEqual(['retrying', 'refused']);
    // 302: read from where it points, but the Source keeps its address.
    expect(state('temporary')).toEqual(['ok', 'ok']);
    expect(sources.temporary!.url).toBe(`${base}/moved-for-now`);
    expect(state('loop')).toEqual(['retrying', 'redirect-loop']);
    expect(state('slow')).toEqual(['retrying', 'timeout']);
    expect(state('gzip-bomb')).toEqual(['retrying', 'too-large']);
    // Local files: a feed file, a WordPress export (published posts only), and a missing file named in the problems.
    expect(byId.file).toMatchObject({ new: 1, problems: 0 });
    expect(byId.export!.new).toBeGreaterThan(0);
    expect(byId.export!.problems).toBe(0);
    expect(byId['missing-file']).toMatchObject({ new: 0, problems: 1 });
    expect(sources.private!.lastMessage).toContain('10.0.0.1');
    expect(summary.problems.map((problem) => problem.where).sort()).toEqual(
      ['bomb', 'busy', 'down', 'gzip-bomb', 'loop', 'missing', 'plain-site', 'private', 'sitemap', 'slow', '/nonexistent/feed.xml'].sort(),
    );
    // The archive's 45, the RSS feed's 2 and the Atom feed's 1 (the file, the discovered
    // site feed and the 302 repeat them exactly, so they join those Stories), and the export's posts.
    expect(summary.feeds.entries).toBe(45 + 3 + byId.export!.new);

    // A second run: Sources that asked us to wait are not read; the ETag gives a 304.
    const again = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'], force: false });
    expect(again.notDue.map((source) => source.id)).toContain('busy');
    const forced = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'], sourceIds: ['rss'], force: true });
    expect(forced.sources).toMatchObject([{ id: 'rss', fetch: 'not-modified', new: 0 }]);
  });
});
