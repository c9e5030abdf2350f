/**
 * Sending at the time an editor chose when approving: nothing goes before it,
 * the Edition goes to every confirmed Subscriber once it is due (here through
 * `newsdesk run`, the embedded cron job; deployed, the workers' tick a minute),
 * and an edit after approval takes the send time away with the approval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSendAt } from '../../src/cli/editions.js';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { withRuntime } from '../../src/runtime.js';
import { editEdition } from '../../src/store/edition-edits.js';
import { approveEdition, getEdition } from '../../src/store/editions.js';
import { addSubscriber } from '../../src/store/subscribers.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let config: Config;
let inbox: SmtpInbox;
let editionId: string;
const readers = ['ana@example.org', 'ben@example.org', 'kim@example.org'];

const run = () => runPipeline(config, log, { command: 'run', queues: ['compose', 'send'] });
beforeAll(async () => {
  const sample = await sampleConfig('pglite', cleanups, { processed: true });
  inbox = await startSmtpInbox();
  cleanups.push(() => inbox.close());
  config = { ...sample, mail: { ...sample.mail, smtpUrl: inbox.url, ratePerSecond: 100 } };
  editionId = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
  await withRuntime(config, log, async ({ db }) => {
    for (const email of readers) await addSubscriber(db, { email, consent: 'test', confirmed: true });
  });
}, 120_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('sending at the approved time', () => {
  it('sends nothing before the time, and loses the time when the Edition is edited', async () => {
    await withRuntime(config, log, ({ db }) => approveEdition(db, editionId, 'chief', new Date(Date.now() + 3_600_000)));
    await run();
    expect((await withRuntime(config, log, ({ db }) => getEdition(db, editionId)))!.status).toBe('approved');
    expect(inbox.messages).toHaveLength(0);

    await withRuntime(config, log, ({ db }) => editEdition(db, editionId, 'ed', { kind: 'subject', subject: 'Edited after approval' }));
    const [row] = await withRuntime(config, log, ({ db }) => db.query<{ status: string; sendAt: Date | null }>('select status, send_at as "sendAt" from editions where id = $1', [editionId]));
    expect(row).toEqual({ status: 'draft', sendAt: null });
  });

  it('sends to every confirmed Subscriber once the time has come', async () => {
    await withRuntime(config, log, ({ db }) => approveEdition(db, editionId, 'chief', new Date(Date.now() - 1000)));
    const summary = await run();
    expect(summary.problems).toEqual([]);
    expect((await withRuntime(config, log, ({ db }) => getEdition(db, editionId)))!.status).toBe('sent');
    for (const reader of readers) expect(inbox.to(reader)).toHaveLength(1);
    expect(inbox.to('ana@example.org')[0]!.subject).toBe('Edited after approval');
    // Sent is final: the next run sends nothing more.
    await run();
    expect(inbox.messages).toHaveLength(readers.length);
  });

  it('reads --send-at as now or an ISO time with its offset', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    expect(parseSendAt('now', now)).toBe(now);
    expect(parseSendAt('2026-12-07T08:00+09:00').toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(() => parseSendAt('2026-12-07T08:00')).toThrow('--send-at: "2026-12-07T08:00" is not "now" or an ISO 8601 time with its offset');
  });
});
