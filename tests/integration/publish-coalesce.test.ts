/**
 * Publishing coalesces without dropping the last change, on the embedded store
 * and on PostgreSQL: the embedded run publishes once, after every process job;
 * deployed, each change queues a publish of its own id, the first to run
 * renders everything stored by then and the others write nothing; a change
 * made after a publish is published by its own; `newsdesk publish` always renders.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { queuePublish } from '../../src/publish/changes.js';
import { InlineJobs } from '../../src/queue/inline.js';
import type { AddOptions, JobPayloads, JobSink, QueueName } from '../../src/queue/jobs.js';
import { jobDeps, openRuntime, type Runtime } from '../../src/runtime.js';
import { publishMarks } from '../../src/store/publish-marks.js';
import { handlers } from '../../workers/handlers.js';
import type { PublishResult } from '../../src/queue/results.js';
import { publishFeeds } from '../../src/publish/publish-feeds.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Keeps the jobs queued, as a BullMQ queue would, without running them. */
class RecordingSink implements JobSink {
  readonly added: { queue: QueueName; payload: unknown; options?: AddOptions }[] = [];
  async add<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options?: AddOptions): Promise<void> {
    this.added.push({ queue, payload, options });
  }
}

describe.each(['pglite', 'postgres'] as const)('publishing after changes (%s)', (store) => {
  let config: Config;
  let runtime: Runtime;

  beforeAll(async () => {
    config = await sampleConfig(store, cleanups);
    runtime = await openRuntime(config, log);
    cleanups.push(() => runtime.close());
  });

  it('publishes once in the embedded run, after every process job, however many queued a publish', async () => {
    const jobs = new InlineJobs(new Set(['ingest', 'process', 'publish']));
    await jobs.add('ingest', { sourceId: 'archive' });
    // Two more process jobs (as a re-tag queues): three changes, each queueing a publish.
    await jobs.add('process', { itemIds: [] });
    await jobs.add('process', { itemIds: [] });
    const records = await jobs.drain(handlers(jobDeps(runtime, jobs)));
    expect(records.map((record) => record.error ?? record.queue)).toEqual(['ingest', 'process', 'process', 'process', 'publish']);
    expect(records.at(-1)!.result).toMatchObject({ coalesced: false, published: 3, entries: 45 });
    expect(await publishMarks(runtime.db)).toEqual({ changed: 3, published: 3 });
  });

  it('renders a burst of changes once, and the change after that publish in a publish of its own', async () => {
    const sink = new RecordingSink();
    const deps = jobDeps(runtime, sink);
    const burst = [await queuePublish(runtime.db, sink), await queuePublish(runtime.db, sink), await queuePublish(runtime.db, sink)];
    expect(burst).toEqual([4, 5, 6]);
    // One job per change, under ids never used before (a finished job keeps its id for a day).
    const ids = sink.added.map((job) => job.options?.jobId);
    expect(new Set(ids).size).toBe(3);
    expect(sink.added.map((job) => job.payload)).toEqual(burst.map((change) => ({ change })));

    const results: PublishResult[] = [];
    for (const change of burst) results.push(await publishFeeds({ change }, deps));
    expect(results.map((result) => [result.coalesced, result.published])).toEqual([[false, 6], [true, 6], [true, 6]]);
    expect(results[1]!.written).toEqual([]);

    // A Story changes after that publish: its own publish shows it.
    await runtime.db.query(`update items set title = 'A title changed after the publish'
      where id = (select representative_item_id from stories order by id limit 1)`);
    const change = await queuePublish(runtime.db, sink);
    const after = await publishFeeds({ change }, deps);
    expect(after).toMatchObject({ coalesced: false, published: 7 });
    expect(after.written).toContain(path.join(config.output, 'feed.xml'));
    expect(readFileSync(path.join(config.output, 'feed.xml'), 'utf8')).toContain('A title changed after the publish');

    // `newsdesk publish` (no change named) renders whatever is published already.
    const forced = await publishFeeds({}, deps);
    expect(forced).toMatchObject({ coalesced: false, published: 7, written: [] });
    expect(forced.unchanged).toContain(path.join(config.output, 'feed.xml'));
  });
});
