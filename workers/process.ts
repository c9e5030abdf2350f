/**
 * process job: the Items an ingest stored (or none: catch up and re-tag) into
 * Stories, tagged, and a publish queued (src/dedupe/process-items.ts).
 */
import { processItems } from '../src/dedupe/process-items.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import type { ProcessResult } from '../src/queue/results.js';

export function processJob(payload: JobPayloads['process'], deps: JobDeps): Promise<ProcessResult> {
  return processItems(payload, deps);
}
