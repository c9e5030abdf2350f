import { describe, expect, it } from 'vitest';
import { InlineJobs, type Handlers } from '../../../src/queue/inline.js';

/** Handlers that record what ran instead of returning a queue's result: the scheduling is what is tested. */
const recording = (handlers: { [Q in keyof Handlers]: (payload: Parameters<Handlers[Q]>[0]) => Promise<unknown> }) => handlers as unknown as Handlers;

describe('InlineJobs', () => {
  it('runs jobs and the jobs they queue, in order, once per job id', async () => {
    const jobs = new InlineJobs(new Set(['ingest', 'process', 'publish']));
    const ran: string[] = [];
    const handlers = recording({
      ingest: async ({ sourceId }) => {
        ran.push(`ingest ${sourceId}`);
        await jobs.add('process', { itemIds: [sourceId] });
      },
      process: async ({ itemIds }) => {
        ran.push(`process ${itemIds.join()}`);
        await jobs.add('publish', {}, { jobId: 'publish:once' });
      },
      publish: async () => {
        ran.push('publish');
      },
      compose: async () => {
        ran.push('compose');
      },
      send: async () => {
        ran.push('send');
      },
    });
    await jobs.add('ingest', { sourceId: 'a' });
    await jobs.add('ingest', { sourceId: 'b' });
    await jobs.drain(handlers);
    expect(ran).toEqual(['ingest a', 'ingest b', 'process a', 'process b', 'publish']);
  });

  it('queues a debounced job once while one of its queue waits, which runs with the newest payload', async () => {
    const jobs = new InlineJobs(new Set(['process', 'publish']));
    const ran: string[] = [];
    const handlers = recording({
      ingest: async () => undefined,
      process: async ({ itemIds }) => {
        ran.push(`process ${itemIds.join()}`);
        await jobs.add('publish', { change: ran.length }, { jobId: `publish:${ran.length}`, debounceMs: 1_000 });
      },
      publish: async ({ change }) => {
        ran.push(`publish ${change}`);
        // Queued while this one runs: a job of its own, after it.
        if (change === 3) await jobs.add('publish', { change: 9 }, { jobId: 'publish:9', debounceMs: 1_000 });
      },
      compose: async () => undefined,
      send: async () => undefined,
    });
    for (const item of ['a', 'b', 'c']) await jobs.add('process', { itemIds: [item] });
    await jobs.drain(handlers);
    expect(ran).toEqual(['process a', 'process b', 'process c', 'publish 3', 'publish 9']);
  });

  it('records a failing job and goes on with the rest', async () => {
    const jobs = new InlineJobs(new Set(['ingest']));
    await jobs.add('ingest', { sourceId: 'bad' });
    await jobs.add('ingest', { sourceId: 'good' });
    const records = await jobs.drain(
      recording({
        ingest: async ({ sourceId }) => {
          if (sourceId === 'bad') throw new Error('ingest: bad: unreachable');
          return sourceId;
        },
        process: async () => undefined,
        publish: async () => undefined,
        compose: async () => undefined,
        send: async () => undefined,
      }),
    );
    expect(records.map((r) => [r.error ?? null, r.result ?? null])).toEqual([
      ['ingest: bad: unreachable', null],
      [null, 'good'],
    ]);
  });

  it('drops jobs for queues this run does not execute', async () => {
    const jobs = new InlineJobs(new Set(['ingest', 'process']));
    await jobs.add('publish', {});
    expect(await jobs.drain(recording({ ingest: async () => 1, process: async () => 2, publish: async () => 3, compose: async () => 4, send: async () => 5 }))).toEqual([]);
  });
});
