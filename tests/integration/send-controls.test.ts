/**
 * An editor's hand on a send, in the store and the due check, on the embedded
 * store and on PostgreSQL: who a send goes to by preference set; a send time
 * set only on an approved Edition the editor saw as it is; the due check starts
 * nothing whose time was taken away; pause, a resume the due check carries out
 * (once), and cancel, after which no message starts and a Delivery cancelled
 * while its message was with the SMTP server ends as what the server said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { cancelSending, pauseSending, resumeSendingLater, startDueSends } from '../../src/mail/sending.js';
import type { JobSink } from '../../src/queue/jobs.js';
import { jobDeps, openRuntime, type Runtime } from '../../src/runtime.js';
import { audienceByTopics, deliveryReport, markDone, markPending, markSending, startDeliveries } from '../../src/store/deliveries.js';
import { approveEdition, editionEvents, getEdition, scheduleSend, unscheduleSend } from '../../src/store/editions.js';
import { handlers } from '../../workers/handlers.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { addSubscribers, deliveriesOf } from '../helpers/sending.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A JobSink that keeps the job ids it is given, to run by hand. */
function recordingJobs(): JobSink & { ids: string[]; batches: number[] } {
  const sink = {
    ids: [] as string[],
    batches: [] as number[],
    async add(queue: string, payload: unknown, options: { jobId?: string } = {}) {
      if (queue !== 'send') return;
      sink.ids.push(options.jobId ?? '');
      sink.batches.push((payload as { batch: number }).batch);
    },
  };
  return sink as JobSink & { ids: string[]; batches: number[] };
}

describe.each(['pglite', 'postgres'] as const)('sending controls (%s)', (store) => {
  let runtime: Runtime;
  let inbox: SmtpInbox;
  let id: string;
  const row = async () =>
    (await runtime.db.query<{ status: string; sendAt: Date | null; pausedAt: Date | null }>('select status, send_at as "sendAt", paused_at as "pausedAt" from editions where id = $1', [id]))[0]!;
  const hour = 3_600_000;

  beforeAll(async () => {
    const sample = await sampleConfig(store, cleanups, { processed: true });
    inbox = await startSmtpInbox();
    cleanups.push(() => inbox.close());
    const config: Config = { ...sample, mail: { ...sample.mail, smtpUrl: inbox.url, ratePerSecond: 100, batchSize: 2 } };
    id = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
    runtime = await openRuntime(config, log);
    cleanups.push(() => runtime.close());
    await addSubscribers(runtime.db, [
      { email: 'all-1@example.org' },
      { email: 'all-2@example.org' },
      { email: 'all-3@example.org' },
      { email: 'escape-1@example.org', topics: ['escape'] },
      { email: 'escape-2@example.org', topics: ['escape'] },
      // The same preference set, told in another order and twice.
      { email: 'two-1@example.org', topics: ['family', 'escape'] },
      { email: 'two-2@example.org', topics: ['escape', 'family', 'escape'] },
      { email: 'pending@example.org', status: 'pending' },
      { email: 'gone@example.org' },
    ]);
    await runtime.db.query(`insert into suppressions (email, reason) values ('gone@example.org', 'unsubscribed')`);
  }, 120_000);

  it('counts who a send goes to by preference set: confirmed and not suppressed, each set once', async () => {
    expect(await audienceByTopics(runtime.db)).toEqual([
      { topics: [], subscribers: 3 },
      { topics: ['escape'], subscribers: 2 },
      { topics: ['escape', 'family'], subscribers: 2 },
    ]);
  });

  it('sets a send time only on an approved Edition, and not on one changed since the confirmation', async () => {
    await expect(scheduleSend(runtime.db, id, 'ed', new Date())).rejects.toThrow(`edition ${id}: is draft; only an approved Edition can be sent (approve it first)`);
    await approveEdition(runtime.db, id, 'ed', null);
    const seen = (await getEdition(runtime.db, id))!.updatedAt;
    await expect(scheduleSend(runtime.db, id, 'ed', new Date(), { version: new Date(seen.getTime() - 1) })).rejects.toThrow('it changed after the confirmation was shown');
    expect(await row()).toMatchObject({ status: 'approved', sendAt: null });

    const at = new Date(Date.now() + hour);
    await scheduleSend(runtime.db, id, 'ed', at, { version: seen });
    expect(await row()).toMatchObject({ status: 'approved', sendAt: at });
    await unscheduleSend(runtime.db, id, 'ed');
    expect(await row()).toMatchObject({ status: 'approved', sendAt: null });
    expect((await editionEvents(runtime.db, id)).slice(-2).map((e) => [e.action, e.detail])).toEqual([
      ['scheduled', { sendAt: at.toISOString() }],
      ['cancelled', { sendAt: at.toISOString() }],
    ]);
    await expect(unscheduleSend(runtime.db, id, 'ed')).rejects.toThrow(`edition ${id}: no send is scheduled (it is approved)`);
  });

  it('the due check starts a send only while its time is set and has come', async () => {
    const jobs = recordingJobs();
    // Listed as due, then taken away before the check takes the lock: nothing starts.
    expect(await startDeliveries(runtime.db, id, null, { batchSize: 2, host: 'example.org', dueBy: new Date() })).toBeNull();
    await scheduleSend(runtime.db, id, 'ed', new Date(Date.now() + hour));
    expect(await startDueSends(runtime.db, runtime.config, jobs, new Date())).toMatchObject({ started: [], resumed: [], problems: [] });
    expect(await row()).toMatchObject({ status: 'approved' });

    const due = await startDueSends(runtime.db, runtime.config, jobs, new Date(Date.now() + 2 * hour));
    expect(due).toMatchObject({ started: [id], problems: [] });
    // 7 Deliveries in batches of 2; the send time is used up.
    expect(jobs.batches).toEqual([0, 1, 2, 3]);
    expect(await row()).toMatchObject({ status: 'sending', sendAt: null });
  });

  it('pauses, resumes through the due check (once), and cancels: no message starts after it', async () => {
    const run = handlers(jobDeps(runtime, recordingJobs()));
    await run.send({ editionId: id, batch: 0 });
    expect(inbox.messages).toHaveLength(2);

    await pauseSending(runtime.db, id, 'ed');
    const pending = [...(await deliveriesOf(runtime.db, id)).entries()].filter(([, d]) => d.status === 'pending').map(([email, d]) => ({ email, ...d }));
    expect(await markSending(runtime.db, id, pending[0]!.subscriberId)).toBe(false);
    expect(await run.send({ editionId: id, batch: 1 })).toMatchObject({ stopped: 'paused', sent: 0 });

    await resumeSendingLater(runtime.db, id, 'ed');
    expect(await row()).toMatchObject({ status: 'sending', pausedAt: null });
    expect((await row()).sendAt).not.toBeNull();
    const jobs = recordingJobs();
    const later = new Date(Date.now() + 60_000);
    expect(await startDueSends(runtime.db, runtime.config, jobs, later)).toMatchObject({ started: [], resumed: [id] });
    expect(jobs.ids).toEqual([1, 2, 3].map((batch) => `send:${id}:${batch}:r1`));
    expect(await startDueSends(runtime.db, runtime.config, jobs, later)).toMatchObject({ resumed: [] });

    // One message is with the SMTP server when the editor cancels.
    const inFlight = pending[0]!.subscriberId;
    expect(await markSending(runtime.db, id, inFlight)).toBe(true);
    expect(await cancelSending(runtime.db, id, 'ed')).toEqual({ was: 'sending', cancelled: 5 });
    expect(await row()).toMatchObject({ status: 'sent', sendAt: null, pausedAt: null });
    // The server defers it: it stays cancelled, not pending again.
    await markPending(runtime.db, id, inFlight, '451 try later');
    expect((await deliveriesOf(runtime.db, id)).get(pending[0]!.email)!.status).toBe('cancelled');
    // Or takes it: then it was sent, and the report says so.
    await markDone(runtime.db, id, inFlight, 'sent');
    for (const batch of [1, 2, 3]) expect(await run.send({ editionId: id, batch })).toMatchObject({ stopped: 'not-sending', sent: 0 });
    expect(inbox.messages).toHaveLength(2);
    expect(await deliveryReport(runtime.db, id)).toMatchObject({ status: 'sent', total: 7, sent: 3, cancelled: 4, pending: 0, sending: 0 });
    expect((await editionEvents(runtime.db, id)).slice(-2).map((e) => [e.editor, e.action, e.detail])).toEqual([
      ['ed', 'cancelled', { deliveries: 5 }],
      [null, 'sent', { sent: 2, failed: 0, bounced: 0, skipped: 0, cancelled: 5 }],
    ]);
    await expect(cancelSending(runtime.db, id, 'ed')).rejects.toThrow(`edition ${id}: no send is scheduled (it is sent)`);
  });
});
