/**
 * Editors' sessions in the store (src/store/editor-sessions.ts), on embedded
 * PGlite: the cookie's expiry is only the browser's side, so the store itself
 * must refuse a session past its idle limit or its maximum age, refuse the
 * stored hash used as a cookie, and drop every session of an editor whose
 * password changes or who is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { openEmbedded } from '../../src/store/embedded.js';
import { createSession, findSession } from '../../src/store/editor-sessions.js';
import { addEditor, removeEditor, setEditorPassword } from '../../src/store/editors.js';
import { migrate } from '../../src/store/migrate.js';
import { SESSION_LIMITS } from '../../src/web/editor/session.js';

let db: Db;
let editorId: number;

beforeAll(async () => {
  db = await openEmbedded('memory://');
  await migrate(db);
  editorId = (await addEditor(db, { email: 'ana@example.org', name: 'Ana', passwordHash: 'scrypt$17$8$1$c2FsdA==$aGFzaA==' })).id;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

const hashOf = async (token: string) => (await db.query<{ id: string }>('select id from editor_sessions where id = encode(sha256(convert_to($1, \'utf8\')), \'hex\')', [token]))[0]?.id;

describe('editor sessions in the store', () => {
  it('are found by their token, never by the hash stored in its place', async () => {
    const { token } = await createSession(db, editorId, SESSION_LIMITS);
    const session = await findSession(db, token, SESSION_LIMITS);
    expect(session).toMatchObject({ editorId, email: 'ana@example.org' });
    expect(session!.id).toBe(await hashOf(token));
    expect(session!.id).not.toBe(token);
    expect(await findSession(db, session!.id, SESSION_LIMITS)).toBeUndefined();
  });

  it('end after 12 hours unused, and 7 days after login however used', async () => {
    const idle = await createSession(db, editorId, SESSION_LIMITS);
    await db.query(`update editor_sessions set last_seen_at = now() - interval '12 hours 1 minute' where id = $1`, [await hashOf(idle.token)]);
    expect(await findSession(db, idle.token, SESSION_LIMITS)).toBeUndefined();

    const old = await createSession(db, editorId, SESSION_LIMITS);
    expect(old.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SESSION_LIMITS.maxAgeMs);
    await db.query(`update editor_sessions set expires_at = now() - interval '1 second', last_seen_at = now() where id = $1`, [await hashOf(old.token)]);
    expect(await findSession(db, old.token, SESSION_LIMITS)).toBeUndefined();
  });

  it("all end when the editor's password changes, or the editor is removed", async () => {
    const first = await createSession(db, editorId, SESSION_LIMITS);
    expect(await setEditorPassword(db, 'ana@example.org', 'scrypt$17$8$1$bmV3$bmV3')).toBe(true);
    expect(await findSession(db, first.token, SESSION_LIMITS)).toBeUndefined();

    const second = await createSession(db, editorId, SESSION_LIMITS);
    expect(await removeEditor(db, 'ana@example.org')).toBe(true);
    expect(await findSession(db, second.token, SESSION_LIMITS)).toBeUndefined();
  });
});
