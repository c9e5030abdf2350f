/**
 * Sending an Edition, started, paused and resumed by an editor: the store
 * changes (src/store/deliveries.ts) and the send jobs they call for, one per
 * batch of Deliveries. The jobs themselves are workers/send.ts.
 */
import type { Config } from '../config.js';
import { renderContext, renderEdition } from '../digest/render.js';
import { NewsdeskError } from '../errors.js';
import { queuePublish } from '../publish/changes.js';
import { jobIds, type JobSink } from '../queue/jobs.js';
import type { Db } from '../store/db.js';
import { finishEdition, pauseDeliveries, resumeDeliveries, sendingState, startDeliveries, unfinishedBatches } from '../store/deliveries.js';
import { dueEditions, getEdition } from '../store/editions.js';

export interface SendStart {
  /** `started`: the approved Edition is now sending; `resumed`: it was sending already (after a crash, failed jobs or a pause). */
  outcome: 'started' | 'resumed';
  /** Deliveries made now (0 when resumed). */
  deliveries: number;
  /** Send jobs queued. */
  batches: number;
  /** No Delivery was left to make: the Edition is sent. */
  finished: boolean;
}

/**
 * `edition send`: an approved Edition gets its Deliveries and one send job per
 * batch; an Edition already sending gets its unfinished batches queued again
 * (that is how a send cut short goes on). The email is rendered once first:
 * an Edition that cannot be rendered (no postal address, too big) stays approved.
 */
export async function startSending(db: Db, config: Config, jobs: JobSink, editionId: string, editor: string | null): Promise<SendStart> {
  if (!config.mail.smtpUrl) throw new NewsdeskError('usage', 'send: no SMTP server to send through (set mail.smtpUrl or NEWSDESK_SMTP_URL, e.g. smtp://user:pass@host:587)');
  const edition = await getEdition(db, editionId);
  if (!edition) throw new NewsdeskError('not_found', `edition ${editionId}: no such Edition (see newsdesk edition list)`);
  if (edition.status === 'sending') return resumeSending(db, jobs, editionId, editor, { paused: 'refuse' });

  await renderEdition(edition, renderContext(config));
  const started = await startDeliveries(db, editionId, editor, { batchSize: config.mail.batchSize, host: new URL(config.site.url).hostname });
  // The public page first: every email links to it ("read it in your browser").
  await queuePublish(db, jobs);
  for (const batch of started.batches) await jobs.add('send', { editionId, batch }, { jobId: jobIds.send(editionId, batch) });
  // No one to send to: the Edition is sent at once.
  const finished = started.batches.length === 0 && (await finishEdition(db, editionId));
  return { outcome: 'started', deliveries: started.deliveries, batches: started.batches.length, finished };
}

/** `edition pause`: the send jobs stop after their current message; `edition resume` goes on. */
export async function pauseSending(db: Db, editionId: string, editor: string | null): Promise<{ alreadyPaused: boolean; unfinishedBatches: number }> {
  const paused = await pauseDeliveries(db, editionId, editor);
  return { ...paused, unfinishedBatches: (await unfinishedBatches(db, editionId)).length };
}

/**
 * `edition resume`: clears the pause and queues the batches with Deliveries
 * left, under new job ids (the round). `paused: 'refuse'` is `edition send` on
 * a paused Edition: resuming is a decision of its own.
 */
export async function resumeSending(
  db: Db,
  jobs: JobSink,
  editionId: string,
  editor: string | null,
  options: { paused?: 'resume' | 'refuse' } = {},
): Promise<SendStart> {
  if (options.paused === 'refuse') {
    if ((await sendingState(db, editionId))?.pausedAt) throw new NewsdeskError('usage', `edition ${editionId}: sending is paused; newsdesk edition resume ${editionId} goes on`);
  }
  const resumed = await resumeDeliveries(db, editionId, editor);
  for (const batch of resumed.batches) await jobs.add('send', { editionId, batch }, { jobId: jobIds.send(editionId, batch, resumed.round) });
  const finished = resumed.batches.length === 0 && (await finishEdition(db, editionId));
  return { outcome: 'resumed', deliveries: 0, batches: resumed.batches.length, finished };
}

/**
 * Starts sending every approved Edition whose send time has come (the send
 * queue's due check, once a minute when deployed; `newsdesk run` when embedded).
 * One that cannot start (no SMTP server, a render refused) is reported and
 * stays approved; the others still start.
 */
export interface DueSends {
  /** Editions whose send time had come and that started sending now. */
  started: string[];
  problems: { editionId: string; message: string }[];
}

export async function startDueSends(db: Db, config: Config, jobs: JobSink, now: Date): Promise<DueSends> {
  const started: string[] = [];
  const problems: { editionId: string; message: string }[] = [];
  for (const editionId of await dueEditions(db, now)) {
    try {
      await startSending(db, config, jobs, editionId, null);
      started.push(editionId);
    } catch (error) {
      problems.push({ editionId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { started, problems };
}
