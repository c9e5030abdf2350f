/**
 * Topic tagging through the real pipeline on the bundled samples, on the
 * embedded store and on PostgreSQL: every Story tagged with why, one Feed per
 * Topic holding exactly its Stories, an editor's correction taking effect at
 * once and holding on later runs, an edited taxonomy re-tagging on the next
 * run, and `tags train` learning from editors' labels.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { labelCommand, trainCommand } from '../../src/cli/tags.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { feedEntryId } from '../../src/publish/entries.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { currentModel, storyTexts } from '../../src/store/topics.js';
import { predictTopics } from '../../src/tag/model.js';
import { labelAndTag, retagIfStale } from '../../src/tag/tag-stories.js';
import { loadTaxonomy } from '../../src/tag/taxonomy.js';
import { tagDocument } from '../../src/tag/words.js';
import { sampleConfig as sharedSampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function sampleConfig(store: 'pglite' | 'postgres'): Promise<Config> {
  const config = await sharedSampleConfig(store, cleanups);
  // The taxonomy is the editors' file: a copy the test can edit.
  const topics = path.join(config.folder, 'topics.yaml');
  copyFileSync('samples/topics.yaml', topics);
  return { ...config, topics };
}

const run = (config: Config) => runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });

async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const topicRows = (db: Db) =>
  db.query<{ storyId: string; slug: string; score: number; source: string; explanation: { phrases: unknown[]; editor?: boolean } }>(
    'select story_id as "storyId", slug, score, source, explanation from story_topics order by story_id, slug',
  );

const rssGuids = (file: string) => [...readFileSync(file, 'utf8').matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!).sort();

describe.each(['pglite', 'postgres'] as const)('topic tagging on the samples (%s)', (store) => {
  let config: Config;
  let tagged: { storyId: string; slug: string }[] = [];

  it('tags every Story with scores and why, and publishes one Feed per Topic holding exactly its Stories', async () => {
    config = await sampleConfig(store);
    const summary = await run(config);
    expect(summary.topics.tagged).toBe(45);
    const rows = await withDb(config, topicRows);
    tagged = rows;
    const stories = new Set(rows.map((r) => r.storyId));
    // Every sample post is about something in the taxonomy.
    expect(stories.size).toBe(45);
    for (const row of rows) {
      expect(row.source).toBe('rules');
      expect(row.explanation.phrases.length).toBeGreaterThan(0);
    }
    const slugs = new Set(rows.map((r) => r.slug));
    expect(slugs.size).toBeGreaterThanOrEqual(8);

    for (const slug of slugs) {
      const expected = rows.filter((r) => r.slug === slug).map((r) => feedEntryId(r.storyId)).sort();
      expect(rssGuids(path.join(config.output, 'topics', `${slug}.xml`))).toEqual(expected);
      const json = JSON.parse(readFileSync(path.join(config.output, 'topics', `${slug}.json`), 'utf8')) as { items: { id: string }[] };
      expect(json.items.map((i) => i.id).sort()).toEqual(expected);
    }
    // Each entry of the overall Atom Feed names its Topics, with the scheme.
    const atom = readFileSync(path.join(config.output, 'atom.xml'), 'utf8');
    const first = rows[0]!;
    const entry = atom.split('<entry>').find((part) => part.includes(feedEntryId(first.storyId)))!;
    expect(entry).toContain(`term="${first.slug}"`);
    expect(entry).toContain('scheme="https://news.example.org/topics/"');
  });

  it("applies an editor's correction at once, and keeps it on the next run", async () => {
    const { storyId, slug } = tagged[0]!;
    const other = slug === 'faith' ? 'women' : 'faith';
    const shown = await labelCommand(config, log, storyId, [`-${slug}`, `+${other}`], 'editor-a');
    expect(shown).toContain(other);

    const now = (await withDb(config, topicRows)).filter((r) => r.storyId === storyId);
    expect(now.map((r) => r.slug)).toContain(other);
    expect(now.map((r) => r.slug)).not.toContain(slug);
    expect(now.find((r) => r.slug === other)).toMatchObject({ source: 'editor', score: 1 });

    await run(config);
    const after = (await withDb(config, topicRows)).filter((r) => r.storyId === storyId);
    expect(after.map((r) => r.slug)).toEqual(now.map((r) => r.slug));
    expect(rssGuids(path.join(config.output, 'topics', `${other}.xml`))).toContain(feedEntryId(storyId));
    expect(rssGuids(path.join(config.output, 'topics', `${slug}.xml`))).not.toContain(feedEntryId(storyId));
  });

  it('re-tags every Story on the next run after the taxonomy changes, and removes a dropped Topic\'s Feeds', async () => {
    const file = config.topics!;
    const taxonomy = parseYaml(readFileSync(file, 'utf8')) as { topics: { slug: string; threshold?: number }[] };
    taxonomy.topics = taxonomy.topics.filter((t) => t.slug !== 'regime');
    writeFileSync(file, stringifyYaml(taxonomy));

    const summary = await run(config);
    expect(summary.topics.tagged).toBe(45);
    const rows = await withDb(config, topicRows);
    expect(rows.some((r) => r.slug === 'regime')).toBe(false);
    expect(existsSync(path.join(config.output, 'topics', 'regime.xml'))).toBe(false);
    expect(existsSync(path.join(config.output, 'topics', 'escape.xml'))).toBe(true);

    // Unchanged again: nothing is re-tagged.
    expect((await run(config)).topics.tagged).toBe(0);
  });

  it('re-tags every Story once when two process jobs find the taxonomy changed at the same moment', async () => {
    const file = config.topics!;
    const taxonomy = parseYaml(readFileSync(file, 'utf8')) as { topics: { slug: string; threshold?: number }[] };
    taxonomy.topics = taxonomy.topics.filter((t) => t.slug !== 'faith');
    writeFileSync(file, stringifyYaml(taxonomy));
    const edited = loadTaxonomy(file);

    // Two workers, each with its own connection (PGlite has one; its calls still interleave).
    const [one, two] = await Promise.all([withDb(config, (db) => retagIfStale(db, edited)), withDb(config, (db) => retagIfStale(db, edited))]);
    expect([one, two].sort()).toEqual([0, 45]);
    // Done and recorded: the next job has nothing to re-tag.
    expect(await withDb(config, (db) => retagIfStale(db, edited))).toBe(0);
  });

  it('learns from editors\' labels with `tags train`, and a new correction moves the model', async () => {
    const stories = [...new Set(tagged.map((r) => r.storyId))];
    const women = new Set(tagged.filter((r) => r.slug === 'women').map((r) => r.storyId));
    // Editors confirm a dozen Stories' women label either way (in one session: opening the embedded store a dozen
    // times is most of this test's time; the command itself is tested above).
    const reviewed = stories.slice(0, 12);
    const taxonomy = loadTaxonomy(config.topics!);
    await withDb(config, async (db) => {
      for (const storyId of reviewed) await labelAndTag(db, taxonomy, storyId, [{ slug: 'women', carries: women.has(storyId) }], 'editor-b');
    });
    const trained = await trainCommand(config, log, () => undefined);
    expect(trained).toMatch(/model \d+: \d+ labelled Stories/);

    const probe = stories.find((id) => !women.has(id) && !reviewed.includes(id))!;
    const womenScore = async () =>
      withDb(config, async (db) => {
        const model = (await currentModel(db))!.model;
        const members = (await storyTexts(db, [probe])).get(probe)!;
        return predictTopics(model, tagDocument(members)).find((p) => p.slug === 'women')?.probability ?? 0;
      });
    const before = await womenScore();

    // An editor says the probe Story is about women after all; training again moves the model toward that.
    await labelCommand(config, log, probe, ['+women'], 'editor-b');
    await trainCommand(config, log, () => undefined);
    const after = await womenScore();
    expect(after).toBeGreaterThan(before + 0.05);

    const rows = (await withDb(config, topicRows)).filter((r) => r.storyId === probe);
    expect(rows.find((r) => r.slug === 'women')).toMatchObject({ source: 'editor' });
  });

  it('re-tags every Story once after an upgrade that scores differently (tags stored by an older tagger)', async () => {
    const taxonomy = loadTaxonomy(config.topics!);
    const modelId = await withDb(config, async (db) => (await currentModel(db))!.id);
    // The version an older tagger stored: the taxonomy's and the model's, nothing of the tagger's own.
    await withDb(config, (db) => db.query('update tagging_state set version = $1', [`${taxonomy.version}:${modelId}`]));
    expect(await withDb(config, (db) => retagIfStale(db, taxonomy))).toBe(45);
    expect(await withDb(config, (db) => retagIfStale(db, taxonomy))).toBe(0);
  });
});
