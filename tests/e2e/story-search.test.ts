/**
 * An editor finds Stories by words in a real browser (Debian's Chromium,
 * driven by playwright-core) against `newsdesk serve` on a real socket and a
 * real PostgreSQL database holding the bundled samples: on a Story's page
 * searches for another Story, chooses it from the results and merges the
 * two; types a third Story's id into the same search and keeps it apart; and
 * on the Edition page finds a Story by words and adds it. The database is
 * checked after each (story_merges, the Items moved, the editors' decisions,
 * the Edition's Stories). The Topics table shows each score against its
 * threshold and who decided it. Screenshots are kept in tests/artifacts/:
 * story-search.png (a Story page with results), stories-list.png and
 * edition-add.png (Add a Story with results).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/runtime.js';
import { searchStories } from '../../src/store/story-search.js';
import { EDITOR, editorPagesInBrowser, logIn } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;
let base: string;
let browser: Browser;
let editionId: string;
let page: Page;

beforeAll(async () => {
  const sample = await sampleConfig('postgres', cleanups, { processed: true });
  // The test talks plain http to 127.0.0.1; the sample's site.url is https.
  const config: Config = { ...sample, web: { ...sample.web, secureCookies: false }, digest: { ...sample.digest, maxStories: 8, maxPerSection: 3 } };
  editionId = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(page, base, '/stories');
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const membersOf = async (storyId: string) =>
  (await runtime.db.query<{ itemId: string }>('select item_id as "itemId" from story_items where story_id = $1 order by item_id', [storyId])).map((row) => row.itemId);

/** Searches with the search box labelled `label` and waits for the page of results. */
async function search(label: string, words: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(words);
  await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === words), page.getByLabel(label, { exact: true }).press('Enter')]);
}

describe('Story search in a browser', () => {
  // Two of the samples' Stories report one birthday: the rules kept them apart, an editor merges them.
  const WORDS = 'Kim Jong Un birthday';
  let into: string;

  it('finds the other Story by words on a Story page, chooses it, and merges the two', async () => {
    const [one, two] = await searchStories(runtime.db, WORDS, { limit: 2 });
    expect(one && two).toBeTruthy();
    const [before1, before2] = [await membersOf(one!.id), await membersOf(two!.id)];

    await page.goto(`${base}/stories/${one!.id}/edit`);
    await search('Find the other Story', WORDS);
    const row = page.locator(`#found-${two!.id}`);
    await expect(row.locator('mark').first().textContent()).resolves.toMatch(/^(Kim|Jong|Un|birthday)$/i);
    // The Story itself is never offered as its own other.
    await expect(page.locator(`#found-${one!.id}`).count()).resolves.toBe(0);
    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/story-search.png', fullPage: true });

    await row.getByRole('link', { name: `Choose: ${two!.title}` }).click();
    await page.locator('#chosen h3', { hasText: two!.title }).waitFor();
    await page.getByLabel('Why (optional)').first().fill('the same birthday piece');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Merge it with this Story' }).click();
    await page.locator('.flash-ok', { hasText: 'Merged' }).waitFor();

    const merges = await runtime.db.query<{ from: string; into: string; editor: string; note: string; rule: string }>(
      `select from_story as "from", into_story as "into", editor, reason->>'note' as note, reason->>'rule' as rule from story_merges where editor is not null`,
    );
    expect(merges).toHaveLength(1);
    const [merge] = merges;
    expect(new Set([merge!.from, merge!.into])).toEqual(new Set([one!.id, two!.id]));
    expect(merge).toMatchObject({ editor: EDITOR.email, note: 'the same birthday piece', rule: 'editor' });
    into = merge!.into;
    expect(new URL(page.url()).pathname).toBe(`/stories/${into}/edit`);
    // Every Item of both is in the Story merged into; the other one names it.
    expect(await membersOf(into)).toEqual([...before1, ...before2].sort());
    expect(await membersOf(merge!.from)).toEqual([]);
    const [away] = await runtime.db.query<{ mergedInto: string }>('select merged_into as "mergedInto" from stories where id = $1', [merge!.from]);
    expect(away!.mergedInto).toBe(into);
    expect((await searchStories(runtime.db, WORDS)).map((s) => s.id)).not.toContain(merge!.from);
  }, 60_000);

  it('finds a Story by its id typed into the same search, and keeps the two apart', async () => {
    const [other] = (await searchStories(runtime.db, 'Kim Yo Jong', { except: into, limit: 1 }))!;
    // A chosen id that names no Story, or this one, is refused with why, and nothing to press.
    await page.goto(`${base}/stories/${into}/edit?other=st_nothing`);
    await expect(page.locator('#other .flash-error').textContent()).resolves.toBe('No Story "st_nothing": search again and choose one of the results.');
    await page.goto(`${base}/stories/${into}/edit?other=${into}`);
    await expect(page.locator('#other .flash-error').textContent()).resolves.toContain('is this Story');
    await expect(page.getByRole('button', { name: 'Merge it with this Story' }).count()).resolves.toBe(0);
    await page.goto(`${base}/stories/${into}/edit`);
    await search('Find the other Story', other!.id);
    const row = page.locator(`#found-${other!.id}`);
    await expect(row.locator('.badge').textContent()).resolves.toBe('by its id');
    await row.getByRole('link', { name: `Choose: ${other!.title}` }).click();
    await page.getByRole('button', { name: 'Keep it apart from this Story' }).click();
    await page.locator('.flash-ok', { hasText: 'Kept apart' }).waitFor();

    const [ours, theirs] = [await membersOf(into), await membersOf(other!.id)];
    const decisions = await runtime.db.query<{ a: string; b: string; verdict: string; editor: string }>(
      `select item_a as a, item_b as b, verdict, editor from dedupe_decisions where verdict = 'apart'`,
    );
    expect(decisions).toHaveLength(ours.length * theirs.length);
    for (const d of decisions) {
      expect(d.editor).toBe(EDITOR.email);
      expect([d.a, d.b].filter((id) => ours.includes(id))).toHaveLength(1);
      expect([d.a, d.b].filter((id) => theirs.includes(id))).toHaveLength(1);
    }
  }, 60_000);

  it("shows every Topic's score against its threshold and who decided it", async () => {
    await page.goto(`${base}/stories/${into}/edit`);
    const rows = page.locator('table.topics tbody tr');
    await expect(rows.count()).resolves.toBe(runtime.taxonomy.topics.length);
    for (const topic of runtime.taxonomy.topics) {
      const row = page.locator(`#topic-${topic.slug}`);
      const score = await row.locator('td.score').textContent();
      expect(Number(await row.locator('td.against meter').getAttribute('value')).toFixed(2)).toBe(score);
      await expect(row.locator('td.against').textContent()).resolves.toMatch(/\d\.\d\d (over|under)/);
      await expect(row.locator('td.decided .badge').textContent()).resolves.toMatch(/^(rules|model|editor)$/);
    }
  }, 60_000);

  it('lists Stories with their Topics scored against their thresholds, and finds them by words', async () => {
    await page.goto(`${base}/stories`);
    const carried = await page.locator('ul.carried li .meta').allTextContents();
    expect(carried.length).toBeGreaterThan(0);
    for (const text of carried) expect(text).toMatch(/^(\d\.\d\d \/ \d\.\d\d, (rules|model)|editor)$/);
    await page.screenshot({ path: 'tests/artifacts/stories-list.png', fullPage: false });

    await search('Find Stories', WORDS);
    const found = await page.locator('table.found tbody tr').evaluateAll((rows) => rows.map((row) => row.id.replace(/^story-/, '')));
    expect(found).toEqual((await searchStories(runtime.db, WORDS, { limit: 30 })).map((s) => s.id));
    expect(found[0]).toBe(into);

    // Search text is only ever shown escaped, and odd text finds nothing rather than failing.
    const odd = '"<img src=x onerror=alert(1)> -';
    await search('Find Stories', odd);
    await expect(page.getByText('No Story has these words.').count()).resolves.toBe(1);
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await expect(page.getByLabel('Find Stories', { exact: true }).inputValue()).resolves.toBe(odd);
  }, 60_000);

  it('finds a Story by words on the Edition page and adds it, newest first without words', async () => {
    await page.goto(`${base}/editions/${editionId}`);
    // The block is folded on the review page: an editor opens it first.
    await page.locator('details.add-block > summary').click();
    const [newest] = await searchStories(runtime.db, '', { notInEdition: editionId, limit: 1 });
    await expect(page.locator('#add tbody tr').first().locator('a').first().getAttribute('href')).resolves.toBe(`/stories/${newest!.id}/edit`);

    const [wanted] = await searchStories(runtime.db, 'human rights', { notInEdition: editionId, limit: 1 });
    await search('Find Stories', 'human rights');
    await expect(page.locator('#add tbody tr').first().locator('mark').first().textContent()).resolves.toMatch(/^human$/i);
    await page.locator('#add').screenshot({ path: 'tests/artifacts/edition-add.png' });
    await page.getByRole('button', { name: `Add: ${wanted!.title}`, exact: true }).click();
    await page.locator('.flash-ok', { hasText: 'Added' }).waitFor();
    const rows = await runtime.db.query('select story_id from edition_stories where edition_id = $1 and story_id = $2', [editionId, wanted!.id]);
    expect(rows).toHaveLength(1);
  }, 60_000);
});
