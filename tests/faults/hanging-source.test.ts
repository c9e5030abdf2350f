/**
 * Two Sources that never finish among 40 good ones: one whose server accepts
 * the connection and never answers, one that starts a feed and sends a byte
 * every half second for ever. Each fetch gives up at
 * `fetch.totalTimeoutSeconds`, each Source's job ends with the timeout in its
 * health history, and the other Sources are read meanwhile: one bad Source
 * never stops the others.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bullJobId } from '../../src/queue/bullmq.js';
import { jobIds } from '../../src/queue/jobs.js';
import { pipelineCounts, queueIngest, report, settle, startRig, type Rig } from './rig.js';

const STUCK = ['hanging', 'trickling'];
let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ sources: 40, articlesPerSource: 8, config: { fetch: { hostGapSeconds: 0, totalTimeoutSeconds: 3 } }, hangingSource: true });
}, 60_000);
afterAll(() => rig?.close());

it('Sources hanging forever: they time out, the others are read, no job lost', async () => {
  // The stuck Sources are queued first, so they hold worker slots while the others go by.
  await queueIngest(rig, [...STUCK, ...rig.sourceIds]);
  const started = Date.now();

  const states = await settle(rig, 120_000, [...STUCK, ...rig.sourceIds]);
  const stuck = STUCK.map((id) => states.get(id));
  for (const id of STUCK) states.delete(id);
  const counts = await pipelineCounts(rig, states);
  const fetches = await rig.db.query<{ sourceId: string; status: string; elapsedMs: number }>(
    `select distinct on (source_id) source_id as "sourceId", status, elapsed_ms as "elapsedMs" from fetches where source_id = any($1) order by source_id, at desc`,
    [STUCK],
  );
  const ended = await Promise.all(STUCK.map(async (id) => (await rig.jobs.queue('ingest').getJob(bullJobId(jobIds.ingest(id, 1))))?.finishedOn ?? null));
  const lost = stuck.filter((state) => state !== 'completed').length;
  report('two Sources hanging forever (silent, trickling)', { jobsLost: counts.jobsLost + lost, storiesDuplicated: counts.storiesDuplicated, emailsLost: null },
    `their jobs ${stuck.join(', ')} after ${ended.map((at) => (at ? at - started : '?')).join(' and ')} ms, fetches ` +
      `${fetches.map((f) => `${f.status} at ${f.elapsedMs} ms`).join(', ')}; the other 40 read, Items lost ${counts.itemsLost}`);
  expect(stuck).toEqual(['completed', 'completed']);
  expect(fetches.map((f) => f.status)).toEqual(['timeout', 'timeout']);
  expect(counts.failed).toEqual([]);
  expect(counts).toMatchObject({ jobsLost: 0, itemsLost: 0, itemsDuplicated: 0, storiesDuplicated: 0 });
}, 200_000);
