/**
 * Two workers, each with its own connection pool to one PostgreSQL database,
 * process overlapping Items at the same moment: the originals and their copies
 * split between them, some Items given to both. The race is made likely: both
 * start together and each batch's lookup would miss the other's Items if the
 * dedupe lock did not serialise the decision. One Story per piece, every Item once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeSettings } from '../../src/dedupe/rules.js';
import { createLogger } from '../../src/log.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import { upsertItem } from '../../src/store/items.js';
import { migrate } from '../../src/store/migrate.js';
import { syncSources } from '../../src/store/sources.js';
import { processItems, type ProcessDeps } from '../../src/dedupe/process-items.js';
import { createPostgresDatabase } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { copyEdit, newsGenerator } from '../helpers/news-generator.js';
import { EMPTY_TAXONOMY } from '../../src/tag/taxonomy.js';

const PIECES = 40;

describe('two workers deduping overlapping Items at once (PostgreSQL)', () => {
  let workers: Db[];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    workers = [await openPostgres(database.url), await openPostgres(database.url)];
    drop = async () => {
      for (const db of workers) await db.close();
      await database.drop();
    };
    await migrate(workers[0]!);
    await syncSources(workers[0]!, [
      { id: 'wire', kind: 'feed', name: 'Wire', enabled: true, url: 'https://wire.example/feed', role: 'outlet', allowAddresses: [] },
      { id: 'paper', kind: 'feed', name: 'Paper', enabled: true, url: 'https://paper.example/feed', role: 'outlet', allowAddresses: [] },
    ]);
  });
  afterAll(async () => drop());

  it('never creates two Stories for one piece', async () => {
    const generator = newsGenerator(99);
    const originals = [];
    const copies = [];
    for (let i = 0; i < PIECES; i += 1) {
      const article = generator.article();
      originals.push(makeItem({ key: `https://wire.example/${i}`, sourceId: 'wire', title: article.title, contentText: article.text, url: `https://wire.example/${i}` }));
      // The paper's copy-edited version: a syndicated copy, not an exact one.
      copies.push(makeItem({ key: `https://paper.example/${i}`, sourceId: 'paper', title: `Retitled ${i}`, contentText: copyEdit(article.text, 0.05, i), url: `https://paper.example/${i}` }));
    }
    for (const item of [...originals, ...copies]) await upsertItem(workers[0]!, item);

    const deps = (db: Db): ProcessDeps => ({
      db,
      config: { dedupe: dedupeSettings() },
      log: createLogger({ level: 'silent' }),
      taxonomy: EMPTY_TAXONOMY, jobs: { add: async () => undefined },
      now: () => new Date(),
    });
    // Worker 1: all originals and the first ten copies. Worker 2: all copies and the first ten originals.
    const [one, two] = await Promise.all([
      processItems({ itemIds: [...originals, ...copies.slice(0, 10)].map((item) => item.id) }, deps(workers[0]!)),
      processItems({ itemIds: [...copies, ...originals.slice(0, 10)].map((item) => item.id) }, deps(workers[1]!)),
    ]);
    expect(one.assigned + two.assigned).toBe(2 * PIECES);
    expect(one.storiesCreated + two.storiesCreated).toBe(PIECES);

    const db = workers[0]!;
    const stories = await db.query<{ id: string; members: number }>(
      `select s.id, count(si.item_id)::int as members from stories s left join story_items si on si.story_id = s.id
       where s.merged_into is null group by s.id`,
    );
    expect(stories).toHaveLength(PIECES);
    expect(stories.every((story) => story.members === 2)).toBe(true);
    for (let i = 0; i < PIECES; i += 1) {
      const rows = await db.query<{ storyId: string }>('select story_id as "storyId" from story_items where item_id = any($1)', [
        [originals[i]!.id, copies[i]!.id],
      ]);
      expect(new Set(rows.map((row) => row.storyId)).size).toBe(1);
    }
    const [prints] = await db.query<{ count: number }>('select count(*)::int as count from dedupe_prints');
    expect(prints!.count).toBe(2 * PIECES);
  });
});
