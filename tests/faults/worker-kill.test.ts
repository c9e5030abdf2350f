/**
 * A worker SIGKILLed while it holds jobs (ingest and process jobs of 40 feed
 * Sources in flight), a new one started in its place. The killed worker stops
 * renewing its locks; after `redis.lockSeconds` the jobs are taken over as
 * stalled and run again, and since handlers re-read the store and job ids
 * are deterministic, running one twice adds nothing twice. Then the same
 * while they send an Edition to 600 Subscribers: everyone gets it, and only a
 * message in flight at the kill can go twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipelineCounts, queueIngest, report, sendThroughFault, settle, sleep, startRig, type Rig } from './rig.js';
import { QUEUE_NAMES } from '../../src/queue/jobs.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ sources: 40, articlesPerSource: 8, feedDelayMs: 300, mail: { ratePerSecond: 150 } });
}, 60_000);
afterAll(() => rig?.close());

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
  await sendThroughFault(rig, 'a worker SIGKILLed mid-send', 600, async () => {
    const victim = rig.workers[1]!;
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    rig.startWorker();
  });
}, 200_000);
