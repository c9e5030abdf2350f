/**
 * The weekly Edition composed from the bundled samples through the compose
 * job, on the embedded store and on PostgreSQL: a draft in taxonomy sections
 * within the limits; an untouched draft composed again in place, an approved
 * one kept; a thin week skipped with its reason; a Story an earlier week's sent
 * Edition carried left out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { InlineJobs } from '../../src/queue/inline.js';
import { jobDeps, withRuntime } from '../../src/runtime.js';
import { getEdition, listEditions, moveEdition } from '../../src/store/editions.js';
import { loadTaxonomy } from '../../src/tag/taxonomy.js';
import { weekInProgress } from '../../src/week.js';
import { composeWeek } from '../../src/digest/compose-week.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const compose = (config: Config, week: string) =>
  withRuntime(config, log, (runtime) => composeWeek({ week }, jobDeps(runtime, new InlineJobs(new Set()))));

describe.each(['pglite', 'postgres'] as const)('composing the weekly Edition (%s)', (store) => {
  let config: Config;
  let week: string;

  it('composes the week in progress as a draft: taxonomy sections, within the limits, each Story once', async () => {
    const base = await sampleConfig(store, cleanups);
    config = { ...base, digest: { ...base.digest, maxStories: 12, maxPerSection: 4 } };
    const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish', 'compose'] });
    week = weekInProgress(new Date(), config.schedule.compose);
    expect(summary.edition).toMatchObject({ editionId: week, status: 'draft', outcome: 'composed', stories: 12, candidates: 45 });

    const edition = (await withRuntime(config, log, ({ db }) => getEdition(db, week)))!;
    expect(edition.status).toBe('draft');
    // The lead Story's title, whole (the site's name too when both fit), within what an inbox shows.
    expect(edition.subject.length).toBeLessThanOrEqual(70);
    expect(edition.subject.replace(/^North Korean Refugees News Desk: /, '')).toBe(edition.entries[0]!.title);
    expect(edition.entries).toHaveLength(12);
    expect(new Set(edition.entries.map((e) => e.storyId)).size).toBe(12);
    // Sections appear once each, in the taxonomy's order, none over its limit.
    const taxonomyOrder = loadTaxonomy(config.topics!).topics.map((topic) => topic.slug);
    const sections = edition.entries.map((e) => e.section).filter((s, i, all) => all.indexOf(s) === i);
    const known = sections.filter((s): s is string => s !== null && taxonomyOrder.includes(s));
    expect(known).toEqual([...known].sort((a, b) => taxonomyOrder.indexOf(a) - taxonomyOrder.indexOf(b)));
    for (const section of sections) expect(edition.entries.filter((e) => e.section === section).length).toBeLessThanOrEqual(4);
    for (const entry of edition.entries) {
      expect(entry.summary.length).toBeGreaterThan(40);
      expect(entry.summary.length).toBeLessThanOrEqual(config.digest.summaryChars);
    }
  });

  it('composes an untouched draft again in place, and keeps an Edition an editor approved', async () => {
    expect(await compose(config, week)).toMatchObject({ editionId: week, outcome: 'recomposed', stories: 12 });
    await withRuntime(config, log, ({ db }) => moveEdition(db, week, 'approved', 'editor-a'));
    const before = await withRuntime(config, log, ({ db }) => getEdition(db, week));
    expect(await compose(config, week)).toMatchObject({ editionId: week, outcome: 'kept' });
    const after = await withRuntime(config, log, ({ db }) => getEdition(db, week));
    expect(after).toEqual(before);
    expect(after!.status).toBe('approved');
  });

  it('skips a thin week with the reason instead of composing an empty email', async () => {
    const result = await compose(config, '2020-W01');
    expect(result).toMatchObject({ editionId: '2020-W01', status: 'skipped', stories: 0, candidates: 0 });
    expect(result.reason).toContain('fewer than the minimum of 3');
    const editions = await withRuntime(config, log, ({ db }) => listEditions(db));
    expect(editions.find((e) => e.id === '2020-W01')).toMatchObject({ status: 'skipped', stories: 0 });
  });

  it("leaves out a Story that another week's sent Edition carried", async () => {
    const carried = (await withRuntime(config, log, ({ db }) => getEdition(db, week)))!.entries[0]!.storyId;
    await withRuntime(config, log, async ({ db }) => {
      await db.query(`insert into editions (id, week, status, window_start, window_end) values ('2020-W02', '2020-W02', 'sent', now(), now())`);
      await db.query(`insert into edition_stories (edition_id, story_id, position, entry) values ('2020-W02', $1, 1, '{}')`, [carried]);
      // The week's Edition goes back to an untouched draft, so compose may redo it.
      await db.query(`update editions set status = 'draft', edited_at = null where id = $1`, [week]);
    });
    const result = await compose(config, week);
    expect(result).toMatchObject({ outcome: 'recomposed', candidates: 44 });
    const edition = await withRuntime(config, log, ({ db }) => getEdition(db, week));
    expect(edition!.entries.map((e) => e.storyId)).not.toContain(carried);
  });

  it('refuses a move the review gate does not allow, naming the Edition', async () => {
    await expect(withRuntime(config, log, ({ db }) => moveEdition(db, '2020-W01', 'approved', 'editor-a'))).rejects.toThrow(
      'edition 2020-W01: cannot become approved (skipped is final)',
    );
    await expect(withRuntime(config, log, ({ db }) => moveEdition(db, 'nope', 'approved', 'editor-a'))).rejects.toThrow(/^edition nope: no such Edition$/);
  });
});
