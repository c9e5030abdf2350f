/**
 * The SMTP server drops the connection instead of answering one message in
 * ten (the message arrived in full; the sender cannot know whether it was
 * taken), while two workers send an Edition to 300 Subscribers in three
 * batches. A dropped message's Delivery goes back to pending and is sent
 * again; every Subscriber ends with the Edition, and an extra copy carries
 * the same Message-ID.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startSending } from '../../src/mail/sending.js';
import { jobIds } from '../../src/queue/jobs.js';
import { moveEdition } from '../../src/store/editions.js';
import { nextComposeAt, weekDueAt } from '../../src/week.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { queueIngest, report, settle, sleep, startRig, type Rig } from './rig.js';

const SUBSCRIBERS = 300;
let rig: Rig;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ keepRaw: false });
  rig = await startRig({
    sources: 10,
    articlesPerSource: 3,
    config: {
      organisation: { postalAddress: '1 Test Street, Seoul' },
      secret: 'a-fault-test-secret-of-at-least-32-chars',
      mail: { smtpUrl: sink.url, ratePerSecond: 1_000, connections: 4, batchSize: 100 },
    },
  });
  rig.startWorker();
  rig.startWorker();
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await sink?.close();
});

it('the SMTP server dropping connections mid-send: no email lost', async () => {
  // This week's Edition of the feeds' Stories, approved.
  await queueIngest(rig);
  await settle(rig, 60_000);
  const config = loadConfig(rig.configFile);
  const week = weekDueAt(nextComposeAt(new Date(), config.schedule.compose), config.schedule.compose);
  await rig.jobs.add('compose', { week }, { jobId: jobIds.compose(week) });
  let editionId: string | undefined;
  while (!editionId) {
    await sleep(100);
    editionId = (await rig.db.query<{ id: string }>(`select id from editions where week = $1 and status = 'draft'`, [week]))[0]?.id;
  }
  await moveEdition(rig.db, editionId, 'approved', 'editor-a');
  await rig.db.query(
    `insert into subscribers (id, email, status, topics, consent, confirmed_at)
     select gen_random_uuid(), 'reader' || g || '@example.org', 'confirmed', '{}', 'test', now() from generate_series(1, $1::int) g`,
    [SUBSCRIBERS],
  );

  sink.dropAfterData = (message) => message % 10 === 3;
  await startSending(rig.db, config, rig.jobs, editionId, 'editor-a');
  const deadline = Date.now() + 150_000;
  let status = '';
  while (status !== 'sent' && Date.now() < deadline) {
    await sleep(250);
    status = (await rig.db.query<{ status: string }>('select status from editions where id = $1', [editionId]))[0]!.status;
  }
  const deliveries = await rig.db.query<{ status: string; n: number }>('select status, count(*)::int as n from deliveries where edition_id = $1 group by status', [editionId]);
  const received = [...sink.perRecipient.values()];
  const unique = received.length;
  const duplicates = received.reduce((sum, n) => sum + n - 1, 0);
  const byId = new Map<string, Set<string>>();
  for (const message of sink.messages) for (const to of message.to) byId.set(to, (byId.get(to) ?? new Set()).add(message.messageId ?? ''));
  const failed = (await rig.jobs.queue('send').getFailed(0, 100)).map((job) => `${job.id}: ${job.failedReason}`);
  report('SMTP server dropping connections mid-send', { jobsLost: failed.length, storiesDuplicated: null, emailsLost: SUBSCRIBERS - unique },
    `${sink.dropped} connections dropped after DATA; received ${sink.messages.length}, unique ${unique}, duplicates ${duplicates}; Deliveries ${JSON.stringify(Object.fromEntries(deliveries.map((d) => [d.status, d.n])))}, Edition ${status}`);
  expect(sink.dropped).toBeGreaterThan(10);
  expect(failed).toEqual([]);
  expect(status).toBe('sent');
  expect(unique).toBe(SUBSCRIBERS);
  expect([...byId.values()].every((ids) => ids.size === 1)).toBe(true);
}, 240_000);
