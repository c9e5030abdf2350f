/**
 * A Source as the ingest step reads it (what the config says, where it now
 * lives, how its fetches have gone) and what one fetch records; the store maps
 * its rows to these (src/store/sources.ts).
 */
import type { FetchStatus, FetchValidators } from './fetch/fetch-outcome.js';
import type { SourceState } from './fetch/health.js';

/** A Source with its fetch state. */
export interface SourceRow {
  id: string;
  kind: string;
  name: string;
  /** Where the config says to read. */
  location: string;
  /** Where to read now (after permanent redirects or feed discovery); null until first needed. */
  url: string | null;
  enabled: boolean;
  settings: Record<string, unknown>;
  etag: string | null;
  lastModified: string | null;
  state: SourceState;
  lastStatus: FetchStatus | null;
  lastHttpStatus: number | null;
  lastMessage: string | null;
  lastFetchAt: Date | null;
  lastSuccessAt: Date | null;
  nextFetchAt: Date | null;
  errorStreak: number;
  /** Inputs the last read refused (files, entries); null before the first read. */
  lastProblems: number | null;
}

/** One fetch as stored: the history row, and what the Source keeps from it. */
export interface FetchRecord {
  url: string;
  status: FetchStatus;
  httpStatus: number | null;
  message: string | null;
  elapsedMs: number;
  /** Validators to send next time (a successful fetch's); undefined keeps the stored ones. */
  validators?: FetchValidators;
  /** Where the Source lives from now on (permanent redirect, feed discovery); undefined keeps it. */
  newUrl?: string;
}
