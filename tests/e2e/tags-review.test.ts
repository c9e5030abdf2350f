/**
 * An editor labels the Stories the tagger is least sure of, in a real browser
 * (Debian's Chromium, driven by playwright-core) against `newsdesk serve` on
 * a real socket and a real PostgreSQL database: logs in, opens the "least sure
 * first" view, opens its first Story, sees every Topic's score, threshold and
 * why, labels the Topic nearest its line, and sees the Story leave the view.
 * Screenshots of the view and of the Story's Topics are kept in
 * tests/artifacts/tags-review-least-sure.png and tags-review.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/runtime.js';
import { leastSureStories } from '../../src/tag/review.js';
import { EDITOR, editorPagesInBrowser } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;
let base: string;
let browser: Browser;

beforeAll(async () => {
  const sample = await sampleConfig('postgres', cleanups, { processed: true });
  // The test talks plain http to 127.0.0.1; the sample's site.url is https.
  const config: Config = { ...sample, web: { ...sample.web, secureCookies: false } };
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** The Story ids of the least-sure view, in the order shown. */
const listedStories = (page: Page) => page.locator('table.least-sure tbody tr').evaluateAll((rows) => rows.map((row) => row.id.replace(/^story-/, '')));

describe('labelling the least sure Stories in a browser', () => {
  it('opens the least-sure view, sees every Topic of its first Story with score and why, labels it, and sees it leave the view', async () => {
    const expected = await leastSureStories(runtime.db, runtime.taxonomy, 50);
    expect(expected.length).toBeGreaterThan(1);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/stories/least-sure`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email').fill(EDITOR.email);
    await page.getByLabel('Password').fill(EDITOR.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/stories/least-sure`);
    await expect(page.locator('nav.tabs a[aria-current="page"]').textContent()).resolves.toBe('Least sure first');
    const before = await listedStories(page);
    expect(before).toEqual(expected.map((s) => s.storyId));
    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/tags-review-least-sure.png', fullPage: false });

    // The first Story: its page shows every Topic of the taxonomy with its score, threshold and why.
    const [first] = expected;
    await page.locator(`#story-${first!.storyId} a`).click();
    await page.waitForURL(`${base}/stories/${first!.storyId}/edit`);
    const rows = page.locator('table.topics tbody tr');
    await expect(rows.count()).resolves.toBe(runtime.taxonomy.topics.length);
    for (const topic of runtime.taxonomy.topics) {
      const row = page.locator(`#topic-${topic.slug}`);
      await expect(row.locator('td.score').textContent()).resolves.toMatch(/^\d\.\d\d$/);
      await expect(row.locator('td.why-cell').textContent()).resolves.toMatch(/rules \d/);
    }
    const nearest = first!.near[0]!;
    await expect(page.locator(`#topic-${nearest.slug} td.score`).textContent()).resolves.toBe(nearest.score.toFixed(2));

    // The editor decides the Topic nearest its line: the opposite of what the tagger gives, so the label matters.
    const label = runtime.taxonomy.topics.find((t) => t.slug === nearest.slug)!.label;
    const button = nearest.given ? `${label}: does not carry it` : `${label}: carries it`;
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.locator('.flash-ok', { hasText: `Topic ${label}:` }).waitFor();
    await expect(page.locator(`#topic-${nearest.slug} td.given`).textContent()).resolves.toBe(nearest.given ? 'no' : 'yes');
    await page.locator('#topics').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'tests/artifacts/tags-review.png', fullPage: true });

    const labels = await runtime.db.query('select slug, carries, editor from topic_labels where story_id = $1', [first!.storyId]);
    expect(labels).toEqual([{ slug: nearest.slug, carries: !nearest.given, editor: EDITOR.email }]);

    // Back on the least-sure view, the labelled Story has left it; the others keep their order.
    await page.getByRole('link', { name: 'Stories', exact: true }).click();
    await page.getByRole('link', { name: 'Least sure first' }).click();
    await page.waitForURL(`${base}/stories/least-sure`);
    expect(await listedStories(page)).toEqual(before.filter((id) => id !== first!.storyId).concat(await extraAfter(before.length)));
    await page.close();
  }, 120_000);
});

/** The Story that comes into the view when one leaves it (the view shows 50): none when all fit. */
async function extraAfter(shown: number): Promise<string[]> {
  const now = await leastSureStories(runtime.db, runtime.taxonomy, shown);
  return now.length === shown ? [now.at(-1)!.storyId] : [];
}
