/**
 * The main job end to end over the bundled samples, on the embedded store and
 * on PostgreSQL: 45 Items in 50 Appearances, three Feeds of 45 entries, and a
 * second run that changes nothing.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/cli/run.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { sampleConfig as sharedSampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function sampleConfig(store: 'pglite' | 'postgres', archive?: string): Promise<Config> {
  return sharedSampleConfig(store, cleanups, { archive });
}

const feedIds = (output: string) => {
  const rss = readFileSync(path.join(output, 'feed.xml'), 'utf8');
  const atom = readFileSync(path.join(output, 'atom.xml'), 'utf8');
  const json = JSON.parse(readFileSync(path.join(output, 'feed.json'), 'utf8')) as { items: { id: string }[] };
  return {
    rss: [...rss.matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]),
    atom: [...atom.matchAll(/<entry>\s*<title[^>]*>[\s\S]*?<id>([^<]+)<\/id>/g)].map((m) => m[1]),
    json: json.items.map((item) => item.id),
  };
};

describe.each(['pglite', 'postgres'] as const)('newsdesk run on the samples (%s)', (store) => {
  it('stores 45 Items in 50 Appearances, publishes 45 entries, and a second run changes nothing', async () => {
    const config = await sampleConfig(store);
    const first = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    expect(first.problems).toEqual([]);
    expect(first.items).toEqual({ new: 45, seen: 0, total: 45 });
    expect(first.appearances).toEqual({ new: 50, total: 50 });
    expect(first.stories.total).toBe(45);
    expect(first.feeds.entries).toBe(45);
    // The overall Feed and one per Topic of the sample taxonomy, each in three formats.
    expect(first.feeds.written).toHaveLength(3 * (1 + first.feeds.topicFeeds));
    expect(first.feeds.topicFeeds).toBe(12);

    const ids = feedIds(config.output);
    expect(new Set(ids.rss).size).toBe(45);
    expect(ids.atom).toEqual(ids.rss);
    expect(ids.json).toEqual(ids.rss);

    const second = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    expect(second.items).toEqual({ new: 0, seen: 45, total: 45 });
    expect(second.appearances).toEqual({ new: 0, total: 50 });
    expect(second.stories).toEqual({ new: 0, total: 45 });
    expect(feedIds(config.output)).toEqual(ids);
  });
});

describe('newsdesk run after Items were stored but never processed', () => {
  it('processes them on the next read (a worker killed between storing and queueing the process job)', async () => {
    const config = await sampleConfig('pglite');
    // `ingest` alone stores the Items and drops the process job, as a crash after the store would.
    const stored = await runPipeline(config, log, { command: 'ingest', queues: ['ingest'] });
    expect(stored.items.new).toBe(45);
    expect(stored.stories.total).toBe(0);

    const next = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    expect(next.items.new).toBe(0);
    expect(next.stories).toEqual({ new: 45, total: 45 });
  });
});

describe('newsdesk run with bad archive files', () => {
  it('names each bad file, stores the rest and keeps what was stored before', async () => {
    const archive = mkdtempSync(path.join(tmpdir(), 'newsdesk-archive-'));
    cpSync('samples/archive', archive, { recursive: true });
    const config = await sampleConfig('pglite', archive);
    await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });

    writeFileSync(path.join(archive, 'empty.txt'), '');
    writeFileSync(path.join(archive, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
    writeFileSync(path.join(archive, 'notes.txt'), 'shopping list: rice, tea\n');
    const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });

    expect(summary.problems.map((problem) => problem.where).sort()).toEqual(
      [path.join(archive, 'empty.txt'), 'notes.txt', path.join(archive, 'photo.jpg')].sort(),
    );
    expect(summary.problems.find((p) => p.where === 'notes.txt')?.message).toMatch(/^archive: notes\.txt: /);
    expect(summary.items.total).toBe(45);
    expect(summary.appearances.total).toBe(50);
    expect(summary.feeds.entries).toBe(45);
  });
});
