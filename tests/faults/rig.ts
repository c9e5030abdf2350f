/**
 * The fault tests' rig: a private Redis and a private PostgreSQL started for
 * the test (never the shared ones, since the tests kill them), a local HTTP
 * server of feed Sources, and `newsdesk worker` processes on them. Each
 * scenario breaks one part while the workers run, then waits until the
 * queues settle and counts what was lost or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { BullJobs, bullJobId, redisConnection } from '../../src/queue/bullmq.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startSending } from '../../src/mail/sending.js';
import { jobIds, QUEUE_NAMES, type QueueName } from '../../src/queue/jobs.js';
import { moveEdition } from '../../src/store/editions.js';
import { nextComposeAt, weekDueAt } from '../../src/week.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { newsGenerator } from '../helpers/news-generator.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { freePort } from '../helpers/free-port.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RigOptions {
  /** Feed Sources on the local HTTP server; the last fifth also repost another Source's first article. */
  sources: number;
  articlesPerSource: number;
  /** Config merged over the rig's own (mail, fetch timeouts ...). */
  config?: Record<string, unknown>;
  /** Each feed answer is held back this long, so faults land while fetches are in flight. */
  feedDelayMs?: number;
  /**
   * Sending: an SMTP server in this process (`rig.sink`) and the postal address
   * and signing secret an Edition needs; `ratePerSecond` slows sending down so a
   * fault lands while batches go out.
   */
  mail?: { ratePerSecond?: number };
  /** `newsdesk worker` processes started with the rig (default 2). */
  workers?: number;
  /** Adds the Sources `hanging`, whose server accepts the request and never answers, and `trickling`, whose feed never ends. */
  hangingSource?: boolean;
}

export interface Rig {
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  /** The SMTP server, when the rig sends. */
  sink: SmtpSink | null;
  db: Db;
  jobs: BullJobs;
  configFile: string;
  feedBase: string;
  sourceIds: string[];
  /** Items and Stories the feeds make when nothing goes wrong. */
  expected: { items: number; stories: number };
  workers: ChildProcess[];
  startWorker(): ChildProcess;
  close(): Promise<void>;
}

const generator = newsGenerator(9090);
const published = new Date(Date.UTC(2026, 10, 20, 9));

function feedItems(f: number, options: RigOptions) {
  const own = Array.from({ length: options.articlesPerSource }, (_, j) => {
    const article = generator.articleAt(f * 100 + j);
    return { guid: `s${f}-a${j}`, title: article.title, text: article.text };
  });
  const reposting = f >= options.sources - Math.floor(options.sources / 5);
  if (reposting) {
    const original = generator.articleAt((f - (options.sources - Math.floor(options.sources / 5))) * 100);
    own.push({ guid: `s${f}-repost`, title: `Retitled: ${original.title}`, text: original.text });
  }
  return own;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const sink = options.mail ? await startSmtpSink({ keepRaw: false }) : null;
  const redis = await startPrivateRedis(await freePort());
  const postgres = startPrivatePostgres(await freePort());
  if (!postgres) throw new Error('fault tests: the PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin) are not installed');
  const feeds = await startFeedServer((f, base) => rssFeed(`Outlet ${f}`, base, feedItems(f, options), published), {
    delayMs: options.feedDelayMs,
  });
  const db = await openPostgres(postgres.url);
  // Before any worker: two workers migrating an empty database at once would race.
  await migrate(db);
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-faults-'));
  const configFile = path.join(folder, 'newsdesk.yaml');
  const sourceIds = Array.from({ length: options.sources }, (_, f) => `outlet-${f}`);
  writeFileSync(
    configFile,
    stringifyYaml({
      site: { title: 'Fault test', url: 'https://news.example.org' },
      output: path.join(folder, 'out'),
      database: { url: postgres.url },
      // A short lock so a killed worker's jobs move on within seconds.
      redis: { url: redis.url, lockSeconds: 5 },
      fetch: { hostGapSeconds: 0 },
      ...(sink
        ? {
            organisation: { postalAddress: '1 Test Street, Seoul' },
            secret: 'a-fault-test-secret-of-at-least-32-chars',
            mail: { smtpUrl: sink.url, ratePerSecond: options.mail?.ratePerSecond ?? 1_000, connections: 4, batchSize: 100 },
          }
        : {}),
      ...options.config,
      sources: [
        ...sourceIds.map((id, f) => ({ id, kind: 'feed', name: `Outlet ${f}`, url: `${feeds.base}/feed/${f}.xml`, allowAddresses: ['127.0.0.1'] })),
        ...(options.hangingSource
          ? [
              { id: 'hanging', kind: 'feed', name: 'Hanging outlet', url: `${feeds.base}/hang`, allowAddresses: ['127.0.0.1'] },
              { id: 'trickling', kind: 'feed', name: 'Trickling outlet', url: `${feeds.base}/trickle`, allowAddresses: ['127.0.0.1'] },
            ]
          : []),
      ],
    }),
  );
  const prefix = 'faults';
  const connection = redisConnection(redis.url);
  // Redis is down on purpose for a while: the connection retries; nothing to report.
  connection.on('error', () => undefined);
  const jobs = new BullJobs(connection, prefix);
  const workers: ChildProcess[] = [];
  const reposts = Math.floor(options.sources / 5);
  const rig: Rig = {
    redis,
    postgres,
    sink,
    db,
    jobs,
    configFile,
    feedBase: feeds.base,
    sourceIds,
    expected: { items: options.sources * options.articlesPerSource + reposts, stories: options.sources * options.articlesPerSource },
    workers,
    startWorker() {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '-c', configFile, '--concurrency', '2'], {
        env: { ...process.env, NEWSDESK_QUEUE_PREFIX: prefix, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        if (process.env.NEWSDESK_FAULTS_VERBOSE) process.stderr.write(chunk);
      });
      workers.push(child);
      return child;
    },
    async close() {
      for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await jobs.close().catch(() => undefined);
      await db.close().catch(() => undefined);
      await feeds.close();
      await redis.stop();
      postgres.stop();
      await sink?.close();
    },
  };
  for (let n = 0; n < (options.workers ?? 2); n += 1) rig.startWorker();
  return rig;
}

/** Queues an ingest job for each Source (slot 1), as the scheduler would. */
export async function queueIngest(rig: Rig, sourceIds: string[] = rig.sourceIds): Promise<void> {
  for (const sourceId of sourceIds) await rig.jobs.add('ingest', { sourceId }, { jobId: jobIds.ingest(sourceId, 1) });
}

/** A state of the ingest job the test queued for each Source. */
export async function ingestStates(rig: Rig, sourceIds: string[] = rig.sourceIds): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (const sourceId of sourceIds) {
    const job = await rig.jobs.queue('ingest').getJob(bullJobId(jobIds.ingest(sourceId, 1)));
    states.set(sourceId, job ? await job.getState() : 'missing');
  }
  return states;
}

/**
 * Waits until the ingest jobs the test queued have ended (completed or failed
 * for good) and no job waits, runs or waits for a retry; the Sources'
 * schedulers' own next reads (`repeat:` jobs) are not waited for. A poll
 * that meets Redis down is tried again.
 */
export async function settle(rig: Rig, timeoutMs: number, sourceIds: string[] = rig.sourceIds): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const states = await ingestStates(rig, sourceIds);
      // 'missing' is a job Redis lost: it ends nothing, so it is not waited for (it counts as lost).
      let busy = [...states.values()].some((state) => !['completed', 'failed', 'missing'].includes(state));
      for (const name of QUEUE_NAMES) {
        const queue = rig.jobs.queue(name);
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((n) => n > 0)) busy = true;
        const delayed = await queue.getDelayed(0, 1000);
        if (delayed.some((job) => !job.id?.startsWith('repeat:'))) busy = true;
      }
      last = JSON.stringify(Object.fromEntries(states));
      if (!busy) return states;
    } catch (error) {
      last = `poll failed: ${String(error)}`;
    }
    if (Date.now() > deadline) throw new Error(`fault test: the queues did not settle in ${timeoutMs} ms: ${last}`);
    await sleep(250);
  }
}

/** Jobs that failed for good, in any queue, with why. */
export async function failedJobs(rig: Rig): Promise<string[]> {
  const failed: string[] = [];
  for (const name of QUEUE_NAMES as QueueName[]) for (const job of await rig.jobs.queue(name).getFailed(0, 1000)) failed.push(`${name} ${job.id}: ${job.failedReason}`);
  return failed;
}

export interface PipelineCounts {
  /** Ingest jobs the test queued that did not complete, plus jobs failed for good and Items no process job reached. */
  jobsLost: number;
  itemsLost: number;
  itemsDuplicated: number;
  storiesDuplicated: number;
  failed: string[];
}

/** What the store and the queues hold against what the feeds should have made. */
export async function pipelineCounts(rig: Rig, states: Map<string, string>): Promise<PipelineCounts> {
  const [row] = await rig.db.query<{ items: number; stories: number; orphans: number }>(
    `select (select count(*)::int from items) as items,
       (select count(*)::int from stories where merged_into is null) as stories,
       (select count(*)::int from items i where not exists (select 1 from story_items si where si.item_id = i.id)) as orphans`,
  );
  const failed = await failedJobs(rig);
  const notCompleted = [...states.values()].filter((state) => state !== 'completed').length;
  return {
    jobsLost: notCompleted + failed.length + row!.orphans,
    itemsLost: Math.max(0, rig.expected.items - row!.items),
    itemsDuplicated: Math.max(0, row!.items - rig.expected.items),
    storiesDuplicated: Math.max(0, row!.stories - rig.expected.stories),
    failed,
  };
}

/** The line each scenario prints. */
export function report(scenario: string, counts: { jobsLost: number; storiesDuplicated: number | null; emailsLost: number | null }, more = ''): void {
  const show = (n: number | null) => (n === null ? 'n/a' : String(n));
  process.stdout.write(
    `faults: ${scenario.padEnd(44)} jobs lost ${show(counts.jobsLost)}, Stories duplicated ${show(counts.storiesDuplicated)}, emails lost ${show(counts.emailsLost)}${more ? `  (${more})` : ''}\n`,
  );
}

/**
 * This week's Edition of the Stories ingested so far, composed by the
 * workers and approved, and `subscribers` confirmed Subscribers who want every
 * Topic (reader<n>@example.org).
 */
export async function approvedEdition(rig: Rig, subscribers: number): Promise<{ editionId: string; config: Config }> {
  const config = loadConfig(rig.configFile);
  const week = weekDueAt(nextComposeAt(new Date(), config.schedule.compose), config.schedule.compose);
  await rig.jobs.add('compose', { week }, { jobId: jobIds.compose(week) });
  let editionId: string | undefined;
  const deadline = Date.now() + 60_000;
  while (!editionId) {
    if (Date.now() > deadline) throw new Error(`fault test: no draft Edition for ${week} within 60 s`);
    await sleep(100);
    editionId = (await rig.db.query<{ id: string }>(`select id from editions where week = $1 and status = 'draft'`, [week]))[0]?.id;
  }
  await moveEdition(rig.db, editionId, 'approved', 'editor-a');
  await rig.db.query(
    `insert into subscribers (id, email, status, topics, consent, confirmed_at)
     select gen_random_uuid(), 'reader' || g || '@example.org', 'confirmed', '{}', 'test', now() from generate_series(1, $1::int) g`,
    [subscribers],
  );
  return { editionId, config };
}

/** Waits until the Edition is sent (or the time is up); returns its status. */
export async function sentWithin(rig: Rig, editionId: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await rig.db.query<{ status: string }>('select status from editions where id = $1', [editionId]))[0]!.status;
    if (status === 'sent' || Date.now() > deadline) return status;
    await sleep(250);
  }
}

export interface EmailCounts {
  emailsLost: number;
  received: number;
  duplicates: number;
  /** Every copy an address got carries one Message-ID (a duplicate is recognisable as one). */
  oneMessageIdEach: boolean;
  deliveries: Record<string, number>;
  failedSendJobs: string[];
}

/** What the SMTP server got against the Subscribers the Edition was for. */
export async function emailCounts(rig: Rig, editionId: string, subscribers: number): Promise<EmailCounts> {
  const sink = rig.sink!;
  const perAddress = [...sink.perRecipient.values()];
  const ids = new Map<string, Set<string | null>>();
  for (const message of sink.messages) for (const to of message.to) ids.set(to, (ids.get(to) ?? new Set()).add(message.messageId));
  const rows = await rig.db.query<{ status: string; n: number }>('select status, count(*)::int as n from deliveries where edition_id = $1 group by status', [editionId]);
  return {
    emailsLost: subscribers - perAddress.length,
    received: sink.messages.length,
    duplicates: perAddress.reduce((sum, n) => sum + n - 1, 0),
    oneMessageIdEach: [...ids.values()].every((set) => set.size === 1),
    deliveries: Object.fromEntries(rows.map((row) => [row.status, row.n])),
    failedSendJobs: (await rig.jobs.queue('send').getFailed(0, 100)).map((job) => `${job.id}: ${job.failedReason}`),
  };
}

/**
 * Sends this week's Edition to `subscribers` Subscribers, breaks something with
 * `fault` once 100 emails are out, waits for the Edition to be sent, prints the
 * counts and checks them: no email lost, no send job failed, and a duplicate
 * only of a message that was in an SMTP transaction at the fault (4 connections
 * per send job, 2 jobs per worker) with the same Message-ID.
 */
export async function sendThroughFault(rig: Rig, scenario: string, subscribers: number, fault: () => Promise<void>): Promise<void> {
  const { editionId, config } = await approvedEdition(rig, subscribers);
  await startSending(rig.db, config, rig.jobs, editionId, 'editor-a');
  while (rig.sink!.messages.length < 100) await sleep(20);
  const before = rig.sink!.messages.length;
  await fault();

  const status = await sentWithin(rig, editionId, 150_000);
  const counts = await emailCounts(rig, editionId, subscribers);
  report(scenario, { jobsLost: counts.failedSendJobs.length, storiesDuplicated: null, emailsLost: counts.emailsLost },
    `after ${before} of ${subscribers} emails; received ${counts.received}, duplicates ${counts.duplicates}; Deliveries ${JSON.stringify(counts.deliveries)}, Edition ${status}`);
  expect(counts.failedSendJobs).toEqual([]);
  expect(status).toBe('sent');
  expect(counts).toMatchObject({ emailsLost: 0, oneMessageIdEach: true, deliveries: { sent: subscribers } });
  expect(counts.duplicates).toBeLessThanOrEqual(8);
}
