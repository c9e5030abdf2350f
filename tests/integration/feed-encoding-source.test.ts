/**
 * A feed declared UTF-8 that carries a few invalid bytes, served by a real local
 * HTTP server: its Items keep their valid UTF-8 text (not windows-1252 mojibake),
 * and the Source's health message (shown by `newsdesk sources list` and the Sources
 * page) says what was replaced.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openPglite } from '../../src/store/db.js';
import { listSources } from '../../src/store/sources.js';

/** UTF-8 throughout, but for one byte a windows-1252 editor left behind (0x92, its right quote). */
const feed = Buffer.concat([
  Buffer.from(
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>' +
      '<item><title>Café – 북한 defectors</title><link>https://wire.example/a/1</link><guid>https://wire.example/a/1</guid>' +
      '<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate><description>The defectors',
  ),
  Buffer.from([0x92]),
  Buffer.from(' stories, told in Seoul – 서울.</description></item></channel></rss>'),
]);

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a feed declared UTF-8 with invalid bytes', () => {
  it('is read as UTF-8, and the Source says how many byte sequences were replaced', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-encoding-'));
    const file = path.join(folder, 'newsdesk.yaml');
    writeFileSync(
      file,
      `site: { title: Encoding, url: "https://desk.example.org" }
database: { dataDir: pglite }
fetch: { hostGapSeconds: 0 }
sources:
  - { id: wire, kind: feed, name: Wire, url: "${base}/feed.xml", allowAddresses: [127.0.0.1] }
`,
    );
    const config = loadConfig(file, {});
    const log = createLogger({ level: 'silent' });
    const summary = await runPipeline(config, log, { command: 'ingest', queues: ['ingest'] });
    const problem = 'declared UTF-8 (HTTP), 1 invalid byte sequence replaced';
    expect(summary.problems).toEqual([{ where: 'wire', message: `parse: wire: ${problem}` }]);

    const db = await openPglite(config.database.dataDir);
    try {
      const [source] = await listSources(db);
      expect(source).toMatchObject({ id: 'wire', state: 'ok', lastStatus: 'ok', lastMessage: problem });
      const items = await db.query<{ title: string; content_text: string }>('select title, content_text from items');
      expect(items).toEqual([{ title: 'Café – 북한 defectors', content_text: 'The defectors\uFFFD stories, told in Seoul – 서울.' }]);
    } finally {
      await db.close();
    }
  });
});
