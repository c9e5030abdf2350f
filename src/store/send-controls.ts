/**
 * An editor's hand on a send under way (the review page and `newsdesk edition
 * pause | resume`): pause, resume and cancel, each under the Edition's row lock
 * and recorded in its history. The send jobs honour them through the store:
 * a job reads the Edition first, and each message is claimed (markSending) only
 * while the Edition is `sending` and not paused, so after a pause or a cancel no
 * further message starts, only the ones already in the SMTP transaction finish.
 *
 *   sending --pause--> sending, paused --resume--> sending   (its unfinished batches queued again)
 *   sending (paused or not) --cancel--> sent: the Deliveries not yet made end `cancelled`
 *
 * A cancelled send ends `sent`, as DESIGN's states have it: some Subscribers may
 * have it already, its public page stays for them, and the week is not composed
 * and sent again.
 */
import type { EditionStatus } from '../digest/edition-status.js';
import { NewsdeskError, NotFoundError } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { closeEdition, unfinishedBatches } from './deliveries.js';
import { recordEvent } from './editions.js';

type Locked = { status: EditionStatus; pausedAt: Date | null };

/** The Edition's row, locked for the transaction; a usage error unless it is being sent. */
async function lockSending(tx: Queryable, editionId: string, what: string): Promise<Locked> {
  const [row] = await tx.query<Locked>('select status, paused_at as "pausedAt" from editions where id = $1 for update', [editionId]);
  if (!row) throw new NotFoundError('Edition', editionId);
  if (row.status !== 'sending') throw new NewsdeskError('usage', `edition ${editionId}: only an Edition being sent can be ${what} (it is ${row.status})`);
  return row;
}

/** Pauses a sending Edition: its send jobs stop after the message each is sending; a resume waiting for the due check is called off. */
export async function pauseDeliveries(db: Db, editionId: string, editor: string | null): Promise<{ alreadyPaused: boolean }> {
  return db.transaction(async (tx) => {
    const row = await lockSending(tx, editionId, 'paused');
    if (row.pausedAt) return { alreadyPaused: true };
    await tx.query('update editions set paused_at = now(), send_at = null, updated_at = now() where id = $1', [editionId]);
    await recordEvent(tx, editionId, editor, 'paused');
    return { alreadyPaused: false };
  });
}

/** Resumes so far: each round's send jobs get ids of their own, apart from the finished jobs'. */
async function resumedRounds(tx: Queryable, editionId: string): Promise<number> {
  const [{ rounds } = { rounds: 0 }] = await tx.query<{ rounds: number }>(
    `select count(*)::int as rounds from edition_events where edition_id = $1 and action = 'resumed'`,
    [editionId],
  );
  return rounds;
}

/**
 * Lets a sending Edition go on (after a pause, a crash or failed jobs): clears
 * the pause and returns the batches that still have Deliveries to make, with the
 * round for their job ids. `byDueCheck`: whoever resumes cannot queue jobs (the
 * web process): the send time is set to now, and the workers' due check (or the
 * next `newsdesk run`) queues the batches through takeDueResume.
 */
export async function resumeDeliveries(
  db: Db,
  editionId: string,
  editor: string | null,
  options: { byDueCheck?: boolean } = {},
): Promise<{ wasPaused: boolean; round: number; batches: number[] }> {
  return db.transaction(async (tx) => {
    const row = await lockSending(tx, editionId, 'resumed');
    const round = (await resumedRounds(tx, editionId)) + 1;
    await tx.query(`update editions set paused_at = null, send_at = case when $2 then now() end, updated_at = now() where id = $1`, [editionId, options.byDueCheck === true]);
    const batches = await unfinishedBatches(tx, editionId);
    await recordEvent(tx, editionId, editor, 'resumed', { paused: row.pausedAt !== null, batches: batches.length });
    return { wasPaused: row.pausedAt !== null, round, batches };
  });
}

/** Sending Editions resumed for the due check (not paused again since), oldest first. */
export async function dueResumes(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select id from editions where status = 'sending' and paused_at is null and send_at <= $1 order by send_at, id`,
    [now],
  );
  return rows.map((row) => row.id);
}

/**
 * What the due check queues for a resumed Edition: the batches with Deliveries
 * left, under the resume's round (the same job ids however often it is asked,
 * so a second due check queues nothing new); null when it is no longer due.
 */
export async function dueResume(db: Queryable, editionId: string, now: Date): Promise<{ round: number; batches: number[] } | null> {
  const [row] = await db.query<{ due: boolean }>(`select status = 'sending' and paused_at is null and send_at <= $2 as due from editions where id = $1`, [editionId, now]);
  if (!row?.due) return null;
  return { round: await resumedRounds(db, editionId), batches: await unfinishedBatches(db, editionId) };
}

/** After its batches are queued: the resume is done (a pause or a newer resume since keeps its own send time). */
export async function resumeQueued(db: Queryable, editionId: string, now: Date): Promise<void> {
  await db.query('update editions set send_at = null where id = $1 and send_at <= $2', [editionId, now]);
}

/**
 * Cancels the rest of a send: every Delivery not yet made (pending, or claimed
 * by a job that may be in the SMTP transaction) becomes `cancelled`, and the
 * Edition is sent. A message already with the SMTP server when this commits is
 * marked sent by its job afterwards, so the report stays true.
 */
export async function cancelDeliveries(db: Db, editionId: string, editor: string | null): Promise<{ cancelled: number }> {
  return db.transaction(async (tx) => {
    await lockSending(tx, editionId, 'cancelled');
    const rows = await tx.query(
      `update deliveries set status = 'cancelled', last_error = null where edition_id = $1 and status in ('pending', 'sending') returning 1`,
      [editionId],
    );
    await recordEvent(tx, editionId, editor, 'cancelled', { deliveries: rows.length });
    await closeEdition(tx, editionId);
    return { cancelled: rows.length };
  });
}
