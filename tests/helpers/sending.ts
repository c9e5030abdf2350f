/**
 * For the sending tests: more approved Editions made from a composed one (same
 * Stories, another week's id), Subscribers added straight into the store, and
 * an Edition's send jobs run in the test process, as `edition send` does in
 * the embedded mode.
 */
import { randomUUID } from 'node:crypto';
import { startSending } from '../../src/mail/sending.js';
import { InlineJobs, type JobRecord } from '../../src/queue/inline.js';
import { jobDeps, type Runtime } from '../../src/runtime.js';
import type { Queryable } from '../../src/store/db.js';
import { handlers } from '../../workers/handlers.js';

/**
 * `count` confirmed Subscribers in one statement (reader<n>@example.org), a
 * third wanting only escape, a third escape and family, a third everything:
 * three preference sets, so three renders.
 */
export async function addManyReaders(db: Queryable, count: number, consent: string): Promise<void> {
  await db.query(
    `insert into subscribers (id, email, status, topics, consent, confirmed_at)
     select gen_random_uuid(), 'reader' || g || '@example.org', 'confirmed',
            case when g % 3 = 0 then array['escape'] when g % 3 = 1 then array['escape', 'family'] else '{}'::text[] end, $2, now()
     from generate_series(1, $1::int) g`,
    [count, consent],
  );
}

/** An approved copy of Edition `from` under the id (and week) `id`, e.g. 2099-W01. */
export async function copyEdition(db: Queryable, from: string, id: string): Promise<void> {
  await db.query(
    `insert into editions (id, week, status, subject, intro, window_start, window_end)
     select $2, $2, 'approved', subject, intro, window_start, window_end from editions where id = $1`,
    [from, id],
  );
  await db.query(`insert into edition_stories (edition_id, story_id, section, position, entry) select $2, story_id, section, position, entry from edition_stories where edition_id = $1`, [from, id]);
}

export interface TestSubscriber {
  email: string;
  topics?: string[];
  status?: 'pending' | 'confirmed';
  name?: string;
}

/** Adds Subscribers (confirmed unless said otherwise); returns their ids by address. */
export async function addSubscribers(db: Queryable, subscribers: TestSubscriber[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const s of subscribers) {
    const id = randomUUID();
    const status = s.status ?? 'confirmed';
    await db.query(
      `insert into subscribers (id, email, name, status, topics, consent, confirmed_at) values ($1, $2, $3, $4, $5, 'test', case when $4 = 'confirmed' then now() end)`,
      [id, s.email, s.name ?? null, status, s.topics ?? []],
    );
    ids.set(s.email, id);
  }
  return ids;
}

/** Starts sending the Edition and runs its send jobs here until none is left; `between` runs after the jobs are queued. */
export async function sendHere(runtime: Runtime, editionId: string, between?: () => Promise<void>): Promise<JobRecord[]> {
  const jobs = new InlineJobs(new Set(['send']));
  await startSending(runtime.db, runtime.config, jobs, editionId, 'test');
  await between?.();
  return jobs.drain(handlers(jobDeps(runtime, jobs)));
}

/** Deliveries of an Edition by address. */
export async function deliveriesOf(db: Queryable, editionId: string): Promise<Map<string, { status: string; messageId: string; lastError: string | null; subscriberId: string }>> {
  const rows = await db.query<{ email: string; status: string; messageId: string; lastError: string | null; subscriberId: string }>(
    `select s.email, d.status, d.message_id as "messageId", d.last_error as "lastError", d.subscriber_id as "subscriberId"
     from deliveries d join subscribers s on s.id = d.subscriber_id where d.edition_id = $1`,
    [editionId],
  );
  return new Map(rows.map((row) => [row.email, row]));
}
