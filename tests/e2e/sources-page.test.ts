/**
 * An editor adds a Source from the Sources page in a real browser (Debian's
 * Chromium, driven by playwright-core) against `newsdesk serve` on a real
 * socket, PostgreSQL and Redis: types a site's page address, sees the test
 * fetch's result (the feed its page names, title, entries, newest entry)
 * before anything is saved, saves it, and disables it again. After each step
 * the store, the config file and the Source schedulers on Redis are checked;
 * the next run reads the new Source from the config file the page wrote. An
 * address the fetch guard refuses is shown with why. The queue dashboard leads
 * back to the editor pages. The page with a test fetch's result is kept as
 * tests/artifacts/sources-test-fetch.png.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { BullJobs, redisConnection } from '../../src/queue/bullmq.js';
import { ingestSchedulerId } from '../../src/queue/schedules.js';
import type { Runtime } from '../../src/runtime.js';
import { getSource, listSourceHealth } from '../../src/store/sources.js';
import { createPostgresDatabase } from '../helpers/databases.js';
import { editorPagesInBrowser, logIn } from '../helpers/editor-browser.js';
import { rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { REDIS_URL, testQueuePrefix } from '../helpers/redis.js';
import { writeSampleConfigFile } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
const PUBLISHED = new Date('2026-03-02T09:30:00Z');
let feeds: { base: string; close(): Promise<void> };
let configFile: string;
let env: NodeJS.ProcessEnv;
let config: Config;
let runtime: Runtime;
let base: string;
let browser: Browser;
let jobs: BullJobs;

beforeAll(async () => {
  feeds = await startFeedServer(
    (n, at) =>
      rssFeed(`Local Outlet ${n}`, at, [
        { guid: `a-${n}`, title: 'Defectors reach Seoul', text: 'Three defectors arrived in Seoul this week after crossing the border.' },
        { guid: `b-${n}`, title: 'Families divided by the border', text: 'Reunions remain rare for families divided since the war.' },
      ], PUBLISHED),
    {
      pages: {
        '/': (at) => `<!doctype html><html><head><title>Local Outlet</title><link rel="alternate" type="application/rss+xml" href="${at}/feed/1.xml"><link rel="alternate" type="application/rss+xml" href="/feed/2.xml"></head><body>News</body></html>`,
        '/about': () => '<!doctype html><html><head><title>About us</title></head><body>No feed here</body></html>',
      },
    },
  );
  cleanups.push(() => feeds.close());
  const database = await createPostgresDatabase();
  cleanups.push(database.drop);
  const prefix = testQueuePrefix(cleanups);
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-sources-page-'));
  // The config's own `allow private` setting lets feeds reach the local feed server, as other tests do.
  configFile = writeSampleConfigFile(folder, {
    fetch: { allowAddresses: ['127.0.0.1'], hostGapSeconds: 0 },
    web: { secureCookies: false },
    redis: { url: REDIS_URL, prefix },
  });
  env = { DATABASE_URL: database.url };
  config = loadConfig(configFile, env);
  ({ runtime, base, browser } = await editorPagesInBrowser(config, log, cleanups));
  const connection = redisConnection(REDIS_URL);
  jobs = new BullJobs(connection, prefix);
  cleanups.unshift(async () => {
    await jobs.close();
    connection.disconnect();
  });
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const itemsOf = async (sourceId: string) =>
  (await runtime.db.query<{ n: number }>('select count(*)::int as n from items where source_id = $1', [sourceId]))[0]!.n;
const schedulers = async () => (await jobs.queue('ingest').getJobSchedulers()).map((s) => s.key);

describe('the Sources page in a browser', () => {
  it('tests a site page address, shows the feed it names, saves it as a Source, then disables it; store, config file and schedulers follow', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/sources');
    const before = readFileSync(configFile, 'utf8');

    await page.getByLabel('Feed or site address').fill(`${feeds.base}/`);
    await page.getByRole('button', { name: 'Test the feed' }).click();
    const trial = page.locator('#trial');
    await trial.getByRole('heading', { name: 'Found: Local Outlet 1' }).waitFor();
    await expect(trial.locator('dd').first().textContent()).resolves.toContain(`${feeds.base}/feed/1.xml`);
    await expect(trial.textContent()).resolves.toContain(`${feeds.base}/feed/2.xml`);
    await expect(trial.locator('dt:has-text("Entries") + dd').textContent()).resolves.toBe('2');
    // The newest entry's time in the editors' zone, named (the sample's is Asia/Seoul: 09:30 UTC is 18:30 KST).
    await expect(trial.locator('dt:has-text("Newest entry") + dd').textContent()).resolves.toMatch(/^Defectors reach Seoul Mon 2 Mar 2026 18:30 GMT\+9$/);
    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/sources-test-fetch.png', fullPage: true });
    // Shown, not saved: the store, the config file and the schedulers are as they were.
    expect((await listSourceHealth(runtime.db)).map((s) => s.location)).not.toContain(`${feeds.base}/feed/1.xml`);
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    expect(await schedulers()).toEqual([]);

    await page.getByLabel('Name').fill('Local Outlet');
    await page.getByLabel(/^Outlet/).fill('Local Outlet News');
    await page.getByRole('button', { name: 'Save Source' }).click();
    await page.getByRole('status').filter({ hasText: 'Added Source local-outlet' }).waitFor();
    await expect(page.locator('#source-local-outlet').textContent()).resolves.toContain(`${feeds.base}/feed/1.xml`);
    expect(await getSource(runtime.db, 'local-outlet')).toMatchObject({ kind: 'feed', name: 'Local Outlet', location: `${feeds.base}/feed/1.xml`, enabled: true, settings: { outlet: 'Local Outlet News', role: 'outlet' } });
    const saved = loadConfig(configFile, env);
    expect(saved.sources.at(-1)).toEqual({ id: 'local-outlet', kind: 'feed', name: 'Local Outlet', url: `${feeds.base}/feed/1.xml`, outlet: 'Local Outlet News', enabled: true, role: 'outlet', allowAddresses: [] });
    // The file kept everything it had: the new entry is added at the end of the list.
    expect(readFileSync(configFile, 'utf8').startsWith(before.trimEnd())).toBe(true);
    // Every enabled Source has its scheduler (the sample's archive too), the new one now as well.
    expect((await schedulers()).sort()).toEqual([ingestSchedulerId('archive'), ingestSchedulerId('local-outlet')]);

    // The next run reads it from the config file the page wrote: its Items are in the store.
    const run = await runPipeline(saved, log, { command: 'ingest', queues: ['ingest'], sourceIds: ['local-outlet'] });
    expect(run.problems).toEqual([]);
    expect(await itemsOf('local-outlet')).toBe(2);

    // The same address again: the page says it is configured and offers no Save.
    await page.getByLabel('Feed or site address').fill(`${feeds.base}/feed/1.xml`);
    await page.getByRole('button', { name: 'Test the feed' }).click();
    await page.locator('#trial').filter({ hasText: 'configured already, as Source local-outlet' }).waitFor();
    await expect(page.getByRole('button', { name: 'Save Source' }).count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Disable Local Outlet' }).click();
    await page.getByRole('status').filter({ hasText: 'Source local-outlet disabled' }).waitFor();
    await expect(page.locator('#source-local-outlet .state').textContent()).resolves.toBe('disabled');
    await page.getByRole('button', { name: 'Enable Local Outlet' }).waitFor();
    expect(await getSource(runtime.db, 'local-outlet')).toMatchObject({ enabled: false });
    expect(loadConfig(configFile, env).sources.find((s) => s.id === 'local-outlet')).toMatchObject({ enabled: false });
    expect(await schedulers()).toEqual([ingestSchedulerId('archive')]);
    // Its Items stay.
    expect(await itemsOf('local-outlet')).toBe(2);
    await page.close();
  }, 90_000);

  it('shows why an address cannot be read, and saves nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/sources');
    const before = readFileSync(configFile, 'utf8');
    const sources = (await listSourceHealth(runtime.db)).length;

    await page.getByLabel('Feed or site address').fill('feeds.example.org/rss');
    await page.getByRole('button', { name: 'Test the feed' }).click();
    await page.getByRole('alert').filter({ hasText: 'address: "feeds.example.org/rss" is not an http(s) address' }).waitFor();

    // A private address the config does not allow: the fetch guard refuses it before connecting.
    await page.getByLabel('Feed or site address').fill('http://10.1.2.3/feed');
    await page.getByRole('button', { name: 'Test the feed' }).click();
    await page.getByRole('alert').filter({ hasText: /Not a feed we can read: http:\/\/10\.1\.2\.3\/feed: refused: .*10\.1\.2\.3/ }).waitFor();

    // A page with no feed link, and an address that is not there.
    await page.getByLabel('Feed or site address').fill(`${feeds.base}/about`);
    await page.getByRole('button', { name: 'Test the feed' }).click();
    await page.getByRole('alert').filter({ hasText: `not a feed: ${feeds.base}/about is an HTML page with no feed link` }).waitFor();
    await page.getByLabel('Feed or site address').fill(`${feeds.base}/feed/none`);
    await page.getByRole('button', { name: 'Test the feed' }).click();
    await page.getByRole('alert').filter({ hasText: `${feeds.base}/feed/none: http-4xx: HTTP 404` }).waitFor();

    expect(await page.getByRole('button', { name: 'Save Source' }).count()).toBe(0);
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    expect((await listSourceHealth(runtime.db)).length).toBe(sources);
    await page.close();
  }, 60_000);

  it('leads from the queue dashboard back to the editor pages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, base, '/admin/queues');
    // bull-board's menu of links (uiConfig.miscLinks): the last button of its header.
    await page.locator('header ul li:last-child button').click();
    await page.getByRole('menuitem', { name: 'Back to the editor pages' }).click();
    await page.waitForURL(`${base}/editions`);
    await page.getByRole('heading', { name: 'Editions' }).waitFor();
    await page.close();
  }, 60_000);
});
