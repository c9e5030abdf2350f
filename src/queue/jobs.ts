/**
 * Job payloads (ids only: handlers re-read state from the store) and the
 * deterministic job ids of DESIGN.md's queue table.
 */
import type { Config } from '../config.js';
import type { HostPoliteness } from '../ingest/fetch/politeness.js';
import type { Logger } from '../log.js';
import type { MailerSource } from '../mail/mailer.js';
import type { Db } from '../store/db.js';
import type { Taxonomy } from '../tag/taxonomy.js';

export interface JobPayloads {
  /** `whenDue`: a scheduled read, skipped while the Source asked to wait or backs off (`run` checks that itself). */
  ingest: { sourceId: string; whenDue?: boolean };
  process: { itemIds: string[] };
  /** `change`: the change to what the Feeds show this publish follows (src/store/publish-marks.ts); absent, publish regardless (`newsdesk publish`). */
  publish: { change?: number };
  /** `week`: an ISO week (2026-W47); absent, the week whose compose moment has just passed (the weekly scheduler). */
  compose: { week?: string };
  /** One batch of an Edition's Deliveries (src/store/deliveries.ts): the handler reads who they are from the store. */
  /** One batch of an Edition's Deliveries; or `due`: start sending the approved Editions whose send time has come (a scheduler's tick). */
  send: SendBatchPayload | { due: true };
}

export type QueueName = keyof JobPayloads;

/** Every queue, in pipeline order. */
export const QUEUE_NAMES: QueueName[] = ['ingest', 'process', 'publish', 'compose', 'send'];

export interface SendBatchPayload {
  editionId: string;
  batch: number;
}

export interface AddOptions {
  /** A deterministic id: a job whose id is already queued (deployed: or finished within the day) is not queued again. */
  jobId?: string;
  /**
   * Jobs that come in bursts and may stand for each other (a publish after each
   * process job): deployed, each waits this long before it runs, so the first
   * to run finds the others' changes stored and they find nothing left to do;
   * embedded, where jobs run one after another, one not started yet takes the
   * newer payload instead of a second job being queued.
   */
  debounceMs?: number;
}

/** Where handlers put follow-up jobs: in-process (embedded) or a BullMQ queue (deployed). */
export interface JobSink {
  add<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options?: AddOptions): Promise<void>;
}

/** What every handler is given; built once by whoever runs the handlers. */
export interface JobDeps {
  db: Db;
  config: Config;
  /** The Topic taxonomy from config (empty when none is configured). */
  taxonomy: Taxonomy;
  log: Logger;
  jobs: JobSink;
  /** Shared by every fetch of this process: one request at a time per host. */
  politeness: HostPoliteness;
  /** The SMTP sender and the renders per preference set, shared by the send jobs of this process. */
  mailer: MailerSource;
  /** The clock, so tests can pin time. */
  now: () => Date;
}

export const jobIds = {
  /** One ingest per Source per schedule slot, however many schedulers fire. */
  ingest: (sourceId: string, slot: number) => `ingest:${sourceId}:${slot}`,
  /**
   * One publish per change to what the Feeds show, never an id used before (a
   * publish that has started, finished or failed keeps its id): the last change
   * is always followed by a publish. They coalesce in the publish service (src/publish/publish-feeds.ts).
   */
  publish: (series: string, change: number) => `publish:${series}:${change}`,
  /** One compose per week asked for by hand (the scheduler's own jobs are BullMQ's). */
  compose: (week: string) => `compose:${week}`,
  /**
   * One job per batch of Deliveries. Round 0 is the batch as sending started;
   * a resume queues the batches left as round 1, 2 ...: a finished (or failed)
   * job keeps its id for a day, and the same id would not be queued again.
   */
  send: (editionId: string, batch: number, round = 0) => (round === 0 ? `send:${editionId}:${batch}` : `send:${editionId}:${batch}:r${round}`),
};
