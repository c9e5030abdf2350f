/**
 * The login limit's counts in the store (src/store/login-limits.ts), on PGlite
 * and PostgreSQL: concurrent tries get distinct counts, so at most `max` pass
 * however many arrive at once; a refused try uses up no other key's tries; a
 * successful login gives its try back; a window ends; no key is stored as given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { reserveLoginTry, returnLoginTry } from '../../src/store/login-limits.js';
import { migrate } from '../../src/store/migrate.js';
import { storeTargets } from '../helpers/databases.js';

const LIMIT = { max: 5, windowMs: 15 * 60_000 };

describe.each(storeTargets)('login limits in the store ($name)', (target) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
  }, 60_000);
  afterAll(async () => drop?.());

  const granted = (keys: string[]) => reserveLoginTry(db, keys, LIMIT).then((reservation) => reservation.granted);

  it('grant 5 of 30 tries made at once, and tell the others when to come back', async () => {
    const keys = ['address:10.0.0.1', 'email:ana@example.org'];
    const reservations = await Promise.all(Array.from({ length: 30 }, () => reserveLoginTry(db, keys, LIMIT)));
    expect(reservations.filter((r) => r.granted)).toHaveLength(5);
    for (const refused of reservations.filter((r) => !r.granted)) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(800);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
  });

  it('count a refused try against no other key', async () => {
    for (let i = 0; i < 5; i += 1) expect(await granted(['address:10.0.1.1', `email:guess${i}@example.org`])).toBe(true);
    // The address is spent: its tries at Ben's email are refused, and Ben's email keeps all 5 of its tries.
    for (let i = 0; i < 10; i += 1) expect(await granted(['address:10.0.1.1', 'email:ben@example.org'])).toBe(false);
    const fromElsewhere = await Promise.all(Array.from({ length: 6 }, (_, i) => granted([`address:10.0.1.${10 + i}`, 'email:ben@example.org'])));
    expect(fromElsewhere.filter(Boolean)).toHaveLength(5);
  });

  it('take a returned try back (a successful login), and start over when the window ends', async () => {
    const keys = ['address:10.0.2.1', 'email:cat@example.org'];
    for (let i = 0; i < 5; i += 1) expect(await granted(keys)).toBe(true);
    expect(await granted(keys)).toBe(false);
    await returnLoginTry(db, keys);
    expect(await granted(keys)).toBe(true);
    expect(await granted(keys)).toBe(false);

    await db.query(`update login_limits set window_ends = now() - interval '1 second'`);
    expect(await granted(keys)).toBe(true);
    // Ended windows are deleted as tries come: only this try's two keys are left.
    expect((await db.query<{ n: number }>('select count(*)::int as n from login_limits'))[0]!.n).toBe(2);
  });

  it('store keys as digests, not addresses or emails', async () => {
    await granted(['address:10.0.3.1', 'email:dan@example.org']);
    const rows = await db.query<{ key: string }>('select key from login_limits');
    for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/);
  });
});
