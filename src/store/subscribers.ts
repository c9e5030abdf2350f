/**
 * Subscribers in the store, with the suppression list: an address that
 * unsubscribed, bounced or complained is never mailed again, whatever a later
 * form or import says. Status moves: pending -> confirmed (double opt-in) ->
 * unsubscribed | bounced | complained.
 */
import { randomUUID } from 'node:crypto';
import { NewsdeskError } from '../errors.js';
import type { Queryable } from './db.js';

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

export interface Subscriber {
  id: string;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  /** Topic slugs wanted; empty: every section. */
  topics: string[];
  consent: string;
  createdAt: Date;
  confirmedAt: Date | null;
}

const columns = `id, email, name, status, topics, consent, created_at as "createdAt", confirmed_at as "confirmedAt"`;

export type AddOutcome = 'added' | 'exists' | 'suppressed';

/**
 * Adds a Subscriber (pending, or confirmed when consent was given elsewhere,
 * e.g. an import with a consent column). An address already there is left as it
 * is; a suppressed one is not added.
 */
export async function addSubscriber(
  db: Queryable,
  fields: { email: string; name?: string | null; topics?: string[]; consent: string; confirmed?: boolean },
): Promise<{ outcome: AddOutcome; subscriber: Subscriber | null }> {
  const [suppressed] = await db.query('select 1 from suppressions where email = $1', [fields.email]);
  if (suppressed) return { outcome: 'suppressed', subscriber: null };
  const rows = await db.query<Subscriber>(
    `insert into subscribers (id, email, name, status, topics, consent, confirmed_at)
     values ($1, $2, $3, $4, $5, $6, case when $4 = 'confirmed' then now() end)
     on conflict (email) do nothing returning ${columns}`,
    [randomUUID(), fields.email, fields.name ?? null, fields.confirmed ? 'confirmed' : 'pending', fields.topics ?? [], fields.consent],
  );
  if (rows[0]) return { outcome: 'added', subscriber: rows[0] };
  return { outcome: 'exists', subscriber: (await subscriberByEmail(db, fields.email)) ?? null };
}

export async function getSubscriber(db: Queryable, id: string): Promise<Subscriber | undefined> {
  // A malformed id is no Subscriber (and no SQL error): ids come from links.
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const [row] = await db.query<Subscriber>(`select ${columns} from subscribers where id = $1`, [id]);
  return row;
}

export async function subscriberByEmail(db: Queryable, email: string): Promise<Subscriber | undefined> {
  const [row] = await db.query<Subscriber>(`select ${columns} from subscribers where email = $1`, [email]);
  return row;
}

/** Double opt-in's second step: pending becomes confirmed; anything else stays as it is. */
export async function confirmSubscriber(db: Queryable, id: string): Promise<Subscriber | undefined> {
  await db.query(`update subscribers set status = 'confirmed', confirmed_at = now(), updated_at = now() where id = $1 and status = 'pending'`, [id]);
  return getSubscriber(db, id);
}

export async function setTopics(db: Queryable, id: string, topics: string[]): Promise<void> {
  await db.query('update subscribers set topics = $2, updated_at = now() where id = $1', [id, [...new Set(topics)].sort()]);
}

/**
 * Unsubscribed, bounced or complained: the Subscriber's status changes and the
 * address goes on the suppression list (kept, so a re-import cannot undo it).
 */
export async function suppress(db: Queryable, email: string, reason: SuppressionReason, detail: string | null = null): Promise<void> {
  await db.query(
    `insert into suppressions (email, reason, detail) values ($1, $2, $3)
     on conflict (email) do update set reason = excluded.reason, detail = excluded.detail, at = now()`,
    [email, reason, detail],
  );
  await db.query('update subscribers set status = $2, updated_at = now() where email = $1', [email, reason]);
}

/**
 * Whether a pending Subscriber may be sent another confirmation email now: at
 * most one per `minutes`, whoever asks (the form is public). For a pending
 * Subscriber nothing else changes the row, so `updated_at` doubles as when the
 * last confirmation email went out; the claim is one statement, so two web
 * processes answering the same address at once send one email between them.
 */
export async function claimConfirmationMail(db: Queryable, id: string, minutes: number): Promise<boolean> {
  const rows = await db.query(
    `update subscribers set updated_at = now() where id = $1 and status = 'pending'
     and updated_at <= now() - $2::int * interval '1 minute' returning id`,
    [id, minutes],
  );
  return rows.length > 0;
}

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  at: Date;
}

export async function getSuppression(db: Queryable, email: string): Promise<Suppression | undefined> {
  const [row] = await db.query<Suppression>('select email, reason, detail, at from suppressions where email = $1', [email]);
  return row;
}

/** Every address never to mail again, with or without a Subscriber behind it (a bounce webhook may name strangers). */
export async function listSuppressions(db: Queryable): Promise<Suppression[]> {
  return db.query<Suppression>('select email, reason, detail, at from suppressions order by at, email');
}

export async function listSubscribers(db: Queryable, options: { status?: SubscriberStatus; limit?: number } = {}): Promise<Subscriber[]> {
  return db.query<Subscriber>(
    `select ${columns} from subscribers where ($1::text is null or status = $1) order by created_at, email limit $2`,
    [options.status ?? null, options.limit ?? 1_000_000],
  );
}

export async function requireSubscriber(db: Queryable, id: string): Promise<Subscriber> {
  const subscriber = await getSubscriber(db, id);
  if (!subscriber) throw new NewsdeskError('usage', `subscriber ${id}: no such Subscriber`);
  return subscriber;
}
