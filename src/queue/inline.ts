/**
 * The embedded way to run: jobs run in-process, one after another, through the
 * same handlers BullMQ runs when deployed. Like BullMQ, a job id already queued
 * is not queued twice, and a failing job is recorded without stopping the rest.
 * A debounced job (a publish after each process job) is queued once while one
 * of its queue waits: that one runs after the changes of both, with the newer payload.
 */
import { errorMessage, isPermanent } from '../errors.js';
import type { AddOptions, JobPayloads, JobSink, QueueName } from './jobs.js';
import type { JobResults } from './results.js';

export type Handlers = { [Q in QueueName]: (payload: JobPayloads[Q]) => Promise<JobResults[Q]> };

/**
 * One job run: its queue and payload, and its result or its error, typed by
 * queue: after `record.error === undefined` and `record.queue === 'ingest'`,
 * `record.result` is an IngestResult.
 */
export type JobRecord = {
  [Q in QueueName]: { queue: Q; payload: JobPayloads[Q]; ms: number } & (
    | { result: JobResults[Q]; error?: undefined; permanent?: undefined }
    /** `permanent`: the error said no retry can help (a permanent NewsdeskError): a missing setting, a refused login. */
    | { error: string; result?: undefined; permanent?: true }
  );
}[QueueName];

interface PendingJob {
  queue: QueueName;
  payload: unknown;
  jobId?: string;
  debounced?: true;
}

export class InlineJobs implements JobSink {
  private readonly pending: PendingJob[] = [];
  private readonly queuedIds = new Set<string>();

  /** @param queues the queues this run executes; jobs for other queues are dropped (e.g. `ingest` without publishing). */
  constructor(private readonly queues: ReadonlySet<QueueName>) {}

  async add<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options: AddOptions = {}): Promise<void> {
    if (!this.queues.has(queue)) return;
    if (options.debounceMs !== undefined) {
      const waiting = this.pending.find((job) => job.queue === queue && job.debounced);
      if (waiting) {
        waiting.payload = payload;
        return;
      }
    }
    if (options.jobId) {
      if (this.queuedIds.has(options.jobId)) return;
      this.queuedIds.add(options.jobId);
    }
    this.pending.push({ queue, payload, ...(options.jobId ? { jobId: options.jobId } : {}), ...(options.debounceMs !== undefined ? { debounced: true as const } : {}) });
  }

  /** Runs queued jobs, and the jobs they queue, until none is left. */
  async drain(handlers: Handlers, onJob?: (record: JobRecord) => void): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    for (let job = this.pending.shift(); job; job = this.pending.shift()) {
      const started = performance.now();
      let outcome: { result: unknown } | { error: string; permanent?: true };
      try {
        const handler = handlers[job.queue] as (payload: unknown) => Promise<unknown>;
        outcome = { result: await handler(job.payload) };
      } catch (error) {
        outcome = { error: errorMessage(error), ...(isPermanent(error) ? { permanent: true as const } : {}) };
      }
      // add() paired the queue with its payload, and the queue's handler gave the result.
      const record = { queue: job.queue, payload: job.payload, ms: Math.round(performance.now() - started), ...outcome } as JobRecord;
      if (job.jobId) this.queuedIds.delete(job.jobId);
      records.push(record);
      onJob?.(record);
    }
    return records;
  }
}
