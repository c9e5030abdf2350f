/**
 * The login limit's counts: at most `max` tries per window for each key (a
 * client address, an email), shared by every process on the store.
 *
 * A try is reserved before the password is checked, not counted after: the
 * check takes scrypt's 0.4 s, and a limit read before it and counted after it
 * let 29 parallel guesses through the same open window. Each reservation
 * counts in one transaction for all its keys, each row locked as it is
 * counted (INSERT ... ON CONFLICT DO UPDATE), so concurrent tries, from one
 * process or several, get distinct counts and at most `max` of them pass. A
 * refused try is rolled back: it uses up no other key's tries (a client
 * already over its limit cannot lock out the emails it keeps trying).
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.js';

export interface LoginLimit {
  /** Tries allowed per key in one window. */
  max: number;
  /** The window, from its first try; it does not slide. */
  windowMs: number;
}

export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

/** Keys are stored as digests: the table holds no address or email in plain text, and each key has one size. */
const digestOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Thrown inside the transaction to roll back a refused try's counts. */
class Refused extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('login limit reached');
  }
}

/**
 * `now()` is when the transaction began: a concurrent one that began earlier but counted later would see more
 * than the whole window left. The seconds left are counted from the clock instead.
 */
async function countTry(tx: Queryable, key: string, limit: LoginLimit): Promise<{ tries: number; seconds: number }> {
  const [row] = await tx.query<{ tries: number; seconds: number }>(
    `insert into login_limits (key, tries, window_ends) values ($1, 1, now() + $2 * interval '1 millisecond')
     on conflict (key) do update set
       tries = case when login_limits.window_ends <= now() then 1 else login_limits.tries + 1 end,
       window_ends = case when login_limits.window_ends <= now() then excluded.window_ends else login_limits.window_ends end
     returning tries, ceil(extract(epoch from window_ends - clock_timestamp()))::int as seconds`,
    [key, limit.windowMs],
  );
  return row!;
}

/**
 * Takes one try from every key, or from none: refused (with the seconds until
 * the fullest key's window ends) when any key has used its `max` tries.
 */
export async function reserveLoginTry(db: Db, keys: string[], limit: LoginLimit): Promise<Reservation> {
  // Ended windows are deleted here rather than by a scheduled job: one indexed delete per try.
  await db.query('delete from login_limits where window_ends <= now()');
  // Always in the same order, so two tries locking the same two rows cannot deadlock.
  const digests = [...new Set(keys.map(digestOf))].sort();
  try {
    await db.transaction(async (tx) => {
      const over: number[] = [];
      for (const key of digests) {
        const counted = await countTry(tx, key, limit);
        if (counted.tries > limit.max) over.push(counted.seconds);
      }
      if (over.length > 0) throw new Refused(Math.max(1, ...over));
    });
    return { granted: true };
  } catch (error) {
    if (error instanceof Refused) return { granted: false, retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
}

/** Gives a reserved try back to every key (a successful login), within the window it was taken in. */
export async function returnLoginTry(db: Queryable, keys: string[]): Promise<void> {
  await db.query('update login_limits set tries = tries - 1 where key = any($1) and tries > 0 and window_ends > now()', [keys.map(digestOf)]);
}
