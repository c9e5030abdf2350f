/**
 * Editors' login sessions. The browser holds a random token; the store holds
 * its SHA-256 as the session id, the session's CSRF token, one flash message,
 * and when the session ends: after a stretch of inactivity, or at its maximum
 * age however active it is.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

export interface Flash {
  kind: 'ok' | 'error';
  message: string;
}

export interface EditorSession {
  /** The hash of the token: safe to log, useless as a cookie. */
  id: string;
  editorId: number;
  email: string;
  name: string;
  csrfToken: string;
  flash: Flash | null;
  expiresAt: Date;
}

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, however active. */
  maxAgeMs: number;
}

const sessionId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** Starts a session; returns the token for the cookie (never stored) and when the session ends at the latest. */
export async function createSession(db: Queryable, editorId: number, limits: SessionLimits): Promise<{ token: string; expiresAt: Date }> {
  // Ended sessions are deleted here, at login, rather than by a scheduled job: there are few editors.
  await db.query(`delete from editor_sessions where expires_at <= now() or last_seen_at <= now() - $1 * interval '1 millisecond'`, [limits.idleMs]);
  const token = randomToken();
  const expiresAt = new Date(Date.now() + limits.maxAgeMs);
  await db.query('insert into editor_sessions (id, editor_id, csrf_token, expires_at) values ($1, $2, $3, $4)', [sessionId(token), editorId, randomToken(), expiresAt]);
  return { token, expiresAt };
}

/**
 * The live session of a cookie's token, or undefined. Marks it as seen (at
 * most once a minute, so browsing the pages does not write on every request).
 */
export async function findSession(db: Queryable, token: string, limits: SessionLimits): Promise<EditorSession | undefined> {
  const rows = await db.query<EditorSession & { stale: boolean }>(
    `select s.id, s.editor_id as "editorId", e.email, e.name, s.csrf_token as "csrfToken", s.flash, s.expires_at as "expiresAt",
       s.last_seen_at < now() - interval '1 minute' as stale
     from editor_sessions s join editors e on e.id = s.editor_id
     where s.id = $1 and s.expires_at > now() and s.last_seen_at > now() - $2 * interval '1 millisecond'`,
    [sessionId(token), limits.idleMs],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.stale) await db.query('update editor_sessions set last_seen_at = now() where id = $1', [row.id]);
  const { stale: _, ...session } = row;
  return session;
}

/** Ends the session of a cookie's token (logout). */
export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from editor_sessions where id = $1', [sessionId(token)]);
}

/** Leaves a message for the session's next page. */
export async function setFlash(db: Queryable, id: string, flash: Flash): Promise<void> {
  await db.query('update editor_sessions set flash = $2 where id = $1', [id, JSON.stringify(flash)]);
}

/** Clears the message once a page has shown it. */
export async function clearFlash(db: Queryable, id: string): Promise<void> {
  await db.query('update editor_sessions set flash = null where id = $1', [id]);
}
