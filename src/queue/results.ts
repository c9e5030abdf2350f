/**
 * What each queue's job returns, by queue (JobResults, beside JobPayloads in
 * jobs.ts): the embedded run's summary, the metrics and the tests read them
 * typed, the same for every way the jobs run.
 */
import type { EditionStatus } from '../digest/edition-status.js';
import type { RateStats } from '../mail/rate.js';
import type { SaveOutcome } from '../store/editions.js';
import type { UpsertOutcome } from '../store/items.js';
import type { StageTimes } from './stages.js';
import type { RunProblem } from '../errors.js';

/** One job's result by queue: a send job is a batch of Deliveries, or the due check. */
export interface JobResults {
  ingest: IngestResult;
  process: ProcessResult;
  publish: PublishResult;
  compose: ComposeResult;
  send: SendResult | DueResult;
}

export interface IngestResult {
  sourceId: string;
  /** Pages, entries or posts read. */
  documents: number;
  items: Record<UpsertOutcome, number>;
  appearances: { new: number; total: number };
  /** Feed Sources: the classified fetch outcome (ok, not-modified, timeout, ...). */
  fetchStatus: string | null;
  problems: RunProblem[];
  /** A scheduled read skipped: the Source is not due before this time. */
  notDueUntil?: string;
  /** Milliseconds in fetch (host gap waits included), parse (and normalize), store and queue. */
  stageMs: StageTimes;
}

export interface ProcessResult {
  items: number;
  assigned: number;
  storiesCreated: number;
  /** Items that joined a Story already holding another Item. */
  joined: number;
  merges: number;
  reviews: number;
  /** Stories whose Topics were set. */
  tagged: number;
  /** Milliseconds in dedupe (prints, lookup, Stories, text counts), tag and queue (the publish). */
  stageMs: StageTimes;
}

export interface PublishResult {
  /** The change count the Feeds were rendered at (src/store/publish-marks.ts). */
  published: number;
  /** The change this publish was queued for had been published by another: nothing was rendered or written. */
  coalesced: boolean;
  entries: number;
  /** Topics with a Feed of their own. */
  topicFeeds: number;
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Sent Editions: their pages and the Editions Feed, written or unchanged; those render refused, with why. */
  editions: { sent: number; written: string[]; unchanged: string[]; refused: string[] };
  /** Story pages (counted: there can be thousands), `moved` of them for merged-away Stories. */
  storyPages: StoryPagesResult;
  /** Milliseconds rendering and writing (publish); none when coalesced. */
  stageMs: StageTimes;
}

export interface StoryPagesResult {
  written: number;
  unchanged: number;
  moved: number;
}

export interface ComposeResult {
  editionId: string;
  week: string;
  /** What was composed now. */
  status: 'draft' | 'skipped';
  outcome: SaveOutcome;
  /** The stored Edition's status: the composed one, or an Edition kept as editors left it (edited, approved, sent). */
  editionStatus: EditionStatus;
  stories: number;
  candidates: number;
  reason?: string;
}

export interface SendResult {
  editionId: string;
  batch: number;
  /** Why the job stopped before its batch was done: an editor paused the Edition, or it is not being sent. */
  stopped: 'paused' | 'not-sending' | null;
  sent: number;
  bounced: number;
  failed: number;
  skipped: number;
  /** Deferred by the server (or cut off) more often than this job waits for: still pending, for a later job. */
  deferred: number;
  /** This batch finished the Edition: it is now sent. */
  finished: boolean;
  /** Renders this process has made so far (one per preference set per Edition). */
  renders: number;
  rate: RateStats | null;
}

/** The due check of the send queue: the scheduled sends it started, resumed, or could not start. */
export interface DueResult {
  /** Editions whose send time had come and that started sending now. */
  started: string[];
  /** Sending Editions resumed from the review page whose batches were queued now. */
  resumed: string[];
  problems: { editionId: string; message: string }[];
}
