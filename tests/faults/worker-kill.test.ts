/**
 * A worker SIGKILLed while it holds jobs (ingest and process jobs of 40 feed
 * Sources in flight), a new one started in its place. The killed worker stops
 * renewing its locks; after `redis.lockSeconds` the jobs are taken over as
 * stalled and run again, and since handlers re-read the store and job ids
 * are deterministic, running one twice adds nothing twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSending } from '../../src/mail/sending.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { QUEUE_NAMES } from '../../src/queue/bullmq.js';
import { approvedEdition, emailCounts, pipelineCounts, queueIngest, report, sentWithin, settle, sleep, startRig, type Rig } from './rig.js';

const SUBSCRIBERS = 600;
let rig: Rig;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ keepRaw: false });
  rig = await startRig({
    sources: 40,
    articlesPerSource: 8,
    feedDelayMs: 300,
    smtpUrl: sink.url,
    // Slow enough that the fault lands while batches are being sent.
    config: { mail: { smtpUrl: sink.url, ratePerSecond: 150, connections: 4, batchSize: 100 } },
  });
  rig.startWorker();
  rig.startWorker();
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await sink?.close();
});

it('a worker SIGKILLed mid-job: no job lost, no Story doubled', async () => {
  await queueIngest(rig);
  // Kill the first worker while jobs are active and Stories are being made.
  let active = 0;
  let stories = 0;
  while (active < 2 || stories < 10) {
    await sleep(50);
    active = (await rig.jobs.queue('ingest').getActiveCount()) + (await rig.jobs.queue('process').getActiveCount());
    stories = (await rig.db.query<{ n: number }>('select count(*)::int as n from stories'))[0]!.n;
  }
  const victim = rig.workers[0]!;
  victim.kill('SIGKILL');
  await new Promise((resolve) => victim.once('exit', resolve));
  rig.startWorker();

  const states = await settle(rig, 150_000);
  const counts = await pipelineCounts(rig, states);
  let takenOver = 0;
  for (const name of QUEUE_NAMES) for (const job of await rig.jobs.queue(name).getCompleted(0, 1000)) takenOver += job.stalledCounter > 0 ? 1 : 0;
  report('a worker SIGKILLed mid-job', { jobsLost: counts.jobsLost, storiesDuplicated: counts.storiesDuplicated, emailsLost: null },
    `${active} job(s) active at the kill, ${takenOver} taken over from the killed worker; Items lost ${counts.itemsLost}, doubled ${counts.itemsDuplicated}`);
  expect(counts.failed).toEqual([]);
  expect(counts).toMatchObject({ jobsLost: 0, itemsLost: 0, itemsDuplicated: 0, storiesDuplicated: 0 });
}, 200_000);

it('a worker SIGKILLed mid-send: no email lost, a duplicate only of a message in flight', async () => {
  const { editionId, config } = await approvedEdition(rig, SUBSCRIBERS);
  await startSending(rig.db, config, rig.jobs, editionId, 'editor-a');
  while (sink.messages.length < 100) await sleep(20);
  const before = sink.messages.length;
  const victim = rig.workers[1]!;
  victim.kill('SIGKILL');
  await new Promise((resolve) => victim.once('exit', resolve));
  rig.startWorker();

  const status = await sentWithin(rig, editionId, 150_000);
  const counts = await emailCounts(rig, sink, editionId, SUBSCRIBERS);
  report('a worker SIGKILLed mid-send', { jobsLost: counts.failedSendJobs.length, storiesDuplicated: null, emailsLost: counts.emailsLost },
    `after ${before} of ${SUBSCRIBERS} emails; received ${counts.received}, duplicates ${counts.duplicates}; Deliveries ${JSON.stringify(counts.deliveries)}, Edition ${status}`);
  expect(counts.failedSendJobs).toEqual([]);
  expect(status).toBe('sent');
  expect(counts).toMatchObject({ emailsLost: 0, oneMessageIdEach: true, deliveries: { sent: SUBSCRIBERS } });
  // Only messages in an SMTP transaction at the fault can go twice: 4 connections per send job, 2 jobs per worker.
  expect(counts.duplicates).toBeLessThanOrEqual(8);
}, 200_000);
