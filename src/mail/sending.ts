/**
 * Sending an Edition, started, paused, resumed and cancelled by an editor: the
 * store changes (src/store/deliveries.ts, send-controls.ts) and the send jobs
 * they call for, one per batch of Deliveries (each sent by src/mail/send-batch.ts).
 * The review page queues no jobs: it sets a send time (a send, or a resume),
 * and the due check here starts what has come due.
 */
import type { Config } from '../config.js';
import type { DueResult } from '../queue/results.js';
import { renderContext, renderEdition } from '../digest/render.js';
import { NewsdeskError } from '../errors.js';
import { queuePublish } from '../publish/changes.js';
import { jobIds, type JobSink } from '../queue/jobs.js';
import type { Db } from '../store/db.js';
import { finishEdition, sendingState, startDeliveries, unfinishedBatches } from '../store/deliveries.js';
import { dueEditions, getEdition, unscheduleSend } from '../store/editions.js';
import { cancelDeliveries, dueResume, dueResumes, pauseDeliveries, resumeDeliveries, resumeQueued } from '../store/send-controls.js';

export interface SendStart {
  /**
   * `started`: the approved Edition is now sending; `resumed`: it was sending already (after a crash, failed
   * jobs or a pause); `not-due`: the due check found its send cancelled or moved meanwhile, nothing started.
   */
  outcome: 'started' | 'resumed' | 'not-due';
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
 * `dueBy` (the due check): only if its send time is still set and has come.
 */
export async function startSending(db: Db, config: Config, jobs: JobSink, editionId: string, editor: string | null, options: { dueBy?: Date } = {}): Promise<SendStart> {
  if (!config.mail.smtpUrl) throw new NewsdeskError('usage', 'send: no SMTP server to send through (set mail.smtpUrl or NEWSDESK_SMTP_URL, e.g. smtp://user:pass@host:587)');
  const edition = await getEdition(db, editionId);
  if (!edition) throw new NewsdeskError('not_found', `edition ${editionId}: no such Edition (see newsdesk edition list)`);
  if (edition.status === 'sending' && !options.dueBy) return resumeSending(db, jobs, editionId, editor, { paused: 'refuse' });

  await renderEdition(edition, renderContext(config));
  const started = await startDeliveries(db, editionId, editor, { batchSize: config.mail.batchSize, host: new URL(config.site.url).hostname, dueBy: options.dueBy });
  if (!started) return { outcome: 'not-due', deliveries: 0, batches: 0, finished: false };
  // The public page first: every email links to it ("read it in your browser").
  await queuePublish(db, jobs);
  for (const batch of started.batches) await jobs.add('send', { editionId, batch }, { jobId: jobIds.send(editionId, batch) });
  // No one to send to: the Edition is sent at once.
  const finished = started.batches.length === 0 && (await finishEdition(db, editionId));
  return { outcome: 'started', deliveries: started.deliveries, batches: started.batches.length, finished };
}

/** `edition pause`, or Pause on the review page: the send jobs stop after their current message; resume goes on. */
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
  return queueResumed(db, jobs, editionId, resumed);
}

async function queueResumed(db: Db, jobs: JobSink, editionId: string, resumed: { round: number; batches: number[] }): Promise<SendStart> {
  for (const batch of resumed.batches) await jobs.add('send', { editionId, batch }, { jobId: jobIds.send(editionId, batch, resumed.round) });
  const finished = resumed.batches.length === 0 && (await finishEdition(db, editionId));
  return { outcome: 'resumed', deliveries: 0, batches: resumed.batches.length, finished };
}

/** Resume on the review page: the pause is lifted now, the batches are queued by the next due check. */
export async function resumeSendingLater(db: Db, editionId: string, editor: string | null): Promise<{ unfinishedBatches: number }> {
  const resumed = await resumeDeliveries(db, editionId, editor, { byDueCheck: true });
  return { unfinishedBatches: resumed.batches.length };
}

/**
 * Cancel on the review page: a scheduled send loses its time (the Edition
 * stays approved); a send under way stops for good, the Deliveries not yet
 * made cancelled (src/store/send-controls.ts says why it then counts as sent).
 */
export async function cancelSending(db: Db, editionId: string, editor: string | null): Promise<{ was: 'scheduled'; sendAt: Date } | { was: 'sending'; cancelled: number }> {
  const state = await sendingState(db, editionId);
  if (state?.status === 'sending') return { was: 'sending', ...(await cancelDeliveries(db, editionId, editor)) };
  return { was: 'scheduled', ...(await unscheduleSend(db, editionId, editor)) };
}

/**
 * Starts sending every approved Edition whose send time has come, and queues
 * the batches of every sending Edition resumed from the review page (the send
 * queue's due check, once a minute when deployed; `newsdesk run` when embedded).
 * One that cannot start (no SMTP server, a render refused) is reported and
 * stays approved; the others still start.
 */
export async function startDueSends(db: Db, config: Config, jobs: JobSink, now: Date): Promise<DueResult> {
  const due: DueResult = { started: [], resumed: [], problems: [] };
  const problem = (editionId: string, error: unknown) => due.problems.push({ editionId, message: error instanceof Error ? error.message : String(error) });
  for (const editionId of await dueEditions(db, now)) {
    try {
      if ((await startSending(db, config, jobs, editionId, null, { dueBy: now })).outcome === 'started') due.started.push(editionId);
    } catch (error) {
      problem(editionId, error);
    }
  }
  for (const editionId of await dueResumes(db, now)) {
    try {
      const resumed = await dueResume(db, editionId, now);
      if (!resumed) continue;
      // Queued first, then marked done: a due check that fails between the two queues the same job ids again.
      await queueResumed(db, jobs, editionId, resumed);
      await resumeQueued(db, editionId, now);
      due.resumed.push(editionId);
    } catch (error) {
      problem(editionId, error);
    }
  }
  return due;
}
