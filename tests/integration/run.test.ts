/**
 * The main job end to end over the bundled samples, on the embedded store and
 * on PostgreSQL: 45 Items in 50 Appearances, three Feeds of 45 entries, and a
 * second run that changes nothing; and no date the samples do not give.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { feedEntryId } from '../../src/publish/entries.js';
import { withRuntime } from '../../src/runtime.js';
import { getEdition } from '../../src/store/editions.js';
import { listStories } from '../../src/store/stories.js';
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

describe('newsdesk run gives no Story a publication date the samples do not give', () => {
  it('dates by the monthly pages only, as months; the Feeds and the email show no other date', async () => {
    const config = await sampleConfig('pglite');
    const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish', 'compose'] });
    expect(summary.problems).toEqual([]);

    // No day in any Feed (the samples give none): no RSS pubDate, no Atom published, no JSON Feed date_published.
    const json = JSON.parse(readFileSync(path.join(config.output, 'feed.json'), 'utf8')) as { items: { id: string; date_published?: string; date_modified?: string }[] };
    expect(json.items.filter((item) => item.date_published !== undefined)).toEqual([]);
    expect(json.items.every((item) => item.date_modified !== undefined)).toBe(true);
    expect(readFileSync(path.join(config.output, 'feed.xml'), 'utf8')).not.toContain('<pubDate>');
    expect(readFileSync(path.join(config.output, 'atom.xml'), 'utf8')).not.toContain('<published>');
    // The email: a month as a month, no made-up day.
    const text = readFileSync(path.join(config.output, 'edition.txt'), 'utf8');
    expect(text).not.toMatch(/\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b/);
    expect(text).toMatch(/ · (?:April 2016|January 2020)\n/);

    // What the samples say: a post is dated only by the `Monthly Archives` page it is on, to the month.
    const { stories, months, edition } = await withRuntime(config, log, async ({ db }) => ({
      stories: await listStories(db),
      months: new Map(
        (
          await db.query<{ storyId: string; month: string }>(
            `select si.story_id as "storyId", a.context->>'month' as month from appearances a join story_items si on si.item_id = a.item_id
             where a.context->>'month' is not null`,
          )
        ).map((row) => [row.storyId, row.month]),
      ),
      edition: await getEdition(db, summary.edition!.editionId),
    }));
    const expected = (storyId: string) => {
      const month = months.get(storyId);
      return month ? { at: new Date(`${month}-01T00:00:00Z`), precision: 'month' } : null;
    };
    expect(months.size).toBeGreaterThan(0);
    expect(months.size).toBeLessThan(stories.length);
    for (const story of stories) expect(story.published, story.title).toEqual(expected(story.id));
    for (const entry of edition!.entries) expect(entry.published, entry.title).toEqual(expected(entry.storyId));

    // Still newest first: undated Stories by when first seen (today), then the months, newest first.
    expect(json.items).toHaveLength(stories.length);
    const sortKey = new Map(stories.map((story) => [feedEntryId(story.id), (story.published?.at ?? story.createdAt).getTime()]));
    const keys = json.items.map((item) => sortKey.get(item.id)!);
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    expect(new Set(keys).size).toBeGreaterThan(2);
    // The whole pipeline, the compose and the email render included: room for a busy machine.
  }, 120_000);
});
