/**
 * Site furniture through the process job on both stores (issue 17): a notice
 * a site prints on every article page is counted in the text counts and left
 * out of comparisons, so a short paywalled article does not join another
 * article of its site through the notice, while real copies (syndicated on
 * another site, or reposted on the same site) still join, and `stories show`
 * says what was left out and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStoryDetail } from '../../src/cli/stories.js';
import { makePrint, type PrintSource } from '../../src/dedupe/print.js';
import { dedupeSettings } from '../../src/dedupe/rules.js';
import { replacePrint } from '../../src/store/dedupe-prints.js';
import { countPages } from '../../src/store/text-counts.js';
import type { Db } from '../../src/store/db.js';
import { pendingReviews } from '../../src/store/dedupe-decisions.js';
import { migrate } from '../../src/store/migrate.js';
import { storyDetail } from '../../src/store/story-detail.js';
import { COMMENTS, COOKIES, PAYWALL, RELATED } from '../fixtures/dedupe/furniture.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { newsGenerator } from '../helpers/news-generator.js';
import { processHarness, type ProcessHarness } from '../helpers/process-items.js';

const generator = newsGenerator(1717);
const page = (sourceId: string, key: string, title: string, text: string) =>
  makeItem({ key: `https://${sourceId}.example/${key}`, sourceId, url: `https://${sourceId}.example/${key}`, title, contentText: text });

/** Article `n` of a site, as the site prints it: its furniture above and below the body. */
function sitePage(sourceId: string, n: number, body: (paragraphs: string[]) => string[] = (p) => p) {
  const article = generator.articleAt(n);
  const text = sourceId === 'wire' ? [COOKIES, ...body(article.paragraphs), PAYWALL] : [...body(article.paragraphs), RELATED, COMMENTS];
  return page(sourceId, `a${n}`, article.title, text.join('\n\n'));
}

describe.each(storeTargets)('site furniture through the process job on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  let harness: ProcessHarness;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    harness = await processHarness(db);
  });
  afterAll(async () => drop());

  it('keeps short paywalled articles out of their site\'s other Stories, and lets copies join through the notice left out', async () => {
    // Five unrelated articles of each site, processed one by one as a feed delivers them.
    const wire = [1, 2, 3, 4, 5].map((n) => sitePage('wire', n));
    const outlet = [11, 12, 13, 14, 15].map((n) => sitePage('nk-news', n));
    for (const item of [...wire, ...outlet]) await harness.ingest(item);
    const stories = await Promise.all([...wire, ...outlet].map((item) => harness.storyOf(item)));
    expect(new Set(stories).size).toBe(10);

    // Short paywalled articles: two or three short paragraphs, then the notice (more than half of the page).
    const short = [21, 22, 23].map((n) => sitePage('wire', n, (p) => p.slice(0, 2).map((paragraph) => paragraph.split('. ')[0]!.replace(/\.?$/, '.'))));
    const outletShort = sitePage('nk-news', 24, (p) => p.slice(0, 1).map((paragraph) => paragraph.split('. ')[0]!.replace(/\.?$/, '.')));
    await harness.ingest(...short, outletShort);
    const shortStories = await Promise.all([...short, outletShort].map((item) => harness.storyOf(item)));
    expect(new Set([...stories, ...shortStories]).size).toBe(14);
    const queued = (await pendingReviews(db, 100)).filter((pair) => [...short, outletShort].some((item) => item.id === pair.itemId || item.id === pair.otherItemId));
    expect(queued).toEqual([]);

    // The syndicated copy of a wire article on the other site, with that site's furniture, joins it.
    const syndicated = page('nk-news', 'syndicated-2', generator.articleAt(2).title, [...generator.articleAt(2).paragraphs, RELATED, COMMENTS].join('\n\n'));
    // A repost of a wire article at another address of the same site (its furniture and all) joins it.
    const repost = page('wire', 'reposted-3', `Reposted: ${generator.articleAt(3).title}`, [COOKIES, ...generator.articleAt(3).paragraphs.slice(0, 3), PAYWALL].join('\n\n'));
    await harness.ingest(syndicated, repost);
    expect(await harness.storyOf(syndicated)).toBe(stories[1]);
    expect(await harness.storyOf(repost)).toBe(stories[2]);

    // Editors are told what was left out of the comparison, and why.
    const shown = formatStoryDetail(await storyDetail(db, stories[2]!));
    expect(shown).toMatch(/left out: “this article is available to subscribers only[^”]*” seen on \d+ pages of wire\.example/);
    expect(shown).not.toMatch(/shared: “[^”]*subscribers only/);
    // And which of each Item's paragraphs are its site's furniture now.
    expect(shown).toMatch(/furniture: “we use cookies and similar technologies to improve …” seen on \d+ pages of wire\.example, left out whenever it is compared/);
  });

  it('fills the text counts of a store from before them when prints are made again (stories reindex), and counts each page once', async () => {
    const counts = async () => db.query<{ paragraph: number; site: string; pages: number }>('select paragraph, site, pages from text_counts where pages > 0 order by 1, 2');
    const before = await counts();
    expect(before.some((row) => row.site === 'wire.example' && row.pages >= 5)).toBe(true);
    // As migration 015 leaves an older store: no counts, no print counted.
    await db.query('delete from text_counts');
    await db.query('update dedupe_prints set counted = false');
    const items = await db.query<PrintSource>(
      `select i.id, i.source_id as "sourceId", i.title, i.content_text as "contentText", i.content_hash as "contentHash", i.url,
         i.published_at as "publishedAt", i.archive_month as "archiveMonth" from items i order by i.id`,
    );
    const reindex = async () => {
      for (const item of items) await db.transaction(async (tx) => replacePrint(tx, makePrint(item, dedupeSettings())));
    };
    await reindex();
    expect(await counts()).toEqual(before);
    // Again: the old counts are taken back before the new ones are added.
    await reindex();
    expect(await counts()).toEqual(before);
    // Counting pages already counted (a retried process job) adds nothing.
    const counted = new Set((await db.query<{ itemId: string }>('select item_id as "itemId" from dedupe_prints where counted')).map((row) => row.itemId));
    expect(counted.size).toBeGreaterThan(10);
    await countPages(db, items.filter((item) => counted.has(item.id)).map((item) => makePrint(item, dedupeSettings())));
    expect(await counts()).toEqual(before);
  });
});
