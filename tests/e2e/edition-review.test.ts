/**
 * An editor reviews the weekly Edition in a real browser (Debian's Chromium,
 * driven by playwright-core) against `newsdesk serve` on a real socket and a
 * real PostgreSQL database, and sends it with eyes open:
 *
 * - the compact review page: 20 Stories, one row each, measured at 1280x800
 *   and 375 px (screenshots and heights kept in tests/artifacts/);
 * - a Story edited in place (summary and section), without a page load;
 * - reordering by dragging a handle, by Alt+ArrowDown on it, and without
 *   script by the Up/Down buttons;
 * - approving does not send; each send asks first (who, subject, when in the
 *   editors' zone); a scheduled send cancelled sends nothing; a started send is
 *   paused, resumed and cancelled, after which no further message goes out.
 *
 * Each test reads the database afterwards: what the page claims is what is stored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startDueSends } from '../../src/mail/sending.js';
import { InlineJobs } from '../../src/queue/inline.js';
import { jobDeps, type Runtime } from '../../src/runtime.js';
import { deliveryReport } from '../../src/store/deliveries.js';
import { editionEvents, getEdition } from '../../src/store/editions.js';
import { handlers } from '../../workers/handlers.js';
import { EDITOR, editorPagesInBrowser, logIn } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { addSubscribers, deliveriesOf } from '../helpers/sending.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
const ARTIFACTS = 'tests/artifacts';
let runtime: Runtime;
let base: string;
let browser: Browser;
let inbox: SmtpInbox;
let editionId: string;
let zone: string;

beforeAll(async () => {
  const sample = await sampleConfig('postgres', cleanups, { processed: true });
  inbox = await startSmtpInbox();
  cleanups.push(() => inbox.close());
  const config: Config = {
    ...sample,
    // The test talks plain http to 127.0.0.1; the sample's site.url is https.
    web: { ...sample.web, secureCookies: false },
    digest: { ...sample.digest, maxStories: 20, maxPerSection: 8 },
    // Batches of 2: a send can be cut off between batches.
    mail: { ...sample.mail, smtpUrl: inbox.url, ratePerSecond: 100, batchSize: 2 },
  };
  zone = config.schedule.compose.timezone;
  const summary = await runPipeline(config, log, { command: 'compose', queues: ['compose'] });
  editionId = summary.edition!.editionId;
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function loggedIn(options: { width?: number; height?: number; javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await logIn(page, base, `/editions/${editionId}`);
  return { context, page };
}

const edition = async () => (await getEdition(runtime.db, editionId))!;
const lastEvent = async () => (await editionEvents(runtime.db, editionId)).at(-1)!;
const sendRow = async () =>
  (await runtime.db.query<{ status: string; sendAt: Date | null; pausedAt: Date | null }>('select status, send_at as "sendAt", paused_at as "pausedAt" from editions where id = $1', [editionId]))[0]!;

/** A section with at least three Stories: the ids in it, in order. */
async function sectionOfThree(): Promise<{ section: string | null; ids: string[] }> {
  const { entries } = await edition();
  const section = entries.find((entry) => entries.filter((other) => other.section === entry.section).length >= 3)!.section;
  return { section, ids: entries.filter((entry) => entry.section === section).map((entry) => entry.storyId) };
}

/** Waits for the page's status message (the toast the script shows) to say `text`. */
async function toastSays(page: Page, text: string): Promise<void> {
  await page.locator('#review-status', { hasText: text }).waitFor({ timeout: 15_000 });
}

describe('the Edition review page in a browser', () => {
  it('shows 20 Stories one row each, the preview beside them, in about two screens at 1280x800 and one column at 375 px', async () => {
    expect((await edition()).entries).toHaveLength(20);
    const heights: Record<string, unknown> = {};
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, width] of [['desktop', 1280], ['375', 375]] as const) {
      const { context, page } = await loggedIn({ width, height: 800 });
      await page.frameLocator('iframe.frame-desktop').locator('body').waitFor();
      // A string: the tests compile without the DOM's types.
      const measured = (await page.evaluate(`(() => {
        const box = (selector) => document.querySelector(selector).getBoundingClientRect();
        return {
          pageHeight: document.documentElement.scrollHeight,
          pageWidth: document.documentElement.scrollWidth,
          storiesBottom: Math.round(box('#stories').bottom + window.scrollY),
          storiesLeft: Math.round(box('#stories').left),
          previewTop: Math.round(box('#preview').top + window.scrollY),
          previewLeft: Math.round(box('#preview').left),
          rows: document.querySelectorAll('#stories li.story').length,
          rowHeight: Math.round(box('#stories li.story').height),
        };
      })()`)) as Record<'pageHeight' | 'pageWidth' | 'storiesBottom' | 'storiesLeft' | 'previewTop' | 'previewLeft' | 'rows' | 'rowHeight', number>;
      heights[name] = { viewport: { width, height: 800 }, ...measured };
      expect(measured.rows).toBe(20);
      // No sideways scrolling at either width.
      expect(measured.pageWidth).toBeLessThanOrEqual(width);
      if (name === 'desktop') {
        // Beside the list, not under it; the list of 20 ends within two screens.
        expect(measured.previewLeft).toBeGreaterThan(measured.storiesLeft + 400);
        expect(measured.previewTop).toBeLessThan(400);
        expect(measured.storiesBottom).toBeLessThanOrEqual(2 * 800);
        expect(measured.pageHeight).toBeLessThanOrEqual(2.25 * 800);
      } else {
        expect(measured.previewTop).toBeGreaterThanOrEqual(measured.storiesBottom);
      }
      // Sandboxed frames are painted only when in view: bring each into view once before the full-page shot.
      await page.locator('#preview').scrollIntoViewIfNeeded();
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: `${ARTIFACTS}/edition-review-${name}.png`, fullPage: true });
      await context.close();
    }
    writeFileSync(`${ARTIFACTS}/page-heights-review.json`, `${JSON.stringify(heights, null, 2)}\n`);
  }, 120_000);

  it('edits a Story in place: its summary and section are stored, the page is not reloaded, the preview follows', async () => {
    const before = await edition();
    const story = before.entries[0]!;
    const other = before.entries.find((entry) => entry.section !== story.section)!;
    const summary = `Edited in place: ${story.title.slice(0, 40)} (checked by the browser test)`;
    const { context, page } = await loggedIn();
    await page.evaluate('window.notReloaded = true');
    await page.locator(`#row-${story.storyId} > summary`).click();
    await page.locator(`#summary-${story.storyId}`).fill(summary);
    await page.locator(`#section-${story.storyId}`).selectOption(other.section ?? '');
    await page.locator(`#row-${story.storyId} button:text("Save")`).click();
    await toastSays(page, `Saved "${story.title}"`);
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    // The row now sits in the other section's list, still open.
    await expect(page.locator(`ol[data-section="${other.section ?? ''}"] #row-${story.storyId}`).getAttribute('open')).resolves.toBe('');
    await expect.poll(() => page.frameLocator('iframe.frame-desktop').locator('body').textContent(), { timeout: 15_000 }).toContain('Edited in place');
    await context.close();

    const after = await edition();
    const stored = after.entries.find((entry) => entry.storyId === story.storyId)!;
    expect(stored.summary).toBe(summary);
    expect(stored.section).toBe(other.section);
    expect((await editionEvents(runtime.db, editionId)).slice(-2).map((e) => [e.editor, e.action])).toEqual([
      [EDITOR.email, 'summary'],
      [EDITOR.email, 'move'],
    ]);
  }, 60_000);

  it('reorders a section by dragging a Story by its handle, and stores the order', async () => {
    const { section, ids } = await sectionOfThree();
    const { context, page } = await loggedIn();
    const handle = page.locator(`#story-${ids[0]} .handle`);
    const third = await page.locator(`#story-${ids[2]}`).boundingBox();
    const start = (await handle.boundingBox())!;
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(start.x + start.width / 2, third!.y + third!.height * 0.75, { steps: 12 });
    await page.mouse.up();
    await toastSays(page, 'Saved the order');
    const shown = await page.locator(`ol[data-section="${section ?? ''}"] > li`).evaluateAll((items) => items.map((li) => li.getAttribute('data-story')));
    await context.close();

    const expected = [ids[1], ids[2], ids[0], ...ids.slice(3)];
    expect(shown).toEqual(expected);
    const stored = (await edition()).entries.filter((entry) => entry.section === section).map((entry) => entry.storyId);
    expect(stored).toEqual(expected);
    expect(await lastEvent()).toMatchObject({ editor: EDITOR.email, action: 'order' });
  }, 60_000);

  it('moves a Story with Alt+ArrowDown on its focused handle, and stores the order', async () => {
    const { section, ids } = await sectionOfThree();
    const { context, page } = await loggedIn();
    await page.locator(`#story-${ids[0]} .handle`).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await toastSays(page, 'Saved the order');
    // The focus stays on the moved Story's handle, so it can be moved again.
    await expect(page.evaluate('document.activeElement.closest("li").id')).resolves.toBe(`story-${ids[0]}`);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(async () => (await edition()).entries.filter((e) => e.section === section).map((e) => e.storyId), { timeout: 15_000 }).toEqual([ids[1], ids[2], ids[0], ...ids.slice(3)]);
    await context.close();
  }, 60_000);

  it('without script: rows still open, no drag handle shows, and Up/Down reorder by posting the form', async () => {
    const { section, ids } = await sectionOfThree();
    const { context, page } = await loggedIn({ javaScriptEnabled: false });
    await expect(page.locator(`#story-${ids[1]} .handle`).isVisible()).resolves.toBe(false);
    await page.locator(`#row-${ids[1]} > summary`).click();
    await page.locator(`#row-${ids[1]} button[value="up"]`).click();
    await page.locator('.flash-ok', { hasText: 'Moved' }).waitFor();
    // Back on the same Story, its block open for the next step.
    await expect(page.locator(`#row-${ids[1]}`).getAttribute('open')).resolves.toBe('');
    await context.close();
    expect((await edition()).entries.filter((e) => e.section === section).map((e) => e.storyId)).toEqual([ids[1], ids[0], ...ids.slice(2)]);
  }, 60_000);
});

describe('sending with eyes open', () => {
  beforeAll(async () => {
    await addSubscribers(runtime.db, [
      { email: 'all-1@example.org' },
      { email: 'all-2@example.org' },
      { email: 'all-3@example.org' },
      { email: 'escape-1@example.org', topics: ['escape'] },
      { email: 'escape-2@example.org', topics: ['escape'] },
      { email: 'suppressed@example.org' },
      { email: 'pending@example.org', status: 'pending' },
    ]);
    await runtime.db.query(`insert into suppressions (email, reason) values ('suppressed@example.org', 'unsubscribed')`);
  });

  it('approving sends nothing; a send at a time in the editors\' zone asks first, and cancelled it sends nothing', async () => {
    const { context, page } = await loggedIn();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.flash-ok', { hasText: 'Approved: ready to send' }).waitFor();
    expect(await sendRow()).toMatchObject({ status: 'approved', sendAt: null });

    // Send now: the confirmation says who, what and when, and sends nothing by itself.
    await page.getByRole('button', { name: 'Send now…' }).click();
    await page.waitForURL(/\/send\?when=now/);
    const confirm = await page.locator('.confirm-send').textContent();
    expect(confirm).toContain('It goes to 5 Subscribers: 3 all Topics, 2 chosen Topics');
    expect(confirm).toContain((await edition()).subject.slice(0, 20));
    expect(confirm).toContain(zone);
    expect(await sendRow()).toMatchObject({ status: 'approved', sendAt: null });
    await page.getByRole('link', { name: 'Back to the Edition' }).click();

    // Send at a time: typed in the editors' zone, which the field names.
    await expect(page.locator('label[for="send-at"]').textContent()).resolves.toContain(zone);
    const local = DateTime.now().setZone(zone).plus({ hours: 2 }).startOf('minute');
    await page.locator('#send-at').fill(local.toFormat("yyyy-LL-dd'T'HH:mm"));
    await page.getByRole('button', { name: 'Send at this time…' }).click();
    await page.waitForURL(/\/send\?when=at/);
    await expect(page.locator('.confirm-send dd').nth(1).textContent()).resolves.toContain(`${local.toFormat('HH:mm')}`);
    await page.getByRole('button', { name: /^Send at / }).click();
    await page.locator('.flash-ok', { hasText: 'Sending for' }).waitFor();
    expect(await sendRow()).toMatchObject({ status: 'approved', sendAt: local.toJSDate() });
    expect(await lastEvent()).toMatchObject({ editor: EDITOR.email, action: 'scheduled', detail: { sendAt: local.toJSDate().toISOString() } });
    await expect(page.locator('#actions').textContent()).resolves.toContain('Scheduled');

    await page.getByRole('button', { name: 'Cancel the send' }).click();
    await page.locator('.flash-ok', { hasText: 'The send is cancelled' }).waitFor();
    await context.close();
    expect(await sendRow()).toMatchObject({ status: 'approved', sendAt: null });
    expect(await lastEvent()).toMatchObject({ editor: EDITOR.email, action: 'cancelled' });
    // Well past the time it had: the due check starts nothing.
    const due = await startDueSends(runtime.db, runtime.config, new InlineJobs(new Set(['send'])), local.plus({ hours: 1 }).toJSDate());
    expect(due.started).toEqual([]);
    expect(await deliveryReport(runtime.db, editionId)).toMatchObject({ total: 0 });
    expect(inbox.messages).toHaveLength(0);
  }, 90_000);

  it('a started send is paused, resumed and cancelled from the page; after the cancel no further message goes out', async () => {
    const { context, page } = await loggedIn();
    await page.getByRole('button', { name: 'Send now…' }).click();
    await page.getByRole('button', { name: 'Send now to 5 Subscribers' }).click();
    await page.locator('.flash-ok', { hasText: 'Sending now' }).waitFor();
    expect((await sendRow()).sendAt).not.toBeNull();

    // The due check starts it (three batches of two); only the first batch goes out before the editor acts.
    const jobs = new InlineJobs(new Set(['send']));
    const run = handlers(jobDeps(runtime, jobs));
    expect((await startDueSends(runtime.db, runtime.config, jobs, new Date())).started).toEqual([editionId]);
    await run.send({ editionId, batch: 0 });
    expect(inbox.messages).toHaveLength(2);

    await page.reload();
    await expect(page.locator('#actions').textContent()).resolves.toContain('Sending: 2 of 5 Deliveries sent, 3 left');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.flash-ok', { hasText: 'Paused' }).waitFor();
    expect((await sendRow()).pausedAt).not.toBeNull();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.flash-ok', { hasText: 'Resumed' }).waitFor();
    expect(await sendRow()).toMatchObject({ status: 'sending', pausedAt: null });

    await page.locator('summary', { hasText: 'Cancel sending…' }).click();
    await page.getByRole('button', { name: 'Cancel the rest for good' }).click();
    await page.locator('.flash-ok', { hasText: 'Sending cancelled: 3 Deliveries' }).waitFor();
    await expect(page.locator('#actions').textContent()).resolves.toContain('cancelled 3');
    await context.close();

    // The jobs still queued, and the due check the resume asked for, send nothing more.
    await jobs.drain(run);
    await startDueSends(runtime.db, runtime.config, jobs, new Date(Date.now() + 60_000));
    await jobs.drain(run);
    expect(inbox.messages).toHaveLength(2);
    expect(await sendRow()).toMatchObject({ status: 'sent', sendAt: null, pausedAt: null });
    const statuses = [...(await deliveriesOf(runtime.db, editionId)).values()].map((d) => d.status).sort();
    expect(statuses).toEqual(['cancelled', 'cancelled', 'cancelled', 'sent', 'sent']);
    expect((await editionEvents(runtime.db, editionId)).map((e) => [e.editor, e.action]).slice(-6)).toEqual([
      [EDITOR.email, 'scheduled'],
      [null, 'sending'],
      [EDITOR.email, 'paused'],
      [EDITOR.email, 'resumed'],
      [EDITOR.email, 'cancelled'],
      [null, 'sent'],
    ]);
  }, 90_000);
});
