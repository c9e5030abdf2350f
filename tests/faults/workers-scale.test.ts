/**
 * The deployed mode scaled out, on real Redis and PostgreSQL: three
 * `newsdesk worker` processes, 50 feed Sources served by a local HTTP server
 * (127.0.0.1 allowed), a fifth of the Sources carrying planted reposts of other
 * Sources' articles. Every Item is stored once, every repost joins its
 * original's Story, every job completes. Then the feeds grow, one worker is
 * killed with SIGKILL while jobs run, and the other two finish: nothing lost,
 * nothing doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobs, bullJobId, redisConnection } from '../../src/queue/bullmq.js';
import { jobIds, QUEUE_NAMES } from '../../src/queue/jobs.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import { createPostgresDatabase } from '../helpers/databases.js';
import { localFeedSources, rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { newsGenerator } from '../helpers/news-generator.js';

const REDIS_URL = process.env.NEWSDESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SOURCES = 50;
const generator = newsGenerator(4242);
const published = new Date(Date.UTC(2026, 10, 20, 9));

/** What feed `f` carries in round `round` (1: four items; 2: two more). Sources 40-49 also repost another Source's first article. */
function feedItems(f: number, round: number): { guid: string; title: string; text: string; repostOf: string | null }[] {
  const own = Array.from({ length: round === 1 ? 4 : 6 }, (_, j) => {
    const article = generator.articleAt(f * 10 + j);
    return { guid: `s${f}-a${j}`, title: article.title, text: article.text, repostOf: null as string | null };
  });
  if (f >= 40) {
    const original = generator.articleAt((f - 40) * 10 + (round === 1 ? 0 : 4));
    own.push({ guid: `s${f}-repost${round}`, title: `Retitled: ${original.title}`, text: original.text, repostOf: `s${f - 40}-a${round === 1 ? 0 : 4}` });
  }
  return own;
}

function rss(f: number, round: number, base: string): string {
  return rssFeed(`Outlet ${f}`, base, feedItems(f, round), published);
}

const prefix = `test-${randomUUID()}`;
let round = 1;
let server: { base: string; close(): Promise<void> };
let base: string;
let db: Db;
let dropDatabase: () => Promise<void>;
let configFile: string;
let jobs: BullJobs;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '-c', configFile, '--concurrency', '2'], {
    env: { ...process.env, NEWSDESK_QUEUE_PREFIX: prefix },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', () => undefined);
  workers.push(child);
  return child;
}

async function queueCounts(): Promise<Record<string, Record<string, number>>> {
  return Object.fromEntries(await Promise.all(QUEUE_NAMES.map(async (name) => [name, await jobs.queue(name).getJobCounts()] as const)));
}

/** The states of this round's ingest jobs (the ones the test queued; the Sources' schedulers add their own). */
async function roundStates(forRound: number): Promise<Record<string, number>> {
  const states: Record<string, number> = {};
  for (let f = 0; f < SOURCES; f += 1) {
    const job = await jobs.queue('ingest').getJob(bullJobId(jobIds.ingest(`outlet-${f}`, forRound)));
    const state = job ? await job.getState() : 'missing';
    states[state] = (states[state] ?? 0) + 1;
  }
  return states;
}

/**
 * Until this round's ingest jobs are all done and no job waits or runs. (Delayed
 * jobs are the schedulers' next reads, an hour away.)
 */
async function settled(forRound: number, timeoutMs: number): Promise<{ counts: Record<string, Record<string, number>>; states: Record<string, number> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queueCounts();
    const states = await roundStates(forRound);
    const busy = Object.values(counts).some((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) > 0);
    if (!busy && (states.completed ?? 0) + (states.failed ?? 0) === SOURCES) return { counts, states };
    if (Date.now() > deadline) throw new Error(`queues did not settle: ${JSON.stringify({ counts, states })}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every failed job, with why (none is expected). */
async function failures(): Promise<string[]> {
  const failed: string[] = [];
  for (const queue of QUEUE_NAMES) for (const job of await jobs.queue(queue).getFailed(0, 100)) failed.push(`${queue} ${job.id}: ${job.failedReason}`);
  return failed;
}

async function storeFigures() {
  const [row] = await db.query<{ items: number; members: number; stories: number; orphans: number }>(
    `select (select count(*)::int from items) as items, (select count(*)::int from story_items) as members,
       (select count(*)::int from stories where merged_into is null) as stories,
       (select count(*)::int from items i where not exists (select 1 from story_items si where si.item_id = i.id)) as orphans`,
  );
  return row!;
}

async function repostsJoined(forRound: number): Promise<boolean[]> {
  const planted = Array.from({ length: 10 }, (_, k) => feedItems(40 + k, forRound).find((i) => i.repostOf !== null && i.guid.endsWith(`${forRound}`))!);
  const rows = await db.query<{ key: string; storyId: string }>(
    'select i.key, si.story_id as "storyId" from items i join story_items si on si.item_id = i.id where i.key = any($1)',
    [planted.flatMap((p) => [p.guid, p.repostOf!])],
  );
  const story = new Map(rows.map((r) => [r.key, r.storyId]));
  return planted.map((p) => story.get(p.guid) !== undefined && story.get(p.guid) === story.get(p.repostOf!));
}

beforeAll(async () => {
  server = await startFeedServer((f, at) => rss(f, round, at));
  base = server.base;

  const database = await createPostgresDatabase();
  dropDatabase = database.drop;
  db = await openPostgres(database.url);
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-scale-'));
  configFile = path.join(folder, 'newsdesk.yaml');
  writeFileSync(
    configFile,
    stringifyYaml({
      site: { title: 'Scale test', url: 'https://news.example.org' },
      output: 'out',
      database: { url: database.url },
      // A short lock so a killed worker's jobs move on within seconds; long enough for a loaded CI machine.
      redis: { url: REDIS_URL, lockSeconds: 5 },
      // One host serves every feed here: no politeness gap, and the host is allowed.
      fetch: { hostGapSeconds: 0 },
      sources: localFeedSources(base, SOURCES),
    }),
  );
  jobs = new BullJobs(redisConnection(REDIS_URL), prefix);
  for (let i = 0; i < 3; i += 1) startWorker();
}, 60_000);

afterAll(async () => {
  for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
  await jobs?.close();
  const admin = redisConnection(REDIS_URL);
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
  await db?.close();
  await dropDatabase?.();
  await server?.close();
});

describe('three worker processes on 50 Sources', () => {
  it('store every Item once, join every planted repost to its original, and complete every job', async () => {
    for (let f = 0; f < SOURCES; f += 1) await jobs.add('ingest', { sourceId: `outlet-${f}` }, { jobId: jobIds.ingest(`outlet-${f}`, 1) });
    const { counts, states } = await settled(1, 120_000);
    expect(states).toEqual({ completed: SOURCES });
    expect(await failures(), JSON.stringify(counts)).toEqual([]);

    // 50 x 4 articles, and 10 reposts of them.
    expect(await storeFigures()).toEqual({ items: 210, members: 210, stories: 200, orphans: 0 });
    expect(await repostsJoined(1)).toEqual(Array(10).fill(true));
  }, 150_000);

  it('lose nothing and double nothing when one worker is killed with SIGKILL mid-run', async () => {
    round = 2;
    for (let f = 0; f < SOURCES; f += 1) await jobs.add('ingest', { sourceId: `outlet-${f}` }, { jobId: jobIds.ingest(`outlet-${f}`, 2) });
    // Kill one worker once the round is under way, while it holds jobs.
    const deadline = Date.now() + 60_000;
    while (((await roundStates(2)).completed ?? 0) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const victim = workers[0]!;
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));

    const { counts, states } = await settled(2, 120_000);
    expect(states).toEqual({ completed: SOURCES });
    expect(await failures(), JSON.stringify(counts)).toEqual([]);
    // Round 2 adds 2 articles per Source and 10 more reposts: 300 articles, 20 reposts.
    expect(await storeFigures()).toEqual({ items: 320, members: 320, stories: 300, orphans: 0 });
    expect(await repostsJoined(2)).toEqual(Array(10).fill(true));
    // Jobs the killed worker held were taken over once its lock ran out.
    let recovered = 0;
    for (const queue of QUEUE_NAMES) for (const job of await jobs.queue(queue).getCompleted(0, 1000)) recovered += job.stalledCounter > 0 ? 1 : 0;
    process.stdout.write(`workers-scale: ${recovered} job(s) taken over from the killed worker\n`);
    process.stdout.write(`workers-scale: after SIGKILL of one of 3 workers: ${JSON.stringify(await storeFigures())}, round-2 ingest jobs ${JSON.stringify(states)}\n`);
  }, 150_000);
});
