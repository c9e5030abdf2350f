/**
 * An editor reviews the weekly Edition in a real browser (Debian's Chromium,
 * driven by playwright-core) against `newsdesk serve` on a real socket and a
 * real PostgreSQL database: logs in, opens the draft, swaps two Stories,
 * removes one, changes the subject and approves it. The database must then
 * hold exactly that, with every change in the history under the editor's
 * email. A screenshot of the review page with its preview is kept in
 * tests/artifacts/edition-review.png.
 */
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/cli/run.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/runtime.js';
import { editionEvents, getEdition } from '../../src/store/editions.js';
import { EDITOR, editorPagesInBrowser } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';

const SUBJECT = 'Defectors this week: what the editors chose';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let editionId: string;

beforeAll(async () => {
  const sample = await sampleConfig('postgres', cleanups);
  // The test talks plain http to 127.0.0.1; the sample's site.url is https.
  const config: Config = { ...sample, web: { ...sample.web, secureCookies: false }, digest: { ...sample.digest, maxStories: 8, maxPerSection: 3 } };
  const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'compose'] });
  editionId = summary.edition!.editionId;
  ({ runtime, app, base, browser } = await editorPagesInBrowser(config, log, cleanups));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Clicks a form's button and waits for the page the POST redirects to, with the outcome it reports. */
async function submit(page: Page, selector: string, outcome: string): Promise<void> {
  await page.locator(selector).click();
  await page.locator('.flash-ok', { hasText: outcome }).waitFor();
}

describe('reviewing the weekly Edition in a browser', () => {
  it('logs in, reorders, removes, changes the subject and approves; the database holds exactly that', async () => {
    const composed = (await getEdition(runtime.db, editionId))!;
    expect(composed.status).toBe('draft');
    const ids = composed.entries.map((e) => e.storyId);
    // Two neighbours in one section (the down button swaps them), and a Story from elsewhere to remove.
    const first = composed.entries.findIndex((e, i) => composed.entries[i + 1]?.section === e.section);
    expect(first).toBeGreaterThanOrEqual(0);
    const [a, b] = [ids[first]!, ids[first + 1]!];
    const removed = ids.find((id) => id !== a && id !== b)!;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/editions/${editionId}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email').fill(EDITOR.email);
    await page.getByLabel('Password').fill(EDITOR.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/editions/${editionId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(`Edition ${editionId}`);

    await submit(page, `#story-${a} button[value="down"]`, 'down');
    await submit(page, `#story-${removed} button[value="remove"]`, 'Removed');
    await page.getByLabel('Subject', { exact: true }).fill(SUBJECT);
    await submit(page, 'button:text("Save subject and intro")', 'Saved the subject');
    await submit(page, 'button:text("Approve only")', 'Approved');
    await expect(page.locator('h1 .status').textContent()).resolves.toBe('approved');

    // The preview frames show the email as it now is.
    const preview = page.frameLocator('iframe.frame-desktop');
    await expect(preview.locator('body').textContent()).resolves.toContain(composed.entries[first]!.title.slice(0, 30));
    await page.frameLocator('iframe.frame-mobile').locator('body').waitFor();
    // Chromium does not paint frames from another origin (sandboxed ones are) while they are off screen: bring them into view first.
    await page.locator('#preview').scrollIntoViewIfNeeded();
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/edition-review.png', fullPage: true });
    await page.close();

    const expected = ids.map((id) => (id === a ? b : id === b ? a : id)).filter((id) => id !== removed);
    const edition = (await getEdition(runtime.db, editionId))!;
    expect(edition.entries.map((e) => e.storyId)).toEqual(expected);
    expect(edition.entries.map((e) => e.storyId)).not.toContain(removed);
    expect(edition.subject).toBe(SUBJECT);
    expect(edition.status).toBe('approved');
    const history = await editionEvents(runtime.db, editionId);
    expect(history.map((e) => [e.editor, e.action])).toEqual([
      [null, 'composed'],
      [EDITOR.email, 'order'],
      [EDITOR.email, 'remove'],
      [EDITOR.email, 'subject'],
      [EDITOR.email, 'approved'],
    ]);
    expect(history.find((e) => e.action === 'remove')!.detail).toMatchObject({ storyId: removed });
  }, 120_000);
});
