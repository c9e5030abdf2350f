/**
 * Two taggers storing the same Stories' Topics at once (two process jobs on
 * PostgreSQL: one re-tagging every Story after a taxonomy change, one tagging
 * the Stories it just made) neither fails on a duplicate key nor leaves a
 * Story without Topics in between: the job would fail after its Stories were
 * stored, and a Feed published meanwhile would miss them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/store/db.js';
import { saveStoryTopics, storyTopics } from '../../src/store/topics.js';
import { sampleConfig } from '../helpers/sample-config.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('storing Topics (PostgreSQL)', () => {
  it('takes concurrent saves of the same Stories, and every Story keeps its Topics throughout', async () => {
    const config = await sampleConfig('postgres', cleanups, { processed: true });
    const db = await openPostgres(config.database.url!);
    cleanups.push(() => db.close());
    const ids = (await db.query<{ id: string }>('select id from stories order by id')).map((row) => row.id);
    const stored = await storyTopics(db, ids);
    const tags = ids.map((storyId) => ({ storyId, topics: stored.get(storyId)!.map(({ slug, score, source, explanation }) => ({ slug, score, source, explanation })) }));
    expect(tags.every((tag) => tag.topics.length > 0)).toBe(true);
    // The same Stories once more with a Topic fewer each: what stays and what goes are both exercised.
    const fewer = tags.map((tag) => ({ ...tag, topics: tag.topics.slice(1) }));

    let watching = true;
    const untagged: number[] = [];
    const watcher = (async () => {
      while (watching) {
        const [row] = await db.query<{ n: number }>('select count(*)::int as n from stories s where not exists (select 1 from story_topics t where t.story_id = s.id)');
        untagged.push(row!.n);
      }
    })();
    const saves = Array.from({ length: 12 }, (_, i) => saveStoryTopics(db, i % 2 === 0 ? tags : fewer));
    const outcomes = await Promise.allSettled(saves);
    watching = false;
    await watcher;

    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    expect(untagged.length).toBeGreaterThan(0);
    // A Story whose only Topic `fewer` drops may lose it; none other is ever seen without one.
    const single = tags.filter((tag) => tag.topics.length === 1).length;
    expect(Math.max(...untagged)).toBeLessThanOrEqual(single);
    await saveStoryTopics(db, tags);
    const after = await storyTopics(db, ids);
    expect(ids.map((id) => after.get(id)?.map((t) => t.slug).sort())).toEqual(tags.map((tag) => tag.topics.map((t) => t.slug).sort()));
  });
});
