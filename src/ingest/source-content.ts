/** What reading one Source gives the ingest job, whatever the Source's kind. */
import type { FetchRecord } from './source.js';
import type { Appearance, Item } from './item.js';
import type { RunProblem } from '../errors.js';

export interface SourceContent {
  items: Item[];
  appearances: Appearance[];
  /** Pages (archive), entries (feed) or posts (export) read. */
  documents: number;
  /** Inputs that could not be used; the rest of the Source still counts. */
  problems: RunProblem[];
  /** Feed Sources: milliseconds spent parsing and normalizing what was fetched (the rest of the read is fetching). */
  parseMs?: number;
  /** Feed Sources: the fetch to record in the Source's health. */
  fetch?: FetchRecord & { ttlMinutes: number | null; waitSeconds: number | null };
}
