/**
 * Redis killed (SIGKILL) and started again while two workers ingest 40 feed
 * Sources. Redis keeps an append-only file synced on every write, as a
 * deployment must (docs/operating.md); the workers reconnect by themselves. Afterwards
 * every ingest job completed, every Item is stored once and in a Story. Then
 * the same while they send an Edition to 600 Subscribers: everyone gets it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestStates, pipelineCounts, queueIngest, report, sendThroughFault, settle, sleep, startRig, type Rig } from './rig.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ sources: 40, articlesPerSource: 8, feedDelayMs: 300, mail: { ratePerSecond: 150 } });
}, 60_000);
afterAll(() => rig?.close());

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
  await sendThroughFault(rig, 'Redis SIGKILLed and restarted mid-send', 600, async () => {
    await rig.redis.kill();
    await sleep(2_000);
    await rig.redis.start();
  });
}, 200_000);
