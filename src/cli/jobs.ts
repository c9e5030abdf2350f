/**
 * `newsdesk jobs failed | retry`: the jobs that failed on the BullMQ queues
 * (kept, not removed), and sending one back to its queue once the cause is fixed.
 */
import type { Job } from 'bullmq';
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import { BullJobs, redisConnection } from '../queue/bullmq.js';
import { QUEUE_NAMES, type QueueName } from '../queue/jobs.js';
import { hint } from './hint.js';
import { formatTable } from './table.js';

export interface FailedJob {
  queue: QueueName;
  id: string;
  attempts: number;
  failedAt: string | null;
  reason: string;
  payload: unknown;
}

async function withQueues<T>(config: Config, prefix: string | undefined, fn: (jobs: BullJobs) => Promise<T>): Promise<T> {
  if (!config.redis.url) throw new NewsdeskError('usage', 'jobs: no Redis to read the queues from (set redis.url or REDIS_URL)');
  const connection = redisConnection(config.redis.url);
  const jobs = new BullJobs(connection, prefix ?? config.redis.prefix);
  try {
    return await fn(jobs);
  } finally {
    await jobs.close();
    connection.disconnect();
  }
}

function describe(queue: QueueName, job: Job): FailedJob {
  return {
    queue,
    id: job.id ?? '',
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    reason: (job.failedReason ?? '').split('\n')[0]!,
    payload: job.data,
  };
}

/** Failed jobs, newest first per queue. */
export function listFailedJobs(config: Config, options: { queue?: QueueName; limit: number; prefix?: string }): Promise<FailedJob[]> {
  return withQueues(config, options.prefix, async (jobs) => {
    const found: FailedJob[] = [];
    for (const queue of options.queue ? [options.queue] : QUEUE_NAMES) {
      for (const job of await jobs.queue(queue).getFailed(0, options.limit - 1)) found.push(describe(queue, job));
    }
    return found;
  });
}

/** `configFile` is named again in the command it suggests. */
export function formatFailedJobs(failed: FailedJob[], configFile?: string): string {
  if (failed.length === 0) return 'no failed jobs';
  const rows = failed.map((f) => [f.queue, f.id, String(f.attempts), f.failedAt ?? '-', f.reason.slice(0, 90)]);
  return `${formatTable(['queue', 'job', 'tries', 'failed at', 'why'], rows)}\n${failed.length} failed job(s); ${hint(configFile, 'jobs retry <job>')} sends one back`;
}

/** Sends a failed job back to its queue; an id that is not a failed job is a usage error naming it. */
export function retryJob(config: Config, id: string, options: { prefix?: string } = {}): Promise<string> {
  return withQueues(config, options.prefix, async (jobs) => {
    for (const queue of QUEUE_NAMES) {
      const job = await jobs.queue(queue).getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state !== 'failed') throw new NewsdeskError('usage', `jobs retry: job "${id}" on ${queue} is ${state}, not failed`);
      await job.retry('failed');
      return `job ${id} sent back to ${queue}`;
    }
    throw new NewsdeskError('usage', `jobs retry: no job "${id}" on ${QUEUE_NAMES.join(', ')} (see newsdesk jobs failed)`);
  });
}
