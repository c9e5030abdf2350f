/**
 * The deployed worker: dependencies built once, then one BullMQ Worker per
 * queue running the same handlers as the embedded run. `close()` stops taking
 * jobs, lets running ones finish, and closes the connections (SIGTERM/SIGINT
 * call it in `newsdesk worker`). Every job attempt is timed and counted in
 * `metrics` (src/metrics.ts), outside the handlers.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { isPermanent } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import { createJobMetrics, recordJob, type JobMetrics } from '../src/metrics.js';
import { BullJobs, redisConnection } from '../src/queue/bullmq.js';
import { QUEUE_NAMES, type QueueName } from '../src/queue/jobs.js';
import { jobDeps, type Runtime } from '../src/runtime.js';
import { TaxonomyFile } from '../src/tag/taxonomy-file.js';
import { handlers } from './handlers.js';

export interface RunningWorkers {
  jobs: BullJobs;
  /** What this process's jobs did; `newsdesk worker --metrics-port` serves its registry. */
  metrics: JobMetrics;
  close(): Promise<void>;
}

export function startWorkers(
  runtime: Runtime,
  options: { redisUrl: string; queues?: QueueName[]; concurrency?: number; prefix?: string; lockSeconds?: number },
): RunningWorkers {
  const connection = redisConnection(options.redisUrl);
  const jobs = new BullJobs(connection, options.prefix);
  const deps = jobDeps(runtime, jobs);
  // Editors edit the taxonomy while workers run: each job tags with the file as it is now.
  const taxonomy = runtime.config.topics ? new TaxonomyFile(runtime.config.topics, runtime.taxonomy, runtime.log) : null;
  const metrics = createJobMetrics();
  // Workers block on Redis: each has a connection of its own (closed with it, below).
  const connections = [connection];
  const workers = (options.queues ?? QUEUE_NAMES).map((name) => {
    const own = redisConnection(options.redisUrl);
    connections.push(own);
    const processor = async (job: { data: unknown }) => {
      const run = handlers(taxonomy ? { ...deps, taxonomy: taxonomy.current() } : deps);
      const handle = run[name] as (payload: unknown) => Promise<unknown>;
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await handle(job.data);
        recordJob(metrics, name, { result }, seconds());
        return result;
      } catch (error) {
        recordJob(metrics, name, { error }, seconds());
        throw jobFailure(error);
      }
    };
    return new Worker(name, processor, {
      connection: own,
      prefix: jobs.prefix,
      concurrency: options.concurrency ?? 1,
      // A worker killed mid-job stops renewing its lock: another takes the job after about lockSeconds.
      lockDuration: (options.lockSeconds ?? 30) * 1000,
      stalledInterval: (options.lockSeconds ?? 30) * 1000,
    });
  });
  const outage = outageLog(runtime.log);
  for (const own of connections) {
    own.on('error', outage.down);
    own.on('ready', outage.up);
  }
  for (const worker of workers) {
    // BullMQ's advice: a Worker without an error listener can take the process down. While Redis is
    // unreachable every reconnect attempt errs: that outage is logged once, above.
    worker.on('error', (error) => {
      if (!outage.isDown()) runtime.log.warn({ queue: worker.name, err: error.message }, 'worker error');
    });
    worker.on('failed', (job, error) => runtime.log.warn({ queue: worker.name, job: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'));
  }
  return {
    jobs,
    metrics,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await jobs.close();
      for (const own of connections) own.disconnect();
    },
  };
}

/**
 * Redis going away (restart, failover) is logged once, not at every reconnect
 * attempt: ioredis reconnects by itself and BullMQ takes jobs again; a job whose
 * lock ran out meanwhile is taken over as stalled.
 */
function outageLog(log: Logger): { down(error: Error): void; up(): void; isDown(): boolean } {
  let down = false;
  return {
    isDown: () => down,
    down(error) {
      if (down) return;
      down = true;
      log.warn({ err: error.message }, 'Redis unreachable; reconnecting');
    },
    up() {
      if (!down) return;
      down = false;
      log.info('Redis reachable again');
    },
  };
}

/**
 * The one place retries are decided: a permanent error (errors.ts) fails the
 * job at once as BullMQ's UnrecoverableError, keeping its message; any other
 * error goes back to BullMQ to retry with backoff (JOB_OPTIONS).
 */
export function jobFailure(error: unknown): unknown {
  if (!isPermanent(error)) return error;
  const message = (error as Error).message;
  return new UnrecoverableError(message);
}
