/**
 * send job, of two kinds: one batch of an Edition's Deliveries goes out
 * (src/mail/send-batch.ts), or the due check starts the approved Editions whose
 * send time has come and queues the resumes that are due (src/mail/sending.ts).
 */
import { sendBatch } from '../src/mail/send-batch.js';
import { startDueSends } from '../src/mail/sending.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import type { DueResult, SendResult } from '../src/queue/results.js';

export function sendJob(payload: JobPayloads['send'], deps: JobDeps): Promise<SendResult | DueResult> {
  return 'due' in payload ? startDue(deps) : sendBatch(payload, deps);
}

/** An Edition that cannot start is logged and stays approved; the others start. */
async function startDue(deps: JobDeps): Promise<DueResult> {
  const due = await startDueSends(deps.db, deps.config, deps.jobs, deps.now());
  for (const problem of due.problems) deps.log.error({ job: 'send', editionId: problem.editionId, err: problem.message }, 'scheduled send could not start');
  if (due.started.length > 0) deps.log.info({ job: 'send', started: due.started }, 'scheduled sends started');
  if (due.resumed.length > 0) deps.log.info({ job: 'send', resumed: due.resumed }, 'resumed sends queued');
  return due;
}
