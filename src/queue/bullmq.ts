/**
 * Adapter: the deployed way to run. Jobs go to BullMQ queues on Redis (one per
 * queue name of DESIGN.md), and any number of worker processes run them
 * through the same handlers as the embedded run.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { AddOptions, JobPayloads, JobSink, QueueName } from './jobs.js';

/**
 * Retries with exponential backoff (2 s, 4 s, 8 s, ...), completed jobs kept a
 * day (at most 1,000) so job ids still dedupe meanwhile, failed ones kept to be
 * listed and retried. A handler throws a permanent NewsdeskError for what no retry fixes;
 * the worker (workers/main.ts) hands that to BullMQ as an UnrecoverableError.
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: false,
};

/**
 * A send batch rides out an SMTP outage of about 40 minutes (retries after 5 s,
 * 10 s, ... 21 min) before it is left failed for `edition resume`: a failed
 * batch is mail not sent, a failed ingest is only a read that comes again.
 * A publish rides out a database outage of about 17 minutes (2 s ... 8.5 min):
 * the last change before the outage has no other publish to show it.
 */
const QUEUE_JOB_OPTIONS: Partial<Record<QueueName, JobsOptions>> = {
  send: { attempts: 10, backoff: { type: 'exponential', delay: 5_000 } },
  publish: { attempts: 10 },
};

/** BullMQ keeps `:` for its Redis keys: DESIGN's job ids (`ingest:<source>:<slot>`) are written with `-`, one to one. */
export function bullJobId(jobId: string): string {
  return jobId.replaceAll(':', '-');
}

/** A Redis connection as BullMQ workers need it (blocking commands: no per-request retry limit). */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export class BullJobs implements JobSink {
  private readonly queues = new Map<QueueName, Queue>();

  /** @param prefix the Redis key prefix of every queue (tests use their own). */
  constructor(
    private readonly connection: Redis,
    readonly prefix = 'newsdesk',
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: { ...JOB_OPTIONS, ...QUEUE_JOB_OPTIONS[name] } });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options: AddOptions = {}): Promise<void> {
    await this.queue(queue).add(queue, payload, {
      ...(options.jobId ? { jobId: bullJobId(options.jobId) } : {}),
      ...(options.debounceMs ? { delay: options.debounceMs } : {}),
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
