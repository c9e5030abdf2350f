/**
 * The subscribe answer does not wait for any work that differs between
 * addresses, so its timing cannot tell a new address from a known one. Proved
 * by structure, not by a clock: with the subscriber tables locked by another
 * PostgreSQL session, every POST (form and JSON; new, pending, confirmed and
 * suppressed addresses) is still answered, alike, and nothing is stored yet;
 * once the lock goes, the requests are stored and the due emails sent, through
 * a real SMTP server in this process.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addSubscriber, subscriberByEmail } from '../../src/store/subscribers.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

/** Far longer than any answer takes; without the fix an answer never comes while the lock is held. */
const NO_ANSWER_MS = 10_000;
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let inbox: SmtpInbox;
let runtime: Runtime;
let app: FastifyInstance;
let locker: pg.Client;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  cleanups.unshift(() => inbox.close());
  const sample = await sampleConfig('postgres', cleanups);
  const config: Config = { ...sample, mail: { ...sample.mail, smtpUrl: inbox.url } };
  runtime = await openRuntime(config, log);
  cleanups.unshift(() => runtime.close());
  app = buildServer(runtime);
  await app.ready();
  cleanups.unshift(() => app.close());
  locker = new pg.Client({ connectionString: config.database.url });
  await locker.connect();
  cleanups.unshift(() => locker.end());
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('the subscribe answer', () => {
  it('comes, alike for every address, while the subscriber tables are locked: the per-address work waits, the answer does not', async () => {
    await addSubscriber(runtime.db, { email: 'known@example.org', consent: 'test', confirmed: true });
    await addSubscriber(runtime.db, { email: 'waiting@example.org', consent: 'test' });
    await runtime.db.query(`update subscribers set updated_at = now() - interval '1 hour' where email = 'waiting@example.org'`);
    await runtime.db.query(`insert into suppressions (email, reason) values ('gone@example.org', 'unsubscribed')`);

    await locker.query('begin');
    await locker.query('lock table subscribers, suppressions in access exclusive mode');
    const answers: { form: string[]; api: string[] } = { form: [], api: [] };
    try {
      for (const email of ['new@example.org', 'known@example.org', 'waiting@example.org', 'gone@example.org']) {
        for (const kind of ['form', 'api'] as const) {
          const asked =
            kind === 'form'
              ? app.inject({ method: 'POST', url: '/subscribe', payload: new URLSearchParams({ email }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '10.7.0.1' })
              : app.inject({ method: 'POST', url: '/api/subscribe', payload: JSON.stringify({ email }), headers: { 'content-type': 'application/json' }, remoteAddress: '10.7.0.2' });
          const answer = await Promise.race([asked, new Promise<null>((resolve) => setTimeout(() => resolve(null), NO_ANSWER_MS))]);
          expect(answer, `${kind} ${email}: no answer while the tables were locked: it waits for the store`).not.toBeNull();
          answers[kind].push(`${answer!.statusCode} ${answer!.body}`);
        }
      }
      // Nothing stored yet: the work is queued behind the lock, after the answers.
      expect((await locker.query(`select count(*)::int as n from subscribers where email = 'new@example.org'`)).rows[0].n).toBe(0);
    } finally {
      await locker.query('rollback');
    }
    expect(new Set(answers.form).size).toBe(1);
    expect(answers.form[0]).toMatch(/^200 .*Check your inbox/s);
    expect(new Set(answers.api).size).toBe(1);
    expect(answers.api[0]).toMatch(/^202 /);

    // The lock gone, the work done: the new address stored and mailed once, the pending one mailed again, the others not at all.
    await inbox.waitFor('new@example.org');
    await inbox.waitFor('waiting@example.org');
    await vi.waitFor(async () => expect(await subscriberByEmail(runtime.db, 'new@example.org')).toMatchObject({ status: 'pending', consent: 'form 10.7.0.1' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inbox.to('new@example.org')).toHaveLength(1);
    expect(inbox.to('waiting@example.org')).toHaveLength(1);
    expect(inbox.to('known@example.org')).toHaveLength(0);
    expect(inbox.to('gone@example.org')).toHaveLength(0);
    expect(await subscriberByEmail(runtime.db, 'gone@example.org')).toBeUndefined();
  }, 60_000);
});
