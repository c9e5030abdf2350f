/**
 * Deliveries in the store: one Edition to one Subscriber, the unit of sending.
 *
 *   approved Edition --startDeliveries--> sending, one pending Delivery per confirmed,
 *   not suppressed Subscriber, in batches
 *   pending --markSending (committed before the SMTP transaction)--> sending
 *   sending --markDone--> sent | bounced | failed     (or back to pending: retried later)
 *   pending --markDone--> skipped                       (suppressed meanwhile, or no Stories for them)
 *   every Delivery final --finishEdition--> the Edition is sent (once, under its row lock)
 *   pending | sending --an editor cancels--> cancelled   (src/store/send-controls.ts: pause, resume, cancel)
 *
 * A worker killed inside the SMTP transaction leaves its Delivery `sending`: the
 * next runner of the batch (one at a time, src/store/db.ts withLock) sends it
 * again with the same Message-ID. That is the only way a Subscriber gets an
 * Edition twice.
 */
import { type EditionStatus } from '../digest/edition-status.js';
import { NewsdeskError, NotFoundError } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { recordEvent, setEditionStatus } from './editions.js';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'bounced' | 'skipped' | 'cancelled';
export type FinalStatus = 'sent' | 'failed' | 'bounced' | 'skipped';

/** A Delivery still to make, with what sending it needs to know of its Subscriber. */
export interface OpenDelivery {
  subscriberId: string;
  messageId: string;
  status: 'pending' | 'sending';
  attempts: number;
  email: string;
  name: string | null;
  subscriberStatus: string;
  /** Topic slugs wanted; empty: every section. */
  topics: string[];
  /** The address is on the suppression list (it unsubscribed, bounced or complained since sending started). */
  suppressed: boolean;
}

export interface DeliveryReport {
  editionId: string;
  status: EditionStatus;
  pausedAt: Date | null;
  total: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  bounced: number;
  skipped: number;
  /** Not made: an editor cancelled the send first. */
  cancelled: number;
  /** Batches (send jobs) the Deliveries were split into. */
  batches: number;
  firstSentAt: Date | null;
  lastSentAt: Date | null;
}

/**
 * The Message-ID of one Delivery: the same on every attempt, so a message sent
 * twice after a crash is recognisably one message (clients and archives fold them).
 * The SQL in startDeliveries builds the same string.
 */
export function deliveryMessageId(editionId: string, subscriberId: string, host: string): string {
  return `<edition-${editionId}.${subscriberId}@${host}>`;
}

/**
 * The approved Edition becomes `sending` and gets its Deliveries, in one
 * transaction: every confirmed Subscriber whose address is not suppressed, in
 * batches of `batchSize` (by Subscriber id, so the split is stable). Returns
 * the batch numbers to queue. With `dueBy` (the due check), only when its send
 * time is still set and has come under the row lock: null when an editor
 * cancelled or moved the send meanwhile, or it started already.
 */
export async function startDeliveries(
  db: Db,
  editionId: string,
  editor: string | null,
  options: { batchSize: number; host: string; dueBy?: Date },
): Promise<{ deliveries: number; batches: number[] } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: EditionStatus; sendAt: Date | null }>('select status, send_at as "sendAt" from editions where id = $1 for update', [editionId]);
    if (!row) throw new NotFoundError('Edition', editionId);
    if (options.dueBy && (row.status !== 'approved' || row.sendAt === null || row.sendAt > options.dueBy)) return null;
    const [{ count } = { count: 0 }] = await tx.query<{ count: number }>('select count(*)::int as count from edition_stories where edition_id = $1', [editionId]);
    if (count === 0) throw new NewsdeskError('usage', `edition ${editionId}: it has no Stories, there is nothing to send`);
    await setEditionStatus(tx, editionId, row.status, 'sending');
    // One statement: a Subscriber confirming meanwhile is in or out, never half in.
    const [created] = await tx.query<{ deliveries: number; batches: number }>(
      `with made as (
         insert into deliveries (edition_id, subscriber_id, batch, status, message_id)
         select $1, s.id, (row_number() over (order by s.id) - 1) / $2, 'pending', '<edition-' || $1 || '.' || s.id || '@' || $3 || '>'
         from subscribers s
         where ${AUDIENCE}
         on conflict (edition_id, subscriber_id) do nothing
         returning batch)
       select count(*)::int as deliveries, coalesce(max(batch) + 1, 0)::int as batches from made`,
      [editionId, options.batchSize, options.host],
    );
    const deliveries = created?.deliveries ?? 0;
    const batches = Array.from({ length: created?.batches ?? 0 }, (_, batch) => batch);
    await recordEvent(tx, editionId, editor, 'sending', { from: row.status, deliveries, batches: batches.length });
    return { deliveries, batches };
  });
}

/** Who an Edition goes to, over `subscribers s`: confirmed, and not on the suppression list. */
const AUDIENCE = `s.status = 'confirmed' and not exists (select 1 from suppressions x where x.email = s.email)`;

/**
 * Who sending would go to now, by preference set (Topic slugs wanted, sorted;
 * empty: every section), most Subscribers first: the confirmation before a send
 * counts them. Counts only; no address.
 */
export async function audienceByTopics(db: Queryable): Promise<{ topics: string[]; subscribers: number }[]> {
  return db.query(
    `select t.topics, count(*)::int as subscribers
     from subscribers s cross join lateral (select coalesce(array_agg(distinct x order by x), '{}'::text[]) as topics from unnest(s.topics) as x) t
     where ${AUDIENCE}
     group by t.topics order by subscribers desc, t.topics`,
  );
}

/** The Edition's state as sending sees it: its status, whether an editor paused it, and what the due check is to start. */
export async function sendingState(db: Queryable, editionId: string): Promise<{ status: EditionStatus; pausedAt: Date | null; sendAt: Date | null } | undefined> {
  const [row] = await db.query<{ status: EditionStatus; pausedAt: Date | null; sendAt: Date | null }>(
    'select status, paused_at as "pausedAt", send_at as "sendAt" from editions where id = $1',
    [editionId],
  );
  return row;
}

/** Batches with a Delivery still pending or sending. */
export async function unfinishedBatches(db: Queryable, editionId: string): Promise<number[]> {
  const rows = await db.query<{ batch: number }>(
    `select distinct batch from deliveries where edition_id = $1 and status in ('pending', 'sending') order by batch`,
    [editionId],
  );
  return rows.map((row) => row.batch);
}

/**
 * The batch's Deliveries still to make. `sending` ones are included: only the
 * holder of the batch's lock calls this, so a `sending` row is one whose runner
 * died inside the SMTP transaction.
 */
export async function openDeliveries(db: Queryable, editionId: string, batch: number): Promise<OpenDelivery[]> {
  return db.query<OpenDelivery>(
    `select d.subscriber_id as "subscriberId", d.message_id as "messageId", d.status, d.attempts,
       s.email, s.name, s.status as "subscriberStatus", s.topics,
       exists (select 1 from suppressions x where x.email = s.email) as suppressed
     from deliveries d join subscribers s on s.id = d.subscriber_id
     where d.edition_id = $1 and d.batch = $2 and d.status in ('pending', 'sending')
     order by d.subscriber_id`,
    [editionId, batch],
  );
}

/**
 * Committed before the SMTP transaction starts: a crash from here on leaves the
 * row `sending`. Only while the Edition is being sent and not paused: false
 * when an editor paused it meanwhile (the same statement checks, one round trip
 * per message rather than two).
 */
export async function markSending(db: Queryable, editionId: string, subscriberId: string): Promise<boolean> {
  const rows = await db.query(
    `update deliveries set status = 'sending', sending_at = now(), attempts = attempts + 1
     where edition_id = $1 and subscriber_id = $2 and status in ('pending', 'sending')
       and exists (select 1 from editions e where e.id = $1 and e.status = 'sending' and e.paused_at is null)
     returning 1`,
    [editionId, subscriberId],
  );
  return rows.length > 0;
}

/** A final status, with the reason kept for anything but sent. */
export async function markDone(db: Queryable, editionId: string, subscriberId: string, status: FinalStatus, detail: string | null = null): Promise<void> {
  await db.query(
    `update deliveries set status = $3, last_error = $4, sent_at = case when $3 = 'sent' then now() else sent_at end
     where edition_id = $1 and subscriber_id = $2`,
    [editionId, subscriberId, status, detail],
  );
}

/**
 * Not sent this time (the server asked us to wait, or an error): pending again, the reason kept.
 * Only from `sending`: a Delivery an editor cancelled meanwhile stays cancelled.
 */
export async function markPending(db: Queryable, editionId: string, subscriberId: string, detail: string): Promise<void> {
  await db.query(`update deliveries set status = 'pending', last_error = $3 where edition_id = $1 and subscriber_id = $2 and status = 'sending'`, [editionId, subscriberId, detail]);
}

/**
 * The Edition becomes `sent` once no Delivery is pending or sending: under the
 * Edition's row lock, so of several batches finishing at once exactly one moves
 * it. Returns whether this call did.
 */
export async function finishEdition(db: Db, editionId: string): Promise<boolean> {
  return db.transaction((tx) => closeEdition(tx, editionId));
}

/** finishEdition inside a transaction that may have changed Deliveries first (a cancel). */
export async function closeEdition(tx: Queryable, editionId: string): Promise<boolean> {
  const [row] = await tx.query<{ status: EditionStatus }>('select status from editions where id = $1 for update', [editionId]);
  if (!row || row.status !== 'sending') return false;
  const [open] = await tx.query('select 1 from deliveries where edition_id = $1 and status in ($2, $3) limit 1', [editionId, 'pending', 'sending']);
  if (open) return false;
  await setEditionStatus(tx, editionId, row.status, 'sent');
  const report = await deliveryReport(tx, editionId);
  await recordEvent(tx, editionId, null, 'sent', { sent: report?.sent, failed: report?.failed, bounced: report?.bounced, skipped: report?.skipped, cancelled: report?.cancelled });
  return true;
}

/** How sending an Edition went: Deliveries by status (the CLI's progress and report, the Edition's page). */
export async function deliveryReport(db: Queryable, editionId: string): Promise<DeliveryReport | undefined> {
  const [row] = await db.query<DeliveryReport>(
    `select e.id as "editionId", e.status, e.paused_at as "pausedAt",
       count(d.subscriber_id)::int as total,
       count(*) filter (where d.status = 'pending')::int as pending,
       count(*) filter (where d.status = 'sending')::int as sending,
       count(*) filter (where d.status = 'sent')::int as sent,
       count(*) filter (where d.status = 'failed')::int as failed,
       count(*) filter (where d.status = 'bounced')::int as bounced,
       count(*) filter (where d.status = 'skipped')::int as skipped,
       count(*) filter (where d.status = 'cancelled')::int as cancelled,
       coalesce(max(d.batch) + 1, 0)::int as batches,
       min(d.sent_at) as "firstSentAt", max(d.sent_at) as "lastSentAt"
     from editions e left join deliveries d on d.edition_id = e.id
     where e.id = $1 group by e.id`,
    [editionId],
  );
  return row;
}

/** Deliveries that did not go out, with why: the Edition's page lists them. */
export async function undelivered(db: Queryable, editionId: string, limit = 100): Promise<{ email: string; status: DeliveryStatus; detail: string | null }[]> {
  return db.query(
    `select s.email, d.status, d.last_error as detail from deliveries d join subscribers s on s.id = d.subscriber_id
     where d.edition_id = $1 and d.status in ('failed', 'bounced', 'skipped') order by d.status, s.email limit $2`,
    [editionId, limit],
  );
}
