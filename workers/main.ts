/**
 * The deployed worker: dependencies built once, then one BullMQ Worker per
 * queue running the same handlers as the embedded run. `close()` stops taking
 * jobs, lets running ones finish, and closes the connections (SIGTERM/SIGINT
 * call it in `newsdesk worker`).
 */
import { Worker } from 'bullmq';
import { BullJobs, QUEUE_NAMES, redisConnection } from '../src/queue/bullmq.js';
import type { QueueName } from '../src/queue/jobs.js';
import { jobDeps, type Runtime } from '../src/runtime.js';
import { handlers } from './handlers.js';

export interface RunningWorkers {
  jobs: BullJobs;
  close(): Promise<void>;
}

export function startWorkers(
  runtime: Runtime,
  options: { redisUrl: string; queues?: QueueName[]; concurrency?: number; prefix?: string; lockSeconds?: number },
): RunningWorkers {
  const connection = redisConnection(options.redisUrl);
  const jobs = new BullJobs(connection, options.prefix);
  const run = handlers(jobDeps(runtime, jobs));
  // Workers block on Redis: each has a connection of its own (closed with it, below).
  const connections = [connection];
  const workers = (options.queues ?? QUEUE_NAMES).map((name) => {
    const own = redisConnection(options.redisUrl);
    connections.push(own);
    return new Worker(name, async (job) => (run[name] as (payload: unknown) => Promise<unknown>)(job.data), {
      connection: own,
      prefix: jobs.prefix,
      concurrency: options.concurrency ?? 1,
      // A worker killed mid-job stops renewing its lock: another takes the job after about lockSeconds.
      lockDuration: (options.lockSeconds ?? 30) * 1000,
      stalledInterval: (options.lockSeconds ?? 30) * 1000,
    });
  });
  for (const worker of workers) {
    worker.on('failed', (job, error) => runtime.log.warn({ queue: worker.name, job: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'));
  }
  return {
    jobs,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await jobs.close();
      for (const own of connections) own.disconnect();
    },
  };
}
