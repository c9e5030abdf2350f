/**
 * Subscribers in the store, with the suppression list (the types and the status
 * moves: src/mail/subscriber.ts): a suppressed address stays suppressed,
 * whatever a later form or import says.
 */
import { randomUUID } from 'node:crypto';
import { NewsdeskError } from '../errors.js';
import type { Queryable } from './db.js';
import type { AddOutcome, Subscriber, SubscriberStatus, Suppression, SuppressionReason } from '../mail/subscriber.js';

const columns = `id, email, name, status, topics, consent, created_at as "createdAt", confirmed_at as "confirmedAt"`;

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

/** Subscribers by status, and the suppressed addresses no Subscriber has (the webhook's strangers, an import's suppressions). */
export type SubscriberCounts = Record<SubscriberStatus, number> & { suppressedOnly: number };

export async function countSubscribers(db: Queryable): Promise<SubscriberCounts> {
  const counts: SubscriberCounts = { pending: 0, confirmed: 0, unsubscribed: 0, bounced: 0, complained: 0, suppressedOnly: 0 };
  for (const row of await db.query<{ status: SubscriberStatus; n: number }>('select status, count(*)::int as n from subscribers group by status')) {
    counts[row.status] = row.n;
  }
  const [strangers] = await db.query<{ n: number }>(
    'select count(*)::int as n from suppressions x where not exists (select 1 from subscribers s where s.email = x.email)',
  );
  counts.suppressedOnly = strangers?.n ?? 0;
  return counts;
}

/** How many confirmed and pending Subscribers want a Topic; `slug` null: those who chose none, and get every section. */
export interface TopicCount {
  slug: string | null;
  confirmed: number;
  pending: number;
}

/** Subscribers still to be mailed (confirmed, or pending confirmation) by the Topics they chose; one Subscriber counts once per Topic. */
export async function countByTopic(db: Queryable): Promise<TopicCount[]> {
  return db.query<TopicCount>(
    `select t.slug, count(*) filter (where s.status = 'confirmed')::int as confirmed, count(*) filter (where s.status = 'pending')::int as pending
     from subscribers s
     cross join lateral unnest(case when cardinality(s.topics) = 0 then array[null]::text[] else s.topics end) as t(slug)
     where s.status in ('confirmed', 'pending')
     group by t.slug order by t.slug nulls first`,
  );
}

/** A Subscriber as a search lists it: the address, what became of it, since when. */
export interface SubscriberMatch {
  id: string;
  email: string;
  status: SubscriberStatus;
  createdAt: Date;
}

/**
 * Subscribers whose address contains `text` (addresses are stored lower-case),
 * those that start with it first, then by address; a page of them and how many
 * there are in all.
 */
export async function searchSubscribers(db: Queryable, text: string, page: { limit: number; offset: number }): Promise<{ total: number; matches: SubscriberMatch[] }> {
  // strpos, not LIKE: a `%` or `_` someone types is a character to find, not a wildcard.
  const needle = text.trim().toLowerCase();
  const [counted] = await db.query<{ total: number }>('select count(*)::int as total from subscribers where strpos(email, $1) > 0', [needle]);
  const matches = await db.query<SubscriberMatch>(
    `select id, email, status, created_at as "createdAt" from subscribers where strpos(email, $1) > 0
     order by strpos(email, $1) <> 1, email limit $2 offset $3`,
    [needle, page.limit, page.offset],
  );
  return { total: counted?.total ?? 0, matches };
}
