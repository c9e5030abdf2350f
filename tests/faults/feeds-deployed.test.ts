/**
 * Deployed Feeds hold every Story, on real Redis and PostgreSQL: three
 * `newsdesk worker` processes on 12 feed Sources whose feeds grow in rounds a
 * second or two apart, so process jobs keep finishing while publish jobs run;
 * then more rounds with PostgreSQL (a server of the test's own) crashed while
 * round 4 runs and round 5 comes in, and started again. Once the queues settle, the
 * overall Feed and every Topic's Feed, in RSS, Atom and JSON Feed, hold exactly
 * the Stories the store holds. (Publish job ids once were the minute: a process
 * job finishing after that minute's publish had started queued none.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { feedEntryId } from '../../src/publish/entries.js';
import { feedFiles } from '../../src/publish/feeds.js';
import { BullJobs, bullJobId, redisConnection } from '../../src/queue/bullmq.js';
import { jobIds, QUEUE_NAMES } from '../../src/queue/jobs.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { loadTaxonomy } from '../../src/tag/taxonomy.js';
import { localFeedSources, rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { freePort } from '../helpers/free-port.js';
import { newsGenerator } from '../helpers/news-generator.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { REDIS_URL, testQueuePrefix } from '../helpers/redis.js';

const SOURCES = 12;
/** New articles per Source per round: 12 x 2 in each of 6 rounds, 144 Stories in all. */
const PER_ROUND = 2;
const TOPICS = path.resolve('samples/topics.yaml');

const generator = newsGenerator(1616);
const published = new Date(Date.UTC(2026, 10, 20, 9));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What feed `f` carries in round `round`: every article so far, newest first. */
function feedItems(f: number, round: number) {
  return Array.from({ length: round * PER_ROUND }, (_, j) => {
    const article = generator.articleAt(f * 100 + j);
    return { guid: `s${f}-a${j}`, title: article.title, text: article.text };
  }).reverse();
}

const cleanups: (() => Promise<void>)[] = [];
let round = 1;
let postgres: PrivatePostgres;
let db: Db;
let jobs: BullJobs;
let output: string;
const workers: ChildProcess[] = [];
const stderr: string[] = [];

beforeAll(async () => {
  const feeds = await startFeedServer((f, base) => rssFeed(`Outlet ${f}`, base, feedItems(f, round), published));
  cleanups.push(() => feeds.close());
  const started = startPrivatePostgres(await freePort());
  if (!started) throw new Error('feeds-deployed: the PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin) are not installed');
  postgres = started;
  cleanups.push(async () => postgres.stop());
  db = await openPostgres(postgres.url);
  cleanups.push(() => db.close());
  // Before any worker: the workers find the schema there.
  await migrate(db);

  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-feeds-deployed-'));
  output = path.join(folder, 'out');
  const configFile = path.join(folder, 'newsdesk.yaml');
  const prefix = testQueuePrefix(cleanups);
  writeFileSync(
    configFile,
    stringifyYaml({
      site: { title: 'Deployed Feeds test', url: 'https://news.example.org' },
      output,
      topics: TOPICS,
      database: { url: postgres.url },
      redis: { url: REDIS_URL, lockSeconds: 5 },
      // One host serves every feed here: no politeness gap, and the host is allowed.
      fetch: { hostGapSeconds: 0 },
      sources: localFeedSources(feeds.base, SOURCES),
    }),
  );
  const connection = redisConnection(REDIS_URL);
  jobs = new BullJobs(connection, prefix);
  cleanups.push(async () => {
    await jobs.close();
    connection.disconnect();
  });
  for (let n = 0; n < 3; n += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '-c', configFile, '--concurrency', '2'], {
      env: { ...process.env, NEWSDESK_QUEUE_PREFIX: prefix, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    workers.push(child);
  }
  cleanups.push(async () => {
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  // Every worker taking jobs before the rounds begin, so the outage meets jobs running.
  const deadline = Date.now() + 50_000;
  while ((await jobs.queue('publish').getWorkersCount()) < workers.length) {
    if (Date.now() > deadline) throw new Error(`feeds-deployed: the workers did not start: ${stderr.join('')}`);
    await sleep(100);
  }
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function queueRound(r: number): Promise<void> {
  round = r;
  for (let f = 0; f < SOURCES; f += 1) await jobs.add('ingest', { sourceId: `outlet-${f}` }, { jobId: jobIds.ingest(`outlet-${f}`, r) });
}

/** Until `count` of round `r`'s ingest jobs have completed. */
async function roundCompleted(r: number, count: number): Promise<void> {
  for (;;) {
    const states = await Promise.all(
      Array.from({ length: SOURCES }, async (_, f) => (await jobs.queue('ingest').getJob(bullJobId(jobIds.ingest(`outlet-${f}`, r))))?.getState()),
    );
    if (states.filter((state) => state === 'completed').length >= count) return;
    await sleep(50);
  }
}

/**
 * Until every round's ingest jobs so far have ended and no job waits, runs, or waits
 * for a retry or its time (the Sources' schedulers' own next reads, an hour
 * away, are not waited for). A poll that meets PostgreSQL down is tried again.
 */
async function settled(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    let busy = false;
    for (let r = 1; r <= round && !busy; r += 1) {
      for (let f = 0; f < SOURCES && !busy; f += 1) {
        const job = await jobs.queue('ingest').getJob(bullJobId(jobIds.ingest(`outlet-${f}`, r)));
        const state = job ? await job.getState() : 'missing';
        if (!['completed', 'failed'].includes(state)) busy = true;
      }
    }
    const counts: Record<string, unknown> = {};
    for (const name of QUEUE_NAMES) {
      const queue = jobs.queue(name);
      const now = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      const delayed = (await queue.getDelayed(0, 1000)).filter((job) => !job.id?.startsWith('repeat:')).length;
      counts[name] = { ...now, delayed };
      if (delayed > 0 || Object.values(now).some((n) => n > 0)) busy = true;
    }
    last = JSON.stringify(counts);
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`feeds-deployed: the queues did not settle in ${timeoutMs} ms: ${last}\nworkers said: ${stderr.join('').slice(-2_000)}`);
    await sleep(200);
  }
}

/** The entry ids of the overall Feed or a Topic's, each of its three files read on its own. */
function feedIds(topicSlug?: string): { rss: string[]; atom: string[]; json: string[] } {
  const files = feedFiles(topicSlug);
  const read = (format: keyof typeof files) => readFileSync(path.join(output, files[format]), 'utf8');
  const rss = [...read('rss').matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!);
  const atom = read('atom').split('<entry>').slice(1).map((entry) => /<id>([^<]+)<\/id>/.exec(entry)![1]!);
  const json = (JSON.parse(read('json')) as { items: { id: string }[] }).items.map((item) => item.id);
  return { rss: rss.sort(), atom: atom.sort(), json: json.sort() };
}

/** Failed jobs (none expected), the Feeds against the store, and a line saying what they held. */
async function expectFeedsHoldTheStore(when: string): Promise<void> {
  const failed: string[] = [];
  for (const name of QUEUE_NAMES) for (const job of await jobs.queue(name).getFailed(0, 100)) failed.push(`${name} ${job.id}: ${job.failedReason}`);
  expect(failed).toEqual([]);

  const stories = (await db.query<{ id: string }>('select id from stories where merged_into is null')).map((row) => feedEntryId(row.id)).sort();
  expect(stories).toHaveLength(SOURCES * PER_ROUND * round);
  const overall = feedIds();
  const held = (ids: string[]) => `${ids.filter((id) => stories.includes(id)).length} of ${stories.length}`;
  const publishes = await jobs.queue('publish').getCompleted(0, 1000);
  const processed = await jobs.queue('process').getCompleted(0, 1000);
  process.stdout.write(
    `feeds-deployed, ${when}: ${processed.length} process jobs, ${publishes.length} publish jobs ` +
      `(${publishes.filter((job) => job.returnvalue?.coalesced === false).length} rendered); ` +
      `feed.xml held ${held(overall.rss)}, atom.xml ${held(overall.atom)}, feed.json ${held(overall.json)} Stories\n`,
  );
  expect(overall).toEqual({ rss: stories, atom: stories, json: stories });

  const topics = await db.query<{ slug: string; id: string }>(
    'select t.slug, t.story_id as id from story_topics t join stories s on s.id = t.story_id where s.merged_into is null',
  );
  let tagged = 0;
  for (const slug of loadTaxonomy(TOPICS).topics.map((topic) => topic.slug)) {
    const own = topics.filter((row) => row.slug === slug).map((row) => feedEntryId(row.id)).sort();
    tagged += own.length > 0 ? 1 : 0;
    const files = feedIds(slug);
    expect({ slug, ...files }, `topics/${slug}: held ${held(files.rss)}`).toEqual({ slug, rss: own, atom: own, json: own });
  }
  // The Topic Feeds compared are not all empty ones.
  expect(tagged).toBeGreaterThanOrEqual(3);
}

it('hold exactly the Stories in the store once the queues settle, Items having come in rounds while publishes ran', async () => {
  for (const r of [1, 2, 3]) {
    await queueRound(r);
    await sleep(1_000);
  }
  await settled(45_000);
  await expectFeedsHoldTheStore('rounds 1-3');
}, 60_000);

it('and after Items came in through a PostgreSQL outage', async () => {
  await queueRound(4);
  await roundCompleted(4, 3);
  // Down while round 4's jobs run, and round 5 comes in meanwhile: jobs that meet the outage fail and are tried again.
  postgres.crash();
  await sleep(1_000);
  await queueRound(5);
  await sleep(1_000);
  postgres.start();
  await sleep(1_000);
  await queueRound(6);
  await settled(60_000);

  // The outage has to have hit jobs, or this test proves less than it says.
  let retried = 0;
  for (const name of ['ingest', 'process', 'publish'] as const) retried += (await jobs.queue(name).getCompleted(0, 1000)).filter((job) => job.attemptsMade > 1).length;
  expect(retried).toBeGreaterThan(0);
  await expectFeedsHoldTheStore(`rounds 4-6, ${retried} jobs retried after the outage`);
}, 75_000);
