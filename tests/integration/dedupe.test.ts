/**
 * Repost detection through the process job on both stores: the blog's excerpt
 * and the Outlet's original become one Story with provenance, an original
 * joins two excerpts' Stories, series parts stay apart but linked, and editors'
 * splits and merges hold when later Items arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { pendingReviews } from '../../src/store/dedupe-decisions.js';
import { migrate } from '../../src/store/migrate.js';
import { storyDetail } from '../../src/store/story-detail.js';
import { mergeStories, splitStory } from '../../src/store/story-edits.js';
import { countStories } from '../../src/store/stories.js';
import { makePrint } from '../../src/dedupe/print.js';
import { dedupeSettings } from '../../src/dedupe/rules.js';
import { catchUp, lookupCandidates } from '../../src/store/dedupe-index.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { processHarness, type ProcessHarness } from '../helpers/process-items.js';
import { newsGenerator } from '../helpers/news-generator.js';

const generator = newsGenerator(4242);
const editor = { editor: 'test-editor', note: null };

describe.each(storeTargets)('dedupe through the process job on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  let ingest: ProcessHarness['ingest'];
  let storyOf: ProcessHarness['storyOf'];

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    ({ ingest, storyOf } = await processHarness(db));
  });
  afterAll(async () => drop());

  it("makes the blog's excerpt and the Outlet's original one Story, represented by the original", async () => {
    const article = generator.article();
    const excerpt = makeItem({ key: 'excerpt-1', title: 'A retitled repost', contentText: `${article.paragraphs.slice(0, 3).join('\n\n')}\n\n[NK News]`, attribution: 'NK News', outlets: ['NK News'] });
    const original = makeItem({ key: 'https://nknews.example/a1', sourceId: 'nk-news', title: article.title, contentText: article.text, outlets: ['NK News'], url: 'https://nknews.example/a1' });

    expect(await ingest(excerpt)).toMatchObject({ storiesCreated: 1, joined: 0 });
    const story = await storyOf(excerpt);
    expect(await ingest(original)).toMatchObject({ storiesCreated: 0, joined: 1 });
    expect(await storyOf(original)).toBe(story);

    const detail = await storyDetail(db, story!);
    expect(detail.members.find((m) => m.representative)?.itemId).toBe(original.id);
    expect(Object.fromEntries(detail.members.map((m) => [m.itemId, m.role]))).toEqual({ [original.id]: 'original', [excerpt.id]: 'excerpt' });
    const reason = detail.members.find((m) => m.itemId === original.id)!.reason;
    expect(reason).toMatchObject({ rule: 'containment', matched: excerpt.id });
    expect(reason.rule !== 'first-seen' && reason.passage).toBeTruthy();

    // Processing the same Items again changes nothing.
    expect(await ingest(excerpt, original)).toMatchObject({ assigned: 0, storiesCreated: 0 });
  });

  it('merges two excerpts of one article into the older Story when the whole article arrives', async () => {
    const article = generator.article();
    const first = makeItem({ key: 'sibling-a', contentText: article.paragraphs.slice(0, 2).join('\n\n') });
    const second = makeItem({ key: 'sibling-b', contentText: article.paragraphs.slice(-2).join('\n\n') });
    await ingest(first);
    await ingest(second);
    const [storyA, storyB] = [await storyOf(first), await storyOf(second)];
    expect(storyA).not.toBe(storyB);

    const whole = makeItem({ key: 'https://wire.example/whole', sourceId: 'wire', contentText: article.text, url: 'https://wire.example/whole' });
    expect(await ingest(whole)).toMatchObject({ merges: 1, storiesCreated: 0 });
    expect(await storyOf(first)).toBe(storyA);
    expect(await storyOf(second)).toBe(storyA);
    expect(await storyOf(whole)).toBe(storyA);
    // The absorbed id still resolves, to the Story that took it in.
    expect((await storyDetail(db, storyB!)).id).toBe(storyA);
  });

  it('keeps parts of a series apart even with a shared introduction, and links them', async () => {
    const [one, two] = [generator.article(), generator.article()];
    const intro = generator.article().paragraphs[0]!;
    const part1 = makeItem({ key: 'part-1', title: 'Escape through the mountains – Part 1', contentText: `${intro}\n\n${one.text}` });
    const part2 = makeItem({ key: 'part-2', title: 'More on escape through the mountains – Part 2', contentText: `${intro}\n\n${two.text}` });
    await ingest(part1, part2);
    expect(await storyOf(part1)).not.toBe(await storyOf(part2));
    expect((await storyDetail(db, (await storyOf(part1))!)).series.map((s) => s.storyId)).toEqual([await storyOf(part2)]);
  });

  it("respects an editor's split when a later copy matches both sides, and an editor's merge", async () => {
    const article = generator.article();
    const excerpt = makeItem({ key: 'split-excerpt', contentText: article.paragraphs.slice(0, 3).join('\n\n') });
    const original = makeItem({ key: 'https://nknews.example/split', sourceId: 'nk-news', contentText: article.text, url: 'https://nknews.example/split', outlets: ['NK News'] });
    await ingest(excerpt, original);
    const story = (await storyOf(original))!;
    expect(await storyOf(excerpt)).toBe(story);

    const { newStory } = await splitStory(db, story, [excerpt.id], editor);
    expect(await storyOf(excerpt)).toBe(newStory);
    expect(await storyOf(original)).toBe(story);

    const before = await countStories(db);
    const copy = makeItem({ key: 'https://wire.example/split-copy', sourceId: 'wire', contentText: article.text, url: 'https://wire.example/split-copy' });
    expect(await ingest(copy)).toMatchObject({ merges: 0, storiesCreated: 0 });
    expect(await countStories(db)).toBe(before);
    expect(await storyOf(excerpt)).toBe(newStory);
    expect(await storyOf(copy)).toBe(story);
    expect((await pendingReviews(db)).some((r) => r.kind === 'blocked' && r.itemId === copy.id && r.otherItemId === excerpt.id)).toBe(true);

    // The editor changes their mind: one Story again, and nothing is waiting about it.
    const { into } = await mergeStories(db, [newStory, story], editor);
    expect(into).toBe(story);
    expect(await storyOf(excerpt)).toBe(story);
    expect((await pendingReviews(db)).some((r) => r.itemId === copy.id && r.otherItemId === excerpt.id)).toBe(false);
    expect(await countStories(db)).toBe(before - 1);
  });

  it("catches up under the lock with prints another worker stored after the lookup: only the ranked ones are read whole", async () => {
    const article = generator.article();
    const original = makeItem({ key: 'https://nknews.example/late', sourceId: 'nk-news', title: article.title, contentText: article.text, url: 'https://nknews.example/late' });
    const excerpt = makeItem({ key: 'excerpt-late', title: 'Retitled late', contentText: article.paragraphs.slice(0, 3).join('\n\n') });
    const unrelated = makeItem({ key: 'unrelated-late', title: 'Another piece', contentText: generator.article().text });
    const settings = dedupeSettings();
    // The excerpt's lookup is made before the original and an unrelated Item are stored by another worker.
    const excerptPrint = makePrint(excerpt, settings);
    const seen = await lookupCandidates(db, [excerptPrint], settings);
    expect(seen.candidates.get(excerpt.id)).toEqual([]);
    await ingest(original, unrelated);

    const caught = await db.transaction((tx) => catchUp(tx, seen, [excerptPrint], settings));
    expect(caught.candidates.get(excerpt.id)).toEqual([original.id]);
    expect([...caught.stored.keys()]).toEqual([original.id]);
    expect(caught.stored.get(original.id)!.print.shingles.length).toBeGreaterThan(0);
    expect(caught.stored.get(original.id)!.storyId).toBe(await storyOf(original));
    expect(caught.upTo).toBeGreaterThan(seen.upTo);
  });

  it('refuses a split that names an Item of another Story, naming it', async () => {
    const item = makeItem({ key: 'lonely', contentText: generator.article().text });
    await ingest(item);
    await expect(splitStory(db, (await storyOf(item))!, ['it_nope'], editor)).rejects.toThrow(/it_nope not in Story st_/);
  });
});
