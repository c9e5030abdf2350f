/**
 * A feed Source's next read follows its posting rate: a busy feed and a quiet
 * one served by a real local HTTP server, read through the ingest job; the
 * store's next fetch times say how often each will be read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { loadConfig } from '../../src/config.js';
import { escapeHtml } from '../../src/html/text.js';
import { createLogger } from '../../src/log.js';
import { openPglite } from '../../src/store/db.js';
import { listSources } from '../../src/store/sources.js';
import { startFeedServer } from '../helpers/feed-server.js';

const HOUR = 3_600_000;

/** `count` posts, one every `everyHours` going back from now. */
function feed(base: string, name: string, count: number, everyHours: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const published = new Date(Date.now() - (i * everyHours + 1) * HOUR);
    return `<item><title>${escapeHtml(`${name} post ${i}`)}</title><link>${base}/${name}/${i}</link><guid>${base}/${name}/${i}</guid>` +
      `<pubDate>${published.toUTCString()}</pubDate><description>Post ${i} of the ${name} feed, on its own subject number ${i * 7919}.</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>${base}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

let server: Awaited<ReturnType<typeof startFeedServer>>;
beforeAll(async () => {
  // Feed 0 posts every 6 hours; feed 1 posted twice, weeks ago.
  server = await startFeedServer((n, base) => (n === 0 ? feed(base, 'busy', 40, 6) : feed(base, 'quiet', 2, 24 * 20)));
});
afterAll(() => server.close());

describe('reading feed Sources at their posting rate', () => {
  it('reads a busy feed every few hours and a quiet one once a day', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-pace-'));
    const file = path.join(folder, 'newsdesk.yaml');
    writeFileSync(
      file,
      `site: { title: Pace, url: "https://desk.example.org" }
database: { dataDir: pglite }
schedule: { ingestEveryMinutes: 60, maxIdleMinutes: 1440 }
fetch: { hostGapSeconds: 0 }
sources:
  - { id: busy, kind: feed, name: Busy, url: "${server.base}/feed/0.xml", allowAddresses: [127.0.0.1] }
  - { id: quiet, kind: feed, name: Quiet, url: "${server.base}/feed/1.xml", allowAddresses: [127.0.0.1] }
`,
    );
    const config = loadConfig(file, {});
    const started = Date.now();
    await runPipeline(config, createLogger({ level: 'silent' }), { command: 'ingest', queues: ['ingest'] });

    const db = await openPglite(config.database.dataDir);
    const sources = Object.fromEntries((await listSources(db)).map((source) => [source.id, source]));
    await db.close();
    const hoursAhead = (id: string) => (sources[id]!.nextFetchAt!.getTime() - started) / HOUR;
    // 28 of the busy feed's posts fall in the last week: one read per 6 hours.
    expect(hoursAhead('busy')).toBeGreaterThan(5.9);
    expect(hoursAhead('busy')).toBeLessThan(6.1);
    expect(hoursAhead('quiet')).toBeGreaterThan(23.9);
    expect(hoursAhead('quiet')).toBeLessThan(24.1);
  });
});
