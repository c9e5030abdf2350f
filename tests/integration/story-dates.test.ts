/**
 * A Story's publication date in the store, on both engines: the earliest date
 * any of its Items gives (an archive month as a month), unknown when none
 * does, re-derived when Items join or leave (merge, split); what the Feeds,
 * compose and the editor pages read; newest-first order with undated Stories
 * by when they were first seen; and migration 010, which rewrites the dates
 * Edition entries stored before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { candidateStories, getEdition } from '../../src/store/editions.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { storyDetail } from '../../src/store/story-detail.js';
import { mergeStories, splitStory } from '../../src/store/story-edits.js';
import { listStories } from '../../src/store/stories.js';
import { searchStories } from '../../src/store/story-search.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { processHarness, type ProcessHarness } from '../helpers/process-items.js';
import { newsGenerator } from '../helpers/news-generator.js';

const generator = newsGenerator(1616);
const editor = { editor: 'test-editor', note: null };
const time = (iso: string) => ({ at: new Date(iso), precision: 'time' as const });
const month = (iso: string) => ({ at: new Date(iso), precision: 'month' as const });

describe.each(storeTargets)('Story dates on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  let ingest: ProcessHarness['ingest'];
  let storyOf: ProcessHarness['storyOf'];

  beforeAll(async () => {
    ({ db, drop } = await target.open({ empty: true }));
    // All but 010 first: the Edition below is stored the way it was before 010 (the later ones are independent of it).
    await migrate(db, listMigrations().filter((m) => m.version !== 10));
    ({ ingest, storyOf } = await processHarness(db));
  });
  afterAll(async () => drop());

  const listed = async (id: string) => (await listStories(db)).find((story) => story.id === id)!.published;

  // The blog's excerpt (filed under a month), the credited Outlet's original, and a wire copy that came out first.
  const article = generator.article();
  const excerpt = makeItem({ key: 'dated-excerpt', contentText: `${article.paragraphs.slice(0, 3).join('\n\n')}\n\n[NK News]`, attribution: 'NK News', outlets: ['NK News'], archiveMonth: '2017-12' });
  const original = makeItem({ key: 'https://nknews.example/dated', sourceId: 'nk-news', contentText: article.text, url: 'https://nknews.example/dated', outlets: ['NK News'], publishedAt: new Date('2017-12-06T09:00:00Z') });
  const wire = makeItem({ key: 'https://wire.example/dated', sourceId: 'wire', contentText: article.text, url: 'https://wire.example/dated', outlets: ['Wire'], publishedAt: new Date('2017-11-30T22:00:00Z') });
  let story: string;

  it('is the earliest date of any Item, not only the representative', async () => {
    await ingest(excerpt, original, wire);
    story = (await storyOf(original))!;
    expect([await storyOf(excerpt), await storyOf(wire)]).toEqual([story, story]);
    const detail = await storyDetail(db, story);
    expect(detail.members.find((m) => m.representative)?.itemId).toBe(original.id);
    expect(detail.published).toEqual(time('2017-11-30T22:00:00Z'));
    expect(await listed(story)).toEqual(time('2017-11-30T22:00:00Z'));
    expect((await candidateStories(db, [story]))[0]!.published).toEqual(time('2017-11-30T22:00:00Z'));
  });

  it('is re-derived when Items leave (split) and join (merge)', async () => {
    const { newStory } = await splitStory(db, story, [wire.id], editor);
    // Without the wire copy, the month the excerpt was filed under (December) starts before the original's 6 December.
    expect(await listed(story)).toEqual(month('2017-12-01T00:00:00Z'));
    expect(await listed(newStory)).toEqual(time('2017-11-30T22:00:00Z'));
    await splitStory(db, story, [excerpt.id], editor);
    expect(await listed(story)).toEqual(time('2017-12-06T09:00:00Z'));
    await mergeStories(db, [newStory, story], editor);
    expect(await listed(story)).toEqual(time('2017-11-30T22:00:00Z'));
    expect((await candidateStories(db, [story]))[0]!.published).toEqual(time('2017-11-30T22:00:00Z'));
  });

  let undated: string;
  let filed: string;

  it('is unknown when no Item gives one, and a month when only a monthly page does', async () => {
    const plain = makeItem({ key: 'undated-post', contentText: generator.article().text });
    const monthly = makeItem({ key: 'monthly-post', contentText: generator.article().text, archiveMonth: '2016-04' });
    await ingest(plain, monthly);
    [undated, filed] = [(await storyOf(plain))!, (await storyOf(monthly))!];
    expect(await listed(undated)).toBeNull();
    expect(await listed(filed)).toEqual(month('2016-04-01T00:00:00Z'));
    expect((await storyDetail(db, undated)).published).toBeNull();
    const [one, two] = await candidateStories(db, [undated, filed].sort());
    expect([one, two].find((s) => s!.id === undated)!.published).toBeNull();
    expect([one, two].find((s) => s!.id === filed)!.published).toEqual(month('2016-04-01T00:00:00Z'));
  });

  it('orders newest first: a month by its first day, an undated Story by when it was first seen', async () => {
    const order = (await listStories(db)).map((s) => s.id).filter((id) => [story, undated, filed].includes(id));
    // The undated Story was first seen today, after 2017; April 2016 is oldest.
    expect(order).toEqual([undated, story, filed]);
  });

  it('migration 010 gives Edition entries the Story date, or none, instead of the date they stored', async () => {
    const firstSeen = (await db.query<{ at: Date }>('select created_at as at from stories where id = $1', [undated]))[0]!.at;
    const entry = (storyId: string, date: Date) => ({
      storyId, title: 't', url: null, outlet: null, date, summary: '', reportedBy: [], repostedBy: [], pinned: false, section: null, sectionLabel: 'Other news',
    });
    await db.query(`insert into editions (id, week, status, subject, window_start, window_end) values ('2026-W50', '2026-W50', 'sent', 's', now(), now())`);
    const old = [entry(undated, firstSeen), entry(filed, new Date('2016-04-01T00:00:00Z')), entry(story, new Date('2017-12-06T09:00:00Z'))];
    for (const [i, e] of old.entries()) {
      await db.query('insert into edition_stories (edition_id, story_id, position, entry) values ($1, $2, $3, $4)', ['2026-W50', e.storyId, i + 1, JSON.stringify(e)]);
    }
    expect(await migrate(db)).toEqual([10]);

    const entries = (await getEdition(db, '2026-W50'))!.entries;
    expect(entries.map((e) => e.published)).toEqual([null, month('2016-04-01T00:00:00Z'), time('2017-11-30T22:00:00Z')]);
    const raw = await db.query<{ entry: Record<string, unknown> }>(`select entry from edition_stories where edition_id = '2026-W50'`);
    expect(raw.every((row) => !('date' in row.entry))).toBe(true);
  });

  it('is what an editor adding a Story sees', async () => {
    await db.query(`insert into editions (id, week, status, subject, window_start, window_end) values ('2026-W51', '2026-W51', 'draft', 's', now(), now())`);
    const toAdd = await searchStories(db, '', { notInEdition: '2026-W51' });
    expect(toAdd.find((s) => s.id === undated)!.published).toBeNull();
    expect(toAdd.find((s) => s.id === filed)!.published).toEqual(month('2016-04-01T00:00:00Z'));
    expect(toAdd.find((s) => s.id === story)!.published).toEqual(time('2017-11-30T22:00:00Z'));
  });
});
