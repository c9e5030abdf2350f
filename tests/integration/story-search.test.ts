/**
 * Story search in the store, on both engines: live Stories by words in their
 * Items' titles and text, a title match above a text match, stemmed words,
 * phrases and `-word`; a Story found through any of its Items; after a merge
 * the Story merged away is no result (its id names the Story it went into),
 * after a split each part is found by its own words; a changed Item is found
 * by its new words; odd search text never fails; and the filters the editor
 * pages use (not in this Edition, not this Story).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { upsertItem } from '../../src/store/items.js';
import { migrate } from '../../src/store/migrate.js';
import { searchStories, type FoundStory } from '../../src/store/story-search.js';
import { mergeStories, splitStory } from '../../src/store/story-edits.js';
import { listStories } from '../../src/store/stories.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { newsGenerator } from '../helpers/news-generator.js';
import { processHarness, type ProcessHarness } from '../helpers/process-items.js';

const generator = newsGenerator(1918);
const editor = { editor: 'test-editor', note: null };
const ids = (found: { id: string }[]) => found.map((story) => story.id);
const marked = (story: FoundStory) => story.snippet.filter((part) => part.match).map((part) => part.text);

/** A generated article with real words put in: its title, and one sentence in its third paragraph. */
function article(title: string, sentence = '') {
  const { paragraphs } = generator.article();
  if (sentence) paragraphs.splice(2, 0, sentence);
  return { title, text: paragraphs.join('\n\n'), paragraphs };
}

describe.each(storeTargets)('Story search on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  let ingest: ProcessHarness['ingest'];
  let storyOf: ProcessHarness['storyOf'];

  const inTitle = article('Hyesan smugglers caught at the river');
  const inText = article('Markets reopen after the winter', 'Traders said goods from Hyesan arrived late this year.');
  const elsewhere = article('Unification ministry publishes its yearly survey');
  const titled = makeItem({ key: 'https://nknews.example/hyesan', sourceId: 'nk-news', title: inTitle.title, contentText: inTitle.text, url: 'https://nknews.example/hyesan', outlets: ['NK News'], publishedAt: new Date('2026-03-02T08:00:00Z') });
  const mentioned = makeItem({ key: 'https://wire.example/markets', sourceId: 'wire', title: inText.title, contentText: inText.text, url: 'https://wire.example/markets', outlets: ['Wire'], publishedAt: new Date('2026-03-05T08:00:00Z') });
  const other = makeItem({ key: 'https://wire.example/survey', sourceId: 'wire', title: elsewhere.title, contentText: elsewhere.text, url: 'https://wire.example/survey', outlets: ['Wire'], publishedAt: new Date('2026-03-04T08:00:00Z') });
  // One Story of two Items: the Outlet's original and the blog's excerpt of it, under a title of the blog's own.
  const reunion = article('Family reunion in Seoul after twenty years');
  const original = makeItem({ key: 'https://nknews.example/reunion', sourceId: 'nk-news', title: reunion.title, contentText: reunion.text, url: 'https://nknews.example/reunion', outlets: ['NK News'], publishedAt: new Date('2026-03-01T08:00:00Z') });
  const excerpt = makeItem({ key: 'onsong-excerpt', title: 'Onsong mother finds her son', contentText: `${reunion.paragraphs.slice(0, 3).join('\n\n')}\n\n[NK News]`, attribution: 'NK News', outlets: ['NK News'], archiveMonth: '2026-03' });
  const stories: Record<'titled' | 'mentioned' | 'other' | 'reunion', string> = { titled: '', mentioned: '', other: '', reunion: '' };

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    ({ ingest, storyOf } = await processHarness(db));
    await ingest(titled, mentioned, other, original, excerpt);
    stories.titled = (await storyOf(titled))!;
    stories.mentioned = (await storyOf(mentioned))!;
    stories.other = (await storyOf(other))!;
    stories.reunion = (await storyOf(original))!;
  });
  afterAll(async () => drop());

  it('has the Stories it searches: four, the excerpt in its original\'s Story', async () => {
    expect(await storyOf(excerpt)).toBe(stories.reunion);
    expect(new Set(Object.values(stories)).size).toBe(4);
  });

  it('ranks a Story with the word in its title above one with it in its text, and leaves out the rest', async () => {
    const found = await searchStories(db, 'Hyesan');
    expect(ids(found)).toEqual([stories.titled, stories.mentioned]);
    expect(found[0]!.rank!).toBeGreaterThan(found[1]!.rank!);
    expect(found[0]).toMatchObject({ title: inTitle.title, outlets: ['NK News'], items: 1, byId: false, published: { at: new Date('2026-03-02T08:00:00Z'), precision: 'time' } });
    // The snippet is the passage of the text with the word, marked.
    expect(marked(found[1]!)).toEqual(['Hyesan']);
    expect(found[1]!.snippet.map((part) => part.text).join('')).toContain('goods from Hyesan arrived late');
  });

  it('reads words as a search box does: stems, phrases, `or`, and `-word`', async () => {
    expect(ids(await searchStories(db, 'smuggler'))).toEqual([stories.titled]);
    expect(ids(await searchStories(db, '"Hyesan smugglers"'))).toEqual([stories.titled]);
    expect(ids(await searchStories(db, 'Hyesan -smugglers'))).toEqual([stories.mentioned]);
    expect(new Set(ids(await searchStories(db, 'survey or smugglers')))).toEqual(new Set([stories.other, stories.titled]));
    expect(ids(await searchStories(db, 'hyesan TRADERS'))).toEqual([stories.mentioned]);
  });

  it("finds a Story by any of its Items, shown under its representative's title", async () => {
    const [found, ...rest] = await searchStories(db, 'Onsong mother');
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ id: stories.reunion, title: reunion.title, items: 2 });
  });

  it('finds a Story by its id, first, before Stories whose words match', async () => {
    const [found] = await searchStories(db, ` ${stories.other} `);
    expect(found).toMatchObject({ id: stories.other, byId: true, rank: null, snippet: [] });
    expect(await searchStories(db, 'st_0000000000000000000')).toEqual([]);
  });

  it('leaves out the Stories an Edition has, and the Story asked to leave out', async () => {
    await db.query(`insert into editions (id, week, status, subject, window_start, window_end) values ('2026-W10', '2026-W10', 'draft', 's', now(), now())`);
    await db.query(`insert into edition_stories (edition_id, story_id, position, entry) values ('2026-W10', $1, 1, '{}')`, [stories.titled]);
    expect(ids(await searchStories(db, 'Hyesan', { notInEdition: '2026-W10' }))).toEqual([stories.mentioned]);
    expect(ids(await searchStories(db, stories.titled, { notInEdition: '2026-W10' }))).toEqual([]);
    expect(ids(await searchStories(db, 'Hyesan', { except: stories.mentioned }))).toEqual([stories.titled]);
    expect(ids(await searchStories(db, 'Hyesan', { limit: 1 }))).toEqual([stories.titled]);
  });

  it('lists the newest Stories, as `stories list` orders them, when given no words', async () => {
    const newest = ids(await searchStories(db, '  ', { limit: 3 }));
    expect(newest).toEqual(ids(await listStories(db, { limit: 3 })));
    expect(newest[0]).toBe(stories.mentioned);
  });

  it('finds nothing, without failing, in odd text', async () => {
    const odd = ['"', '-', 'or', '!!!', '&|:*()', "'", '\\', 'Hyesan\u0000', 'the and of', '<script>alert(1)</script>', '\ud800', '🙂', 'a'.repeat(10_000), '"unclosed phrase', '-(-)-', '::*', 'st_', '%', '_'];
    for (const text of odd) {
      const found = await searchStories(db, text);
      expect(Array.isArray(found), JSON.stringify(text)).toBe(true);
      if (text !== 'Hyesan\u0000') expect(found, JSON.stringify(text)).toEqual([]);
    }
    // A NUL is only dropped: the word next to it still finds, and a NUL alone is no words.
    expect(ids(await searchStories(db, 'Hyesan\u0000'))).toEqual([stories.titled, stories.mentioned]);
    expect(ids(await searchStories(db, '\u0000\t'))).toEqual(ids(await searchStories(db, '')));
  });

  let merged: { into: string; away: string };

  it('follows a merge: the Story merged away is no result, and its id finds the Story it went into', async () => {
    const result = await mergeStories(db, [stories.mentioned, stories.titled], editor);
    merged = { into: result.into, away: result.merged[0]! };
    expect(new Set([merged.into, merged.away])).toEqual(new Set([stories.titled, stories.mentioned]));
    const found = await searchStories(db, 'Hyesan');
    expect(ids(found)).toEqual([merged.into]);
    expect(found[0]!.items).toBe(2);
    // Found by the words of both its Items now.
    expect(ids(await searchStories(db, 'traders'))).toEqual([merged.into]);
    expect(ids(await searchStories(db, 'smugglers'))).toEqual([merged.into]);
    expect(await searchStories(db, merged.away)).toMatchObject([{ id: merged.into, byId: true }]);
  });

  it('follows a split: each part is found by its own words again', async () => {
    const { newStory } = await splitStory(db, merged.into, [mentioned.id], editor);
    expect(ids(await searchStories(db, 'traders'))).toEqual([newStory]);
    expect(ids(await searchStories(db, 'smugglers'))).toEqual([merged.into]);
    expect(new Set(ids(await searchStories(db, 'Hyesan')))).toEqual(new Set([merged.into, newStory]));
  });

  it("follows an Item's new title and text when its Source changes them", async () => {
    await upsertItem(db, { ...other, title: 'Ministry survey counts Chongjin arrivals', contentText: `${elsewhere.text}\n\nKimchaek was named too.` });
    expect(ids(await searchStories(db, 'Chongjin'))).toEqual([stories.other]);
    expect(ids(await searchStories(db, 'Kimchaek'))).toEqual([stories.other]);
    expect(ids(await searchStories(db, '"yearly survey"'))).toEqual([]);
  });
});
