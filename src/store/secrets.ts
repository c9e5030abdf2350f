/**
 * The key that signs the links in emails (unsubscribe, preferences, confirm).
 * From the config (`secret`, env NEWSDESK_SECRET) when given; otherwise made
 * once, at random, and kept in the store, so `npm start` needs no setting and
 * every worker and web process of a deployment signs with the same key.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

export async function signingSecret(db: Queryable, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  // Insert-or-keep in one statement: two processes starting together agree on one key.
  await db.query(`insert into app_secrets (name, value) values ('link-signing', $1) on conflict (name) do nothing`, [randomBytes(32).toString('base64url')]);
  const [row] = await db.query<{ value: string }>(`select value from app_secrets where name = 'link-signing'`);
  return row!.value;
}
