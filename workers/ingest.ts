/**
 * ingest job: one Source read, its Items and Appearances stored, the fetch
 * recorded, the changed Items queued for processing (src/ingest/ingest-source.ts).
 */
import { ingestSource } from '../src/ingest/ingest-source.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import type { IngestResult } from '../src/queue/results.js';

export function ingestJob(payload: JobPayloads['ingest'], deps: JobDeps): Promise<IngestResult> {
  return ingestSource(payload, deps);
}
