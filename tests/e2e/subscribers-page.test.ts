/**
 * The Subscribers page in a real browser (Debian's Chromium, driven by
 * playwright-core) against `newsdesk serve` on a real socket and PostgreSQL,
 * after a real send to a real SMTP server (one address bounced) and an
 * unsubscribe: the counts by status and Topic are the store's; the page shows
 * no address until a search, then a page of matches at a time; one
 * Subscriber's history shows subscribed, confirmed, the Delivery with its
 * Edition and result, and how it ended; the CSV download holds every
 * Subscriber and suppression as the store has them, with no IP address and
 * no cache allowed. The store is checked unchanged at the end. The page is
 * kept as tests/artifacts/subscribers.png, its height in
 * tests/artifacts/page-heights-subscribers.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/runtime.js';
import { moveEdition } from '../../src/store/editions.js';
import { subscriberHistory } from '../../src/store/subscriber-history.js';
import { addSubscriber, confirmSubscriber, countSubscribers, listSubscribers, listSuppressions, searchSubscribers, subscriberByEmail, suppress } from '../../src/store/subscribers.js';
import { SEARCH_PAGE } from '../../src/web/editor/subscribers.js';
import { EDITOR, editorPagesInBrowser, logIn } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { addManyReaders, deliveriesOf, sendHere } from '../helpers/sending.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
/** What the subscribe form records as consent: the client's IP address, which no page may show. */
const FORM_IPS = ['203.0.113.9', '198.51.100.4', '192.0.2.77', '192.0.2.78'];
let runtime: Runtime;
let base: string;
let browser: Browser;
let editionId: string;

beforeAll(async () => {
  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  sink.reply = (address) => (address === 'bounce@example.org' ? { code: 550, message: '5.1.1 <bounce@example.org>: mailbox unavailable' } : null);
  const sample = await sampleConfig('postgres', cleanups, { processed: true });
  const config: Config = { ...sample, web: { ...sample.web, secureCookies: false }, mail: { ...sample.mail, smtpUrl: sink.url, ratePerSecond: 500 } };
  editionId = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
  const { db } = runtime;

  // Subscribed as the form and double opt-in do it; one never confirms.
  const people = [
    { email: 'ana.kim@example.org', name: 'Ana Kim', topics: ['escape', 'women'], confirm: true },
    { email: 'bounce@example.org', name: null, topics: [], confirm: true },
    { email: 'leaver@example.org', name: null, topics: ['escape'], confirm: true },
    { email: 'pending@example.org', name: null, topics: ['women'], confirm: false },
  ];
  for (const [i, person] of people.entries()) {
    const { subscriber } = await addSubscriber(db, { email: person.email, name: person.name, topics: person.topics, consent: `form ${FORM_IPS[i]}` });
    if (person.confirm) await confirmSubscriber(db, subscriber!.id);
  }
  // 30 imported readers: a third escape, a third escape and family, a third every section.
  await addManyReaders(db, 30, 'import readers.csv: yes');
  await moveEdition(db, editionId, 'approved', EDITOR.email);
  await sendHere(runtime, editionId);
  await suppress(db, 'leaver@example.org', 'unsubscribed', 'one-click');
  // A complaint the webhook reported about an address we never had.
  await suppress(db, 'stranger@example.com', 'complained', 'webhook');
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const cell = (page: Page, row: string, column = 1) => page.locator(`#${row} td`).nth(column - 1).textContent();
/** Each row of the table as its cells' texts joined by ` | `. */
const rowTexts = (page: Page, table: string) =>
  page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ')));

describe('the Subscribers page in a browser', () => {
  it('counts by status and Topic as the store does, and shows no address until a search', async () => {
    const deliveries = await deliveriesOf(runtime.db, editionId);
    expect(deliveries.get('bounce@example.org')).toMatchObject({ status: 'bounced' });
    expect(deliveries.get('ana.kim@example.org')).toMatchObject({ status: 'sent' });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/subscribers');
    const counts = await countSubscribers(runtime.db);
    expect(counts).toEqual({ confirmed: 31, pending: 1, unsubscribed: 1, bounced: 1, complained: 0, suppressedOnly: 1 });
    for (const status of ['confirmed', 'pending', 'unsubscribed', 'bounced', 'complained'] as const) {
      await expect(cell(page, `status-${status}`)).resolves.toBe(String(counts[status]));
    }
    await expect(cell(page, 'status-total')).resolves.toBe('34');
    await expect(cell(page, 'status-suppressed-only')).resolves.toBe('1');
    // Confirmed and pending by Topic: readers 3, 6 ... escape; 1, 4 ... escape and family; 2, 5 ... every section.
    await expect(cell(page, 'topic-all')).resolves.toBe('10');
    await expect(cell(page, 'topic-escape')).resolves.toBe('21');
    await expect(cell(page, 'topic-family')).resolves.toBe('10');
    await expect(cell(page, 'topic-women')).resolves.toBe('1');
    await expect(cell(page, 'topic-women', 2)).resolves.toBe('1');
    await expect(cell(page, 'topic-regime')).resolves.toBe('0');
    expect(await page.locator('main').textContent()).not.toContain('@');
    await page.close();
  }, 60_000);

  it('searches by address a page at a time, and keeps a screenshot of the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/subscribers');
    await page.getByLabel('Address contains').fill('READER');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/subscribers?q=READER`);
    const expected = await searchSubscribers(runtime.db, 'reader', { limit: 100, offset: 0 });
    expect(expected.total).toBe(30);
    await expect(page.locator('#search-summary').textContent()).resolves.toBe('30 Subscribers whose address contains “READER”; 1–25 shown.');
    const firstPage = await page.locator('table.matches tbody tr td:first-child').allTextContents();
    expect(firstPage).toEqual(expected.matches.slice(0, SEARCH_PAGE).map((m) => m.email));

    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/subscribers.png', fullPage: true });
    // The page's full height, as the full-page screenshot has it.
    const height = await page.locator('html').evaluate((html) => html.scrollHeight);
    writeFileSync('tests/artifacts/page-heights-subscribers.json', `${JSON.stringify({ subscribers: { width: 1280, height, search: 'READER' } }, null, 2)}\n`);

    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2$/);
    await expect(page.locator('#search-summary').textContent()).resolves.toBe('30 Subscribers whose address contains “READER”; 26–30 shown.');
    expect(await page.locator('table.matches tbody tr td:first-child').allTextContents()).toEqual(expected.matches.slice(SEARCH_PAGE).map((m) => m.email));
    await expect(page.getByRole('link', { name: 'Next' }).count()).resolves.toBe(0);

    // Too short a search, and a page that is no number: said, not a list of everyone.
    await page.getByLabel('Address contains').fill('a');
    await page.locator('#q').evaluate((input) => input.removeAttribute('minlength'));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('alert').filter({ hasText: 'give at least 2 characters of an address' }).waitFor();
    expect(await page.locator('table.matches').count()).toBe(0);
    const bad = await page.goto(`${base}/subscribers?q=reader&page=x`);
    expect(bad!.status()).toBe(400);
    await page.getByRole('alert').filter({ hasText: 'page: "x" is not a page number' }).waitFor();
    await page.close();
  }, 60_000);

  it("shows one Subscriber's history: subscribed, confirmed, the Edition and its result, and how it ended; no IP address", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/subscribers?q=ana.kim');
    await page.getByRole('link', { name: 'ana.kim@example.org' }).click();
    const ana = (await subscriberByEmail(runtime.db, 'ana.kim@example.org'))!;
    await page.waitForURL(`${base}/subscribers/${ana.id}`);
    await page.getByRole('heading', { name: 'ana.kim@example.org' }).waitFor();
    const history = (await subscriberHistory(runtime.db, ana.id))!;
    expect(history.events.map((e) => e.kind)).toEqual(['subscribed', 'confirmed', 'delivery']);
    const rows = await rowTexts(page, 'table.history');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/ GMT\+9 \| Subscribed \| form$/);
    expect(rows[1]).toMatch(/ \| Confirmed \| –$/);
    expect(rows[2]).toMatch(new RegExp(` \\| Edition ${editionId}: sent \\| `));
    await expect(page.locator('dl.facts').textContent()).resolves.toMatch(/Name\s*Ana Kim/);

    await page.goto(`${base}/subscribers?q=bounce`);
    await page.getByRole('link', { name: 'bounce@example.org' }).click();
    await page.getByRole('heading', { name: 'bounce@example.org' }).waitFor();
    const bounced = await rowTexts(page, 'table.history');
    expect(bounced.slice(2)).toEqual([
      expect.stringMatching(new RegExp(` \\| Edition ${editionId}: bounced \\| .*550 5\\.1\\.1 <bounce@example\\.org>: mailbox unavailable$`)),
      expect.stringMatching(/ \| Bounced \| .*550 5\.1\.1.*never mailed again$/),
    ]);
    for (const ip of FORM_IPS) expect(await page.content()).not.toContain(ip);

    const missing = await page.goto(`${base}/subscribers/00000000-0000-4000-8000-000000000000`);
    expect(missing!.status()).toBe(404);
    await page.close();
  }, 60_000);

  it('downloads the CSV: every Subscriber and suppression as the store has them, no IP address, never cached', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await logIn(page, base, '/subscribers');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^subscribers-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    for (const ip of FORM_IPS) expect(text).not.toContain(ip);

    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const subscribers = await listSubscribers(runtime.db);
    const suppressions = await listSuppressions(runtime.db);
    expect(Object.keys(rows[0]!)).toEqual(['email', 'name', 'status', 'topics', 'consent', 'created_at', 'confirmed_at']);
    expect(rows.map((row) => [row.email, row.status])).toEqual([
      ...subscribers.map((s) => [s.email, s.status]),
      ['stranger@example.com', 'complained'],
    ]);
    expect(rows.length).toBe(35);
    expect(suppressions.map((s) => s.email).sort()).toEqual(['bounce@example.org', 'leaver@example.org', 'stranger@example.com']);
    expect(rows.find((row) => row.email === 'ana.kim@example.org')).toEqual({
      email: 'ana.kim@example.org', name: 'Ana Kim', status: 'confirmed', topics: 'escape women', consent: 'form',
      created_at: subscribers.find((s) => s.email === 'ana.kim@example.org')!.createdAt.toISOString(),
      confirmed_at: subscribers.find((s) => s.email === 'ana.kim@example.org')!.confirmedAt!.toISOString(),
    });
    expect(rows.find((row) => row.email === 'reader7@example.org')).toMatchObject({ status: 'confirmed', consent: 'import readers.csv: yes' });

    const response = await page.request.get(`${base}/subscribers/export.csv`);
    expect(response.headers()).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store' });
    expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="subscribers-/);
    // Behind the login like every editor page: without the session cookie, the browser is sent to log in.
    const anonymous = await fetch(`${base}/subscribers/export.csv`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fsubscribers%2Fexport.csv');
    await page.close();

    // Reading and exporting changed nothing.
    expect(await countSubscribers(runtime.db)).toEqual({ confirmed: 31, pending: 1, unsubscribed: 1, bounced: 1, complained: 0, suppressedOnly: 1 });
  }, 60_000);
});
