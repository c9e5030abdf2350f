/**
 * Short or full summaries per Edition (migration 021), on the embedded store
 * and on PostgreSQL: a composed Edition is short; editors switch it from the
 * review page (POST /editions/<id>/summaries with the CSRF token) and the
 * email follows; an approved Edition switched goes back to draft; a form
 * without the token or with another value changes nothing; the history says
 * who did it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { renderContext, renderEdition } from '../../src/digest/render.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { editEdition } from '../../src/store/edition-edits.js';
import { editionEvents, getEdition, moveEdition } from '../../src/store/editions.js';
import { addEditor } from '../../src/store/editors.js';
import { testPasswordHash } from '../helpers/passwords.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';

const ANA = { email: 'ana@example.org', name: 'Ana', password: 'correct horse battery staple' };
const log = createLogger({ level: 'silent' });

describe.each(['pglite', 'postgres'] as const)('short or full summaries per Edition (%s)', (store) => {
  const cleanups: (() => Promise<void>)[] = [];
  let runtime: Runtime;
  let app: FastifyInstance;
  let id: string;
  let session: { cookies: Record<string, string>; csrf: string };

  beforeAll(async () => {
    const base = await sampleConfig(store, cleanups, { processed: true });
    const config: Config = { ...base, web: { ...base.web, secureCookies: false }, digest: { ...base.digest, maxStories: 8, maxPerSection: 3 } };
    id = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
    runtime = await openRuntime(config, log);
    await addEditor(runtime.db, { email: ANA.email, name: ANA.name, passwordHash: await testPasswordHash(ANA.password) });
    app = buildServer(runtime);
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/login', ...form({ email: ANA.email, password: ANA.password }) });
    const cookie = login.cookies.find((c) => c.name === 'newsdesk-session')!;
    const cookies = { [cookie.name]: cookie.value };
    const page = await app.inject({ url: `/editions/${id}`, cookies });
    session = { cookies, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    for (const cleanup of cleanups) await cleanup();
  });

  const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const post = (fields: Record<string, string>) => app.inject({ method: 'POST', url: `/editions/${id}/summaries`, cookies: session.cookies, ...form(fields) });
  const summaries = async () => (await getEdition(runtime.db, id))!.summaries;

  it('composes an Edition with short summaries, and the review page offers full ones', async () => {
    expect(await summaries()).toBe('short');
    const page = await app.inject({ url: `/editions/${id}`, cookies: session.cookies });
    expect(page.body).toContain(`action="/editions/${id}/summaries"`);
    expect(page.body).toMatch(/value="short" checked>/);
    expect(page.body).toMatch(/value="full">/);
  });

  it('switches to full from the page, and the email then shows the summaries whole', async () => {
    const short = await renderEdition((await getEdition(runtime.db, id))!, renderContext(runtime.config));
    const response = await post({ summaries: 'full', _csrf: session.csrf });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/editions/${id}`);
    expect(await summaries()).toBe('full');
    const edition = (await getEdition(runtime.db, id))!;
    const full = await renderEdition(edition, renderContext(runtime.config));
    const longest = edition.entries.map((e) => e.summary).sort((a, b) => b.length - a.length)[0]!;
    expect(longest.length).toBeGreaterThan(200);
    expect(full.text.replace(/\s+/g, ' ')).toContain(longest.replace(/\s+/g, ' '));
    expect(short.text.replace(/\s+/g, ' ')).not.toContain(longest.replace(/\s+/g, ' '));
    const page = await app.inject({ url: `/editions/${id}`, cookies: session.cookies });
    expect(page.body).toContain('The email shows the full summaries.');
    expect(page.body).toMatch(/value="full" checked>/);
  });

  it('changes nothing without the CSRF token, or for a value that is neither short nor full', async () => {
    expect((await post({ summaries: 'short' })).statusCode).toBe(403);
    expect(await summaries()).toBe('full');
    expect((await post({ summaries: 'medium', _csrf: session.csrf })).statusCode).toBe(303);
    expect(await summaries()).toBe('full');
    const page = await app.inject({ url: `/editions/${id}`, cookies: session.cookies });
    expect(page.body).toContain('form: summaries: expected short or full, not &quot;medium&quot;');
    await expect(editEdition(runtime.db, id, 'ed', { kind: 'summaries', summaries: 'medium' as 'short' })).rejects.toThrow(
      `edition ${id}: summaries: expected short or full, not "medium"`,
    );
    // The database refuses it too (021's check), whoever writes.
    await expect(runtime.db.query(`update editions set summaries = 'medium' where id = $1`, [id])).rejects.toThrow();
  });

  it('returns an approved Edition to draft when its summaries change, and keeps who did it', async () => {
    await moveEdition(runtime.db, id, 'approved', 'chief');
    expect((await post({ summaries: 'short', _csrf: session.csrf })).statusCode).toBe(303);
    const edition = (await getEdition(runtime.db, id))!;
    expect(edition).toMatchObject({ status: 'draft', summaries: 'short' });
    const events = (await editionEvents(runtime.db, id)).filter((e) => e.action === 'summaries');
    expect(events.map((e) => [e.editor, e.detail.summaries, e.detail.reopened ?? false])).toEqual([
      [ANA.email, 'full', false],
      [ANA.email, 'short', true],
    ]);
  });
});
