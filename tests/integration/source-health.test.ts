/**
 * What `newsdesk sources list` and the editors' Sources page say about each
 * Source after a run of the samples (embedded store): the archive, read from
 * disk, shows its last read, its Items and what the read refused, not `new`;
 * the outlets' feeds, switched off, show `disabled`; an archive folder that
 * cannot be read at all shows `failing` with why.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { listSourcesCommand } from '../../src/cli/sources.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime } from '../../src/runtime.js';
import { addEditor } from '../../src/store/editors.js';
import { testPasswordHash } from '../helpers/passwords.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let config: Config;
let archive: string;
let before: Date;

beforeAll(async () => {
  // The sample pages and one empty page, which the read refuses by name.
  archive = mkdtempSync(path.join(tmpdir(), 'newsdesk-archive-'));
  cpSync('samples/archive', archive, { recursive: true });
  writeFileSync(path.join(archive, 'empty-page.txt'), '');
  config = await sampleConfig('pglite', cleanups, { archive });
  before = new Date();
  const summary = await runPipeline(config, log, { command: 'ingest', queues: ['ingest', 'process'] });
  expect(summary.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('empty-page.txt')]);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

type Listed = { id: string; state: string; items: number; lastProblems: number | null; lastFetchAt: string | null; lastSuccessAt: string | null; lastMessage: string | null };

describe('sources list and the Sources page after a read', () => {
  it('sources list --json: the archive read, its Items and problems; the feeds disabled', async () => {
    const listed = JSON.parse(await listSourcesCommand(config, log, { json: true })) as Listed[];
    const archiveRow = listed.find((source) => source.id === 'archive')!;
    expect(archiveRow).toMatchObject({ state: 'ok', items: 45, lastProblems: 1 });
    expect(new Date(archiveRow.lastFetchAt!).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(archiveRow.lastSuccessAt).toBe(archiveRow.lastFetchAt);
    expect(archiveRow.lastMessage).toContain('empty-page.txt');
    const feeds = listed.filter((source) => source.id !== 'archive');
    expect(feeds.length).toBe(6);
    for (const feed of feeds) expect(feed).toMatchObject({ state: 'disabled', items: 0, lastProblems: null, lastFetchAt: null });
  });

  it('sources list: the same in the table', async () => {
    const table = await listSourcesCommand(config, log, { json: false });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^Source\s+kind\s+state\s+last read\s+fetch\s+Items\s+problems\s+last success\s+next fetch\s+errors\s+message$/);
    expect(lines.find((line) => line.startsWith('archive '))).toMatch(/^archive\s+archive\s+ok\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-\s+45\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-\s+0\s+.*empty-page\.txt/);
    expect(lines.find((line) => line.startsWith('nk-news '))).toMatch(/^nk-news\s+feed\s+disabled\s+-\s+-\s+0\s+-\s+-\s+-\s+0\s*$/);
    expect(table).not.toMatch(/\bnew\b/);
  });

  it('the Sources page shows the same', async () => {
    const runtime = await openRuntime(config, log);
    const app = buildServer(runtime);
    try {
      const password = 'a long enough password';
      await addEditor(runtime.db, { email: 'ed@example.org', name: 'Ed', passwordHash: await testPasswordHash(password) });
      const login = await app.inject({
        method: 'POST',
        url: '/login',
        payload: new URLSearchParams({ email: 'ed@example.org', password }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(login.statusCode).toBe(303);
      const cookie = login.cookies.find((c) => c.name.endsWith('newsdesk-session'))!;
      const page = await app.inject({ url: '/sources', cookies: { [cookie.name]: cookie.value } });
      expect(page.statusCode).toBe(200);
      const row = (id: string) => page.body.split('<tr').find((tr) => tr.includes(`${id} · `))!;
      const archiveRow = row('archive');
      expect(archiveRow).toContain('<span class="state state-ok">ok</span>');
      expect(archiveRow).toMatch(/<td class="num">45<\/td>\s*<td class="num">1<\/td>/);
      expect(archiveRow).toContain('empty-page.txt');
      expect(archiveRow).not.toContain('state-new');
      for (const id of ['nk-news', 'daily-nk', '38-north', 'yonhap-nk', 'familycare-feed', 'crossingborders-feed']) {
        expect(row(id)).toContain('<span class="state state-disabled">disabled</span>');
      }
    } finally {
      await app.close();
      await runtime.close();
    }
  });

  it('an archive folder that cannot be read: failing, with why; a later read that gets through is ok again', async () => {
    const gone = { ...config, sources: config.sources.map((source) => (source.id === 'archive' ? { ...source, path: path.join(archive, 'no-such-folder') } : source)) };
    const failed = await runPipeline(gone, log, { command: 'ingest', queues: ['ingest'], sourceIds: ['archive'] });
    expect(failed.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('cannot read the archive folder')]);
    const listed = JSON.parse(await listSourcesCommand(gone, log, { json: true })) as (Listed & { errorStreak: number })[];
    expect(listed.find((source) => source.id === 'archive')).toMatchObject({ state: 'failing', items: 45, errorStreak: 1, lastProblems: null, lastMessage: expect.stringContaining('cannot read the archive folder') });

    rmSync(path.join(archive, 'empty-page.txt'));
    await runPipeline(config, log, { command: 'ingest', queues: ['ingest'], sourceIds: ['archive'] });
    const again = JSON.parse(await listSourcesCommand(config, log, { json: true })) as (Listed & { errorStreak: number })[];
    expect(again.find((source) => source.id === 'archive')).toMatchObject({ state: 'ok', items: 45, errorStreak: 0, lastProblems: 0, lastMessage: null });
  }, 60_000);
});
