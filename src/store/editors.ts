/**
 * Editor accounts in the store: who may log in to the review pages. Passwords
 * arrive hashed (src/web/editor/password.ts); an address is kept lower-case, so
 * `Ana@Example.org` and `ana@example.org` are one editor.
 */
import { NewsdeskError } from '../errors.js';
import type { Queryable } from './db.js';

export interface Editor {
  id: number;
  email: string;
  name: string;
  createdAt: Date;
}

/** An address as stored: trimmed and lower-case; a usage error when it is not one. */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  // Deliberately loose (local@domain.tld): the address is a login name here, nothing is sent to it.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalized) || normalized.length > 254) {
    throw new NewsdeskError('usage', `editors: "${email}" is not an email address`);
  }
  return normalized;
}

export async function addEditor(db: Queryable, editor: { email: string; name: string; passwordHash: string }): Promise<Editor> {
  const email = normalizeEmail(editor.email);
  const name = editor.name.trim();
  if (name === '') throw new NewsdeskError('usage', `editor ${email}: a name is needed`);
  const rows = await db.query<Editor>(
    `insert into editors (email, name, password_hash) values ($1, $2, $3) on conflict (email) do nothing
     returning id, email, name, created_at as "createdAt"`,
    [email, name, editor.passwordHash],
  );
  if (!rows[0]) throw new NewsdeskError('usage', `editors: ${email} is already an editor (editors password changes the password)`);
  return rows[0];
}

export async function listEditors(db: Queryable): Promise<(Editor & { sessions: number; lastSeenAt: Date | null })[]> {
  return db.query(
    `select e.id, e.email, e.name, e.created_at as "createdAt",
       count(s.id)::int as sessions, max(s.last_seen_at) as "lastSeenAt"
     from editors e left join editor_sessions s on s.editor_id = e.id and s.expires_at > now()
     group by e.id order by e.email`,
  );
}

/** Removes an editor and ends their sessions; false when there was none with that address. */
export async function removeEditor(db: Queryable, email: string): Promise<boolean> {
  const rows = await db.query('delete from editors where email = $1 returning 1', [normalizeEmail(email)]);
  return rows.length > 0;
}

/** Sets a new password and ends every session of the editor (a changed password locks out whoever had the old one). */
export async function setEditorPassword(db: Queryable, email: string, passwordHash: string): Promise<boolean> {
  const rows = await db.query<{ id: number }>('update editors set password_hash = $2 where email = $1 returning id', [normalizeEmail(email), passwordHash]);
  if (!rows[0]) return false;
  await db.query('delete from editor_sessions where editor_id = $1', [rows[0].id]);
  return true;
}

/** The editor with this address and their password hash, for logging in; undefined when there is none. */
export async function editorForLogin(db: Queryable, email: string): Promise<(Editor & { passwordHash: string }) | undefined> {
  const rows = await db.query<Editor & { passwordHash: string }>(
    `select id, email, name, created_at as "createdAt", password_hash as "passwordHash" from editors where email = $1`,
    [email.trim().toLowerCase()],
  );
  return rows[0];
}
