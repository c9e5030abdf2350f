/**
 * Prometheus metrics (prom-client). Each process keeps a Registry of its own
 * rather than prom-client's global one, so tests can run several workers and
 * servers in one process without their figures mixing.
 *
 * - A worker counts what its handlers return (fetches, Items, Stories) and how
 *   long each job took: `recordJob` reads the results after the handler ran,
 *   so the handlers stay plain functions shared with the embedded run.
 * - `newsdesk serve` reports the queue depths, read from Redis at scrape time.
 *   Only the server does: the depth is one figure for the whole deployment, and
 *   N workers reporting it would make every sum over targets N times too big.
 * - Both report the default process metrics (CPU, memory, event loop, GC).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestResult, ProcessResult, SendResult } from './queue/results.js';
import type { Logger } from './log.js';
import { QUEUE_NAMES, type QueueName } from './queue/jobs.js';
import type { StageTimes } from './queue/stages.js';

/** The job states the depth gauge reports (`getJobCounts` names). */
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * How long a scrape waits for the queue depths. BullMQ waits for a Redis that
 * has not answered since the process started, however long that takes; the
 * scrape (Prometheus gives up after 10 s by default) answers without them.
 */
const QUEUE_READ_TIMEOUT_MS = 2_000;

/**
 * Seconds: a process or publish job takes well under a second to a few
 * seconds; an ingest job waits for the feed (fetch.totalTimeoutSeconds, 30 by
 * default) and for the host gap, so the buckets reach minutes.
 */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Whatever gives a BullMQ Queue by name (BullJobs). */
export interface QueueSource {
  queue(name: QueueName): Queue;
}

/**
 * A Registry with the default process metrics and, given the queues, the
 * `newsdesk_queue_jobs{queue,state}` gauge read when scraped.
 */
export function createRegistry(options: { queues?: QueueSource; log?: Logger } = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { queues, log } = options;
  if (queues) {
    new Gauge({
      name: 'newsdesk_queue_jobs',
      help: 'Jobs on each BullMQ queue by state, read from Redis when scraped.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        try {
          const counts = await within(Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobCounts(...JOB_STATES))), QUEUE_READ_TIMEOUT_MS);
          // Set all at once after every read answered: a read that answers after the timeout changes nothing.
          this.reset();
          QUEUE_NAMES.forEach((queue, i) => {
            for (const state of JOB_STATES) this.set({ queue, state }, counts[i]![state] ?? 0);
          });
        } catch (error) {
          // Redis down: the scrape still gives the process metrics; the missing gauge (and /readyz) tell the rest.
          this.reset();
          log?.warn({ err: (error as Error).message }, 'metrics: queue depths unavailable');
        }
      },
    });
  }
  return registry;
}

/** The promise's value, or a rejection once `ms` have passed without one. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`metrics: Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface JobMetrics {
  registry: Registry;
  fetches: Counter<'outcome'>;
  itemsCreated: Counter;
  storiesCreated: Counter;
  emails: Counter<'outcome'>;
  stageSeconds: Counter<'queue' | 'stage'>;
  jobDuration: Histogram<'queue' | 'status'>;
}

/** A worker's Registry: the process metrics and what its jobs did. */
export function createJobMetrics(): JobMetrics {
  const registry = createRegistry();
  const registers = [registry];
  return {
    registry,
    fetches: new Counter({
      name: 'newsdesk_fetches_total',
      // Archive and file Sources are read from disk: no fetch, so not counted here (nor in the store's fetches table).
      help: 'Feed Source fetches by outcome (ok, not-modified, timeout, http-4xx, ...), as the fetches table records them.',
      labelNames: ['outcome'],
      registers,
    }),
    itemsCreated: new Counter({ name: 'newsdesk_items_created_total', help: 'Items stored for the first time by ingest jobs.', registers }),
    storiesCreated: new Counter({ name: 'newsdesk_stories_created_total', help: 'Stories created by process jobs.', registers }),
    emails: emailCounter(registers),
    jobDuration: new Histogram({
      name: 'newsdesk_job_duration_seconds',
      help: 'Time each job attempt spent in its handler, by queue and status (completed or failed).',
      labelNames: ['queue', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    stageSeconds: new Counter({
      name: 'newsdesk_stage_seconds_total',
      help: 'Time completed jobs spent in each step of the pipeline (fetch, parse, store, dedupe, tag, publish, queue), by queue.',
      labelNames: ['queue', 'stage'],
      registers,
    }),
  };
}

const EMAIL_OUTCOMES = ['sent', 'failed', 'bounced'] as const;

function emailCounter(registers: Registry[]): Counter<'outcome'> {
  const counter = new Counter({
    name: 'newsdesk_emails_total',
    help: 'Edition emails by outcome: sent (the SMTP server accepted it), bounced (refused for the recipient: suppressed), failed (refused for good otherwise).',
    labelNames: ['outcome'],
    registers,
  });
  // Every outcome from the start at 0, so rate() and alerts see the series before the first bounce.
  for (const outcome of EMAIL_OUTCOMES) counter.inc({ outcome }, 0);
  return counter;
}

const LOGIN_OUTCOMES = ['ok', 'wrong', 'limited'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/**
 * `newsdesk serve`'s editor logins by outcome: ok and wrong are the password
 * checks made (each an scrypt hash), limited the tries refused before any
 * check. A rising `wrong` or `limited` is someone guessing.
 */
export function loginCounter(registry: Registry): Counter<'outcome'> {
  const counter = new Counter({
    name: 'newsdesk_editor_logins_total',
    help: 'Editor logins by outcome: ok and wrong (the password was checked), limited (refused by the login limit before any check).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of LOGIN_OUTCOMES) counter.inc({ outcome }, 0);
  return counter;
}

/** Records one job attempt from what its handler returned or threw. */
export function recordJob(metrics: JobMetrics, queue: QueueName, outcome: { result: unknown } | { error: unknown }, seconds: number): void {
  const failed = 'error' in outcome;
  metrics.jobDuration.observe({ queue, status: failed ? 'failed' : 'completed' }, seconds);
  if (queue === 'send') {
    // A send job that fails (deferrals left, an SMTP error) still sent what it sent: its error carries the result.
    const result = failed ? (outcome.error as { result?: SendResult } | null)?.result : (outcome.result as SendResult);
    for (const key of EMAIL_OUTCOMES) if (result && result[key] > 0) metrics.emails.inc({ outcome: key }, result[key]);
    return;
  }
  if (failed) return;
  const { stageMs } = (outcome.result ?? {}) as { stageMs?: StageTimes };
  for (const [stage, ms] of Object.entries(stageMs ?? {})) metrics.stageSeconds.inc({ queue, stage }, ms / 1000);
  if (queue === 'ingest') {
    const result = outcome.result as IngestResult;
    // null: an archive or file Source (read from disk), or a scheduled read skipped as not due: nothing was fetched.
    if (result.fetchStatus !== null) metrics.fetches.inc({ outcome: result.fetchStatus });
    metrics.itemsCreated.inc(result.items.new);
  } else if (queue === 'process') {
    metrics.storiesCreated.inc((outcome.result as ProcessResult).storiesCreated);
  }
}

/** A listener answering GET /metrics with the Registry (for `newsdesk worker --metrics-port`). */
export async function listenMetrics(registry: Registry, options: { port: number; host: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics: ${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    // closeAllConnections: a scraper's keep-alive connection would otherwise hold the shutdown.
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}
