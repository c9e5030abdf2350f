/**
 * End to end through the queues: `sources` feed Sources of `perSource`
 * generated articles on a local HTTP server, read, deduped, tagged and
 * published by 1 or 2 `newsdesk worker` processes on Redis and PostgreSQL, next
 * to the embedded run (PGlite, in-process) on the same feeds. Every run starts
 * from an empty database (a new one on the shared server, or a fresh PGlite);
 * worker runs are timed from the first ingest job queued (workers already up,
 * nothing read yet) until every Item is in a Story and no job is left.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { stringify as stringifyYaml } from 'yaml';
import { runPipeline } from '../workers/embedded.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { BullJobs, redisConnection } from '../src/queue/bullmq.js';
import { jobIds, QUEUE_NAMES, type QueueName } from '../src/queue/jobs.js';
import { STAGES, type Stage, type StageTimes } from '../src/queue/stages.js';
import { openPostgres } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { syncSources } from '../src/store/sources.js';
import { localFeedSources, rssFeed, startFeedServer } from '../tests/helpers/feed-server.js';
import { newsGenerator } from '../tests/helpers/news-generator.js';
import { startCpuClock } from './cpu.js';
import { measureRuns, median, timed, type RunResult } from './measure.js';
import { peakRss, resetPeakRss, watchBackends, type MemoryFigure } from './memory.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, rowOrFailure, type BenchRow } from './table.js';

const generator = newsGenerator(777);
const published = new Date(Date.UTC(2026, 10, 20, 9));
const log = createLogger({ level: 'silent' });

interface FeedSetup {
  base: string;
  sources: number;
  items: number;
}

function writeConfig(folder: string, feeds: FeedSetup, database: { url: string }, redisUrl: string): string {
  const file = path.join(folder, 'newsdesk.yaml');
  writeFileSync(
    file,
    stringifyYaml({
      site: { title: 'Queue bench', url: 'https://news.example.org' },
      output: 'out',
      topics: path.resolve('samples/topics.yaml'),
      database: { url: database.url, dataDir: 'pglite' },
      redis: { url: redisUrl },
      fetch: { hostGapSeconds: 0 },
      sources: localFeedSources(feeds.base, feeds.sources),
    }),
  );
  return file;
}

/** Waits for `check`; on timeout, the error says what `state` saw last, so a stuck run can be told from a slow one. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, state: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`queue bench: ${what} not within ${timeoutMs / 1000} s: ${await state()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Seconds the workers spent in each queue's jobs during one run (BullMQ's processedOn to finishedOn), in
 * each step of the pipeline within them (the handlers' stageMs), and the run's wall time.
 */
interface RunTimes {
  wallSeconds: number;
  /** CPU seconds the worker processes and the database's PostgreSQL backends used (null: no /proc). */
  cpuSeconds: { workers: number | null; postgres: number | null };
  jobSeconds: Map<QueueName, number>;
  jobs: Map<QueueName, number>;
  stageSeconds: Map<Stage, number>;
}

/**
 * The time of every job completed since `since` (ms epoch), by queue: the schedulers' first ingest jobs,
 * run before the clock, are left out. The queues keep their last 1,000 completed jobs, more than one run makes.
 */
async function runTimes(jobs: BullJobs, since: number, wallSeconds: number, cpuSeconds: RunTimes['cpuSeconds']): Promise<RunTimes> {
  const jobSeconds = new Map<QueueName, number>();
  const counts = new Map<QueueName, number>();
  const stageSeconds = new Map<Stage, number>();
  for (const queue of QUEUE_NAMES) {
    const done = (await jobs.queue(queue).getJobs(['completed'], 0, -1)).filter((job) => (job.processedOn ?? 0) >= since);
    const spent = done.reduce((sum, job) => sum + ((job.finishedOn ?? 0) - (job.processedOn ?? job.finishedOn ?? 0)), 0);
    if (done.length > 0) {
      jobSeconds.set(queue, spent / 1000);
      counts.set(queue, done.length);
    }
    for (const job of done) {
      const { stageMs } = (job.returnvalue ?? {}) as { stageMs?: StageTimes };
      for (const [stage, ms] of Object.entries(stageMs ?? {}) as [Stage, number][]) stageSeconds.set(stage, (stageSeconds.get(stage) ?? 0) + ms / 1000);
    }
  }
  return { wallSeconds, cpuSeconds, jobSeconds, jobs: counts, stageSeconds };
}

/**
 * Where a run's time went, per Item (medians over the runs): each step of the pipeline (the handlers'
 * stageMs), the rest of the jobs' time (BullMQ's work on the worker's side, waits for locks), each queue's
 * job time, and the wall time. The jobs of a queue run two at a time per worker and queues overlap, so the
 * times may add up to more than the wall time.
 */
function stageNote(runs: RunTimes[], items: number): string {
  const perItem = (seconds: number) => `${((1000 * seconds) / items).toFixed(2)} ms`;
  const middle = (of: (run: RunTimes) => number) => median(runs.map(of));
  const stages = STAGES.filter((stage) => runs.some((run) => run.stageSeconds.has(stage))).map(
    (stage) => `${stage} ${perItem(middle((run) => run.stageSeconds.get(stage) ?? 0))}`,
  );
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  const rest = middle((run) => sum(run.jobSeconds.values()) - sum(run.stageSeconds.values()));
  const queues = QUEUE_NAMES.filter((queue) => runs.some((run) => run.jobSeconds.has(queue))).map(
    (queue) => `${queue} ${perItem(middle((run) => run.jobSeconds.get(queue) ?? 0))} (${middle((run) => run.jobs.get(queue) ?? 0)} jobs)`,
  );
  const cpu = (of: (run: RunTimes) => number | null) => (runs.some((run) => of(run) === null) ? 'unknown' : perItem(middle((run) => of(run)!)));
  return (
    `per Item: ${stages.join(', ')}, in jobs outside the steps ${perItem(rest)}; job time per Item: ${queues.join(', ')}; ` +
    `wall ${perItem(middle((run) => run.wallSeconds))}; CPU per Item: workers ${cpu((run) => run.cpuSeconds.workers)}, PostgreSQL ${cpu((run) => run.cpuSeconds.postgres)}`
  );
}

/** Embedded: the same feeds, a fresh PGlite store, jobs in-process. */
async function embeddedRun(feeds: FeedSetup): Promise<number> {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-qbench-'));
  try {
    const config = loadConfig(writeConfig(folder, feeds, { url: '' }, ''), {});
    const { seconds } = await timed(() => runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] }));
    return feeds.items / seconds;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `count` worker processes on a new database of the shared server; the Items/s and the workers' and backends' peak memory. */
async function workersRun(feeds: FeedSetup, count: number, plan: BenchPlan, stages: RunTimes[]): Promise<RunResult> {
  const name = `newsdesk_qbench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: plan.postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(plan.postgresUrl);
  url.pathname = `/${name}`;
  const prefix = `bench-${randomUUID()}`;
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-qbench-'));
  const configFile = writeConfig(folder, feeds, { url: url.toString() }, plan.redisUrl);
  const connection = redisConnection(plan.redisUrl);
  const jobs = new BullJobs(connection, prefix);
  const children: ChildProcess[] = [];
  const db = await openPostgres(url.toString());
  try {
    // A worker's job schedulers queue an ingest of every Source as soon as it starts (BullMQ runs an `every`
    // scheduler at once): with the Sources not due yet those jobs skip them, and the clock times only the ingest
    // jobs queued below. (Left due, the Sources were read before the clock started, and when that was done before
    // the count below was taken the run never ended.)
    await migrate(db);
    await syncSources(db, loadConfig(configFile, {}).sources);
    await db.query(`update sources set next_fetch_at = now() + interval '1 day'`);
    for (let i = 0; i < count; i += 1) {
      children.push(
        spawn(process.execPath, ['bin/newsdesk.js', 'worker', '-c', configFile, '--concurrency', '2'], {
          env: { ...process.env, NEWSDESK_QUEUE_PREFIX: prefix },
          stdio: 'ignore',
        }),
      );
    }
    // Up and listening on every queue (each worker also synced the Sources' schedulers).
    const listening = async () => (await jobs.queue('process').getWorkers()).length;
    await waitFor(`${count} workers up`, async () => (await listening()) >= count, 60_000, async () => `${await listening()} listening, ${children.filter((c) => c.exitCode !== null).length} exited`);
    const storyItems = async () => ((await db.query<{ n: number }>('select count(*)::int as n from story_items')) as [{ n: number }])[0].n;
    const jobCounts = () => Promise.all(QUEUE_NAMES.map(async (queue) => ({ queue, counts: await jobs.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'failed') })));
    const before = await storyItems();
    // The workers' peaks from here: the work, not their start-up.
    for (const child of children) resetPeakRss(child.pid!);
    const backends = watchBackends(admin, name);
    let backendPeak: MemoryFigure | null = null;
    const backendPids = async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])).rows.map((row) => row.pid);
    // A backend started during the run counts whole: the list is read again before the clock is.
    let pgPids = await backendPids();
    const workerCpu = startCpuClock(() => children.map((child) => child.pid!));
    const postgresCpu = startCpuClock(() => pgPids);
    const started = Date.now();
    const { seconds } = await timed(async () => {
      try {
        for (let f = 0; f < feeds.sources; f += 1) await jobs.add('ingest', { sourceId: `outlet-${f}` }, { jobId: jobIds.ingest(`outlet-${f}`, 1) });
        await waitFor(
          'every Item in a Story and no job left',
          async () => {
            if ((await storyItems()) - before < feeds.items) return false;
            return (await jobCounts()).every(({ counts }) => (counts.waiting ?? 0) + (counts.active ?? 0) === 0);
          },
          180_000,
          async () => {
            const queues = (await jobCounts()).map(({ queue, counts: c }) => `${queue} ${c.waiting ?? 0}/${c.active ?? 0}/${c.delayed ?? 0}/${c.failed ?? 0}`);
            const short = await db.query<{ source: string; items: number; inStories: number }>(
              `select s.id as source, count(i.id)::int as items, count(si.item_id)::int as "inStories" from sources s
                 left join items i on i.source_id = s.id left join story_items si on si.item_id = i.id
               group by s.id having count(si.item_id) < $1 order by s.id`,
              [feeds.items / feeds.sources],
            );
            const sources = short.map((row) => `${row.source} ${row.inStories}/${row.items}`).join(', ');
            return (
              `${(await storyItems()) - before} of ${feeds.items} Items in Stories (Sources short, in Stories/stored: ${sources}); ` +
              `jobs waiting/active/delayed/failed: ${queues.join(', ')}`
            );
          },
        );
      } finally {
        backendPeak = backends.stop();
      }
    });
    pgPids = await backendPids();
    const cpuSeconds = { workers: workerCpu.read().others, postgres: postgresCpu.read().others };
    stages.push(await runTimes(jobs, started, seconds, cpuSeconds));
    const workerPeak = Math.max(...children.map((child) => peakRss(child.pid!) ?? 0));
    return { value: feeds.items / seconds, memory: [workerPeak > 0 ? { whose: 'worker', peakBytes: workerPeak, kind: 'rss' } : null, backendPeak] };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await db.close();
    await jobs.close();
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length > 0) await connection.del(...keys);
    connection.disconnect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The workers run the compiled command, as deployed (`node bin/newsdesk.js worker`), not through tsx, whose
 * compiling on import ran into the timed jobs (0.8 ms of worker CPU per Item more): compiled here first, so
 * they run this checkout's code.
 */
function buildCommand(): void {
  execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

export async function queueRows(plan: BenchPlan, add: (row: BenchRow) => void): Promise<void> {
  const { sources, perSource, workerCounts } = plan.queues!;
  if (workerCounts.length > 0) buildCommand();
  const server = await startFeedServer((f, base) =>
    rssFeed(`Outlet ${f}`, base, Array.from({ length: perSource }, (_, j) => {
      const article = generator.articleAt(f * perSource + j);
      return { guid: `s${f}-a${j}`, title: article.title, text: article.text };
    }), published),
  );
  const feeds: FeedSetup = { base: server.base, sources, items: sources * perSource };
  const input = `${feeds.items.toLocaleString('en')} Items (${sources} feeds x ${perSource})`;
  try {
    const embeddedName = 'queues end to end: embedded (PGlite, in-process)';
    add(
      await rowOrFailure(embeddedName, async () => {
        const measured = await measureRuns({ runs: plan.longRuns, warmUp: false, once: () => embeddedRun(feeds) });
        return measuredRow(embeddedName, input, 'Items/s', measured, 'a fresh store each run, creating it included');
      }),
    );
    for (const count of workerCounts) {
      const name = `queues end to end: ${count} worker process${count > 1 ? 'es' : ''} (PostgreSQL, BullMQ)`;
      add(
        await rowOrFailure(name, async () => {
          const stages: RunTimes[] = [];
          const measured = await measureRuns({ runs: plan.longRuns, warmUp: false, watches: () => [], once: () => workersRun(feeds, count, plan, stages) });
          return measuredRow(name, input, 'Items/s', measured, `a new database each run; workers up before the clock starts; ${stageNote(stages, feeds.items)}`);
        }),
      );
    }
  } finally {
    await server.close();
  }
}
