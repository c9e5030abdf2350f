/**
 * compose job: the week's Stories become the Edition draft editors review
 * (src/digest/compose-week.ts).
 */
import { composeWeek } from '../src/digest/compose-week.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import type { ComposeResult } from '../src/queue/results.js';

export function composeJob(payload: JobPayloads['compose'], deps: JobDeps): Promise<ComposeResult> {
  return composeWeek(payload, deps);
}
