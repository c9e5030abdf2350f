/**
 * Redis killed (SIGKILL) and started again while two workers ingest 40 feed
 * Sources. Redis keeps an append-only file synced on every write, as a
 * deployment must (README); the workers reconnect by themselves. Afterwards
 * every ingest job completed, every Item is stored once and in a Story.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSending } from '../../src/mail/sending.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { approvedEdition, emailCounts, ingestStates, pipelineCounts, queueIngest, report, sentWithin, settle, sleep, startRig, type Rig } from './rig.js';

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

it('Redis restarted mid-ingest: no job lost, no Story doubled', async () => {
  await queueIngest(rig);
  // Once the ingest is under way (some Sources done, others in flight), kill Redis.
  while ([...(await ingestStates(rig)).values()].filter((s) => s === 'completed').length < 4) await sleep(50);
  const done = [...(await ingestStates(rig)).values()].filter((s) => s === 'completed').length;
  await rig.redis.kill();
  await sleep(2_000);
  await rig.redis.start();

  const states = await settle(rig, 120_000);
  const counts = await pipelineCounts(rig, states);
  report('Redis SIGKILLed and restarted mid-ingest', { jobsLost: counts.jobsLost, storiesDuplicated: counts.storiesDuplicated, emailsLost: null },
    `killed after ${done}/40 Sources, down 2 s; Items lost ${counts.itemsLost}, doubled ${counts.itemsDuplicated}`);
  expect(counts.failed).toEqual([]);
  expect(counts).toMatchObject({ jobsLost: 0, itemsLost: 0, itemsDuplicated: 0, storiesDuplicated: 0 });
  expect(rig.workers.every((w) => w.exitCode === null && w.signalCode === null)).toBe(true);
}, 180_000);

it('Redis SIGKILLed and restarted mid-send: no email lost, a duplicate only of a message in flight', async () => {
  const { editionId, config } = await approvedEdition(rig, SUBSCRIBERS);
  await startSending(rig.db, config, rig.jobs, editionId, 'editor-a');
  while (sink.messages.length < 100) await sleep(20);
  const before = sink.messages.length;
  await rig.redis.kill();
  await sleep(2_000);
  await rig.redis.start();

  const status = await sentWithin(rig, editionId, 150_000);
  const counts = await emailCounts(rig, sink, editionId, SUBSCRIBERS);
  report('Redis SIGKILLed and restarted mid-send', { jobsLost: counts.failedSendJobs.length, storiesDuplicated: null, emailsLost: counts.emailsLost },
    `after ${before} of ${SUBSCRIBERS} emails; received ${counts.received}, duplicates ${counts.duplicates}; Deliveries ${JSON.stringify(counts.deliveries)}, Edition ${status}`);
  expect(counts.failedSendJobs).toEqual([]);
  expect(status).toBe('sent');
  expect(counts).toMatchObject({ emailsLost: 0, oneMessageIdEach: true, deliveries: { sent: SUBSCRIBERS } });
  // Only messages in an SMTP transaction at the fault can go twice: 4 connections per send job, 2 jobs per worker.
  expect(counts.duplicates).toBeLessThanOrEqual(8);
}, 200_000);
