/**
 * PostgreSQL crashed (`pg_ctl stop -m immediate`: no checkpoint, every client
 * cut off) and started again 2 s later while two workers ingest and process 40 feed
 * Sources. Jobs that met the outage fail and BullMQ retries them with
 * backoff; dedupe decisions are transactions, so a cut one left nothing
 * behind. Afterwards every Item is stored once, in one Story.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipelineCounts, queueIngest, report, settle, sleep, startRig, type Rig } from './rig.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ sources: 40, articlesPerSource: 8, feedDelayMs: 300 });
}, 60_000);
afterAll(() => rig?.close());

it('PostgreSQL restarted mid-process: no job lost, no Story doubled', async () => {
  await queueIngest(rig);
  // Once process jobs are running (Stories are being made), crash the server.
  let stories = 0;
  while (stories < 20) {
    await sleep(50);
    stories = (await rig.db.query<{ n: number }>('select count(*)::int as n from stories'))[0]!.n;
  }
  rig.postgres.crash();
  await sleep(2_000);
  rig.postgres.start();

  const states = await settle(rig, 150_000);
  const counts = await pipelineCounts(rig, states);
  // The outage has to have hit jobs, or this test proves nothing.
  let retried = 0;
  for (const name of ['ingest', 'process', 'publish'] as const) retried += (await rig.jobs.queue(name).getCompleted(0, 1000)).filter((job) => job.attemptsMade > 1).length;
  report('PostgreSQL crashed and restarted mid-process', { jobsLost: counts.jobsLost, storiesDuplicated: counts.storiesDuplicated, emailsLost: null },
    `after ${stories} Stories, down 2 s; ${retried} job(s) retried after the outage; Items lost ${counts.itemsLost}, doubled ${counts.itemsDuplicated}`);
  expect(retried).toBeGreaterThan(0);
  expect(counts.failed).toEqual([]);
  expect(counts).toMatchObject({ jobsLost: 0, itemsLost: 0, itemsDuplicated: 0, storiesDuplicated: 0 });
  expect(rig.workers.every((w) => w.exitCode === null && w.signalCode === null)).toBe(true);
}, 200_000);
