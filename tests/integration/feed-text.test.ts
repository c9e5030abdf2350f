/**
 * Text and links from Sources to the published Feeds (issue 16): an Atom file
 * Source and an RSS feed served on 127.0.0.1 carry titles with brackets that
 * are text (`Vector<T>`, `<talks>`) and content with relative links. One `run`
 * ingests and publishes them; each Feed, parsed back, gives the titles
 * character for character and the links resolved against xml:base, the
 * entry's page or the feed's address.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { loadConfig } from '../../src/config.js';
import { parseFeed } from '../../src/ingest/feed/parse.js';
import type { ParsedFeed } from '../../src/ingest/feed/parsed-feed.js';
import { createLogger } from '../../src/log.js';

const fixture = (name: string) => path.resolve(`tests/fixtures/feeds-e2e/${name}`);

let server: Server;
let base = '';
beforeAll(async () => {
  const rss = readFileSync(fixture('text-and-links.rss'));
  server = createServer((request, response) => {
    if (request.url !== '/talks.rss') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('newsdesk run: titles and links from Source to Feed', () => {
  it('publishes titles with brackets as text and relative links resolved, in RSS, Atom and JSON Feed', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-feed-text-'));
    const file = path.join(folder, 'newsdesk.yaml');
    writeFileSync(
      file,
      `site: { title: Test desk, url: "https://desk.example.org" }
output: out
database: { dataDir: pglite }
fetch: { hostGapSeconds: 0 }
sources:
  - { id: generic, kind: file, name: Generic Weekly, path: "${fixture('text-and-links.atom')}" }
  - { id: talks, kind: feed, name: Seoul Talks, url: "${base}/talks.rss", allowAddresses: [127.0.0.1] }
`,
    );
    const config = loadConfig(file, {});
    const summary = await runPipeline(config, createLogger({ level: 'silent' }), { command: 'run', queues: ['ingest', 'process', 'publish'] });
    expect(summary.problems).toEqual([]);
    expect(summary.feeds.entries).toBe(4);

    const out = (name: string) => readFileSync(path.join(config.output, name));
    const feeds: [string, ParsedFeed][] = [];
    for (const name of ['feed.xml', 'atom.xml', 'feed.json']) {
      feeds.push([name, await parseFeed(out(name), { url: `https://desk.example.org/${name}`, name })]);
    }
    for (const [name, feed] of feeds) {
      const byTitle = new Map(feed.entries.map((entry) => [entry.title, entry]));
      expect([...byTitle.keys()].sort(), name).toEqual(['Kim & Moon meet <again>', 'Meet us at <talks> today', 'Rations cut <again>', 'Vector<T> and a < b']);

      const vector = byTitle.get('Vector<T> and a < b')!.content!;
      expect(vector, name).toContain('<a href="https://generic.example/about"');
      expect(vector, name).toContain('<a href="https://generic.example/2026/11/vector/notes/"');
      expect(vector, name).toContain('<img src="https://generic.example/img/map.png" alt="Map" />');
      expect(vector, name).toContain('<img src="https://cdn.generic.example/chart.png" alt="Chart" />');
      expect(vector, name).not.toContain('javascript');
      expect(byTitle.get('Kim & Moon meet <again>')!.content, name).toContain('<a href="https://mirror.generic.example/news/story-2"');
      expect(byTitle.get('Rations cut <again>')!.content, name).toContain('Rations were cut in the north-east &lt;again&gt;, traders said.');
      const talks = byTitle.get('Meet us at <talks> today')!.content!;
      expect(talks, name).toContain(`<a href="${base}/schedule"`);
      expect(talks, name).toContain(`<img src="${base}/img/hall.jpg" alt="Hall" />`);
    }
    // A whole run on PGlite (a fresh database) takes seconds alone and much longer on a busy machine.
  }, 120_000);
});
