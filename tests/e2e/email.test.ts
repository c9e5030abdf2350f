/**
 * The weekly email as a reader sees it, in Debian's Chromium at 600 px (the
 * email's width): the Edition `npm start` writes to out/edition.html, from the
 * samples. Every Story is a link; the contents jump to their sections; nothing
 * is wider than the email. An editor then picks full summaries on the review
 * page (the database must say so) and the preview grows. The Story page a
 * link leads to, served by `newsdesk serve`, loads its stylesheet under its
 * CSP. Screenshots: tests/artifacts/email.png (short summaries),
 * email-full.png, story-page.png; the heights in tests/artifacts/page-heights-email.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/runtime.js';
import { editionEvents, getEdition } from '../../src/store/editions.js';
import { EDITOR, editorPagesInBrowser, logIn } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';

const WIDTH = 600;
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
const heights: Record<string, number> = {};
let config: Config;
let runtime: Runtime;
let base: string;
let browser: Browser;
let editionId: string;

beforeAll(async () => {
  const sample = await sampleConfig('pglite', cleanups, { processed: true });
  config = { ...sample, web: { ...sample.web, secureCookies: false } };
  const summary = await runPipeline(config, log, { command: 'run', queues: ['publish', 'compose'] });
  editionId = summary.edition!.editionId;
  expect(summary.editionPreview?.status).toBe('written');
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
  mkdirSync('tests/artifacts', { recursive: true });
}, 120_000);

afterAll(async () => {
  writeFileSync('tests/artifacts/page-heights-email.json', `${JSON.stringify({ width: WIDTH, ...heights }, null, 2)}\n`);
  for (const cleanup of cleanups) await cleanup();
});

// Evaluated in the page, as text: the tests are type-checked without the DOM's types.
const pageHeight = (page: Page) => page.evaluate('document.documentElement.scrollHeight') as Promise<number>;

describe('the weekly email in a browser at 600 px', () => {
  it('links every Story, jumps from the contents to each section, and fits the width', async () => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.goto(pathToFileURL(path.join(config.output, 'edition.html')).href);
    await expect(page.locator('h3').count()).resolves.toBe(20);
    await expect(page.locator('h3 a').count()).resolves.toBe(20);
    // Nothing wider than the email: no sideways scrolling on a phone-sized window either.
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(WIDTH);

    const contents = page.locator('a[href^="#nd-s"]');
    const count = await contents.count();
    expect(count).toBeGreaterThan(1);
    await page.screenshot({ path: 'tests/artifacts/email.png', fullPage: true });
    heights.short = await pageHeight(page);

    // A section's link in the middle of the list scrolls its heading to the top of the window.
    const middle = contents.nth(Math.floor(count / 2));
    const target = (await middle.getAttribute('href'))!;
    await middle.click();
    await page.waitForFunction(`Math.abs(document.getElementById(${JSON.stringify(target.slice(1))}).getBoundingClientRect().top) < 2`, undefined, { timeout: 5_000 });
    await expect(page.evaluate('window.scrollY')).resolves.toBeGreaterThan(900);
    await page.close();
  });

  it('shows the full summaries once an editor picks them on the review page; the database says so', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, `/editions/${editionId}`);
    // The choice sits with the subject and intro, folded until an editor opens them.
    await page.locator('#text-edit > summary').click();
    const full = page.getByRole('radio', { name: 'full', exact: true });
    await expect(full.isChecked()).resolves.toBe(false);
    await full.check();
    await page.locator('form[action$="/summaries"] button').click();
    await page.locator('.flash-ok', { hasText: 'The email shows the full summaries.' }).waitFor();

    const edition = (await getEdition(runtime.db, editionId))!;
    expect(edition.summaries).toBe('full');
    const events = await editionEvents(runtime.db, editionId);
    expect(events.at(-1)).toMatchObject({ editor: EDITOR.email, action: 'summaries', detail: { kind: 'summaries', summaries: 'full' } });

    await page.setViewportSize({ width: WIDTH, height: 900 });
    await page.goto(`${base}/editions/${editionId}/preview.html`);
    await page.screenshot({ path: 'tests/artifacts/email-full.png', fullPage: true });
    heights.full = await pageHeight(page);
    expect(heights.full).toBeGreaterThan(heights.short!);
    await page.close();
  });

  it("opens a Story's page from the email: served, styled under its CSP, no script", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(pathToFileURL(path.join(config.output, 'edition.html')).href);
    const link = (await page.locator('h3 a').first().getAttribute('href'))!;
    // The link is on site.url; here the site is this server.
    const response = await page.goto(`${base}${new URL(link).pathname}`);
    expect(response?.status()).toBe(200);
    // The stylesheet applied: the page's main column is narrowed as the public pages are.
    await expect(page.locator('main.public').evaluate('(main) => getComputedStyle(main).maxWidth')).resolves.not.toBe('none');
    await expect(page.locator('script').count()).resolves.toBe(0);
    expect(refused).toEqual([]);
    await page.screenshot({ path: 'tests/artifacts/story-page.png', fullPage: true });
    heights.storyPage375 = await pageHeight(page);
    await page.close();
  });
});
