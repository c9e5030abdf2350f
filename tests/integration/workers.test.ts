/**
 * The deployed mode on real Redis and PostgreSQL: the same handlers as the
 * embedded run, run by BullMQ workers. One ingest job for the sample archive
 * is queued; the worker runs it, and the process and publish jobs it queues,
 * to the same 45 Stories and Feeds as `npm start`.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailedJobs, listFailedJobs, retryJob } from '../../src/cli/jobs.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { BullJobs, bullJobId, redisConnection } from '../../src/queue/bullmq.js';
import { COMPOSE_SCHEDULER, SEND_DUE_SCHEDULER, syncSchedulers } from '../../src/queue/schedules.js';
import { nextComposeAt, weekInProgress } from '../../src/week.js';
import { jobIds, QUEUE_NAMES } from '../../src/queue/jobs.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { countStories } from '../../src/store/stories.js';
import { startWorkers, type RunningWorkers } from '../../workers/main.js';
import { sampleConfig } from '../helpers/sample-config.js';

const REDIS_URL = process.env.NEWSDESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function settled(jobs: BullJobs, timeoutMs: number): Promise<Record<string, Record<string, number>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = Object.fromEntries(await Promise.all(QUEUE_NAMES.map(async (name) => [name, await jobs.queue(name).getJobCounts()] as const)));
    const busy = Object.values(counts).some((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) > 0);
    if (!busy && (counts.publish?.completed ?? 0) > 0) return counts;
    if (Date.now() > deadline) throw new Error(`queues did not settle: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('BullMQ workers on Redis and PostgreSQL', () => {
  let config: Config;
  let runtime: Runtime;
  let workers: RunningWorkers;
  const prefix = `test-${randomUUID()}`;

  beforeAll(async () => {
    const sample = await sampleConfig('postgres', cleanups);
    // The editors' taxonomy file: a copy this test may edit while the workers run.
    const topics = path.join(sample.folder, 'topics.yaml');
    copyFileSync(sample.topics!, topics);
    config = { ...sample, topics, redis: { url: REDIS_URL, prefix, lockSeconds: 30 } };
    runtime = await openRuntime(config, createLogger({ level: 'silent' }));
    cleanups.push(() => runtime.close());
    workers = startWorkers(runtime, { redisUrl: REDIS_URL, prefix, concurrency: 2 });
    cleanups.push(async () => {
      await workers.close();
      // Leave nothing behind on the shared Redis.
      const admin = redisConnection(REDIS_URL);
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      admin.disconnect();
    });
  });

  it('run ingest, process and publish through the queues to the same 45 Stories as the embedded run', async () => {
    // The same job twice (two schedulers firing for one slot) is one job.
    await workers.jobs.add('ingest', { sourceId: 'archive' }, { jobId: jobIds.ingest('archive', 1) });
    await workers.jobs.add('ingest', { sourceId: 'archive' }, { jobId: jobIds.ingest('archive', 1) });

    const counts = await settled(workers.jobs, 60_000);
    expect(counts.ingest).toMatchObject({ completed: 1, failed: 0 });
    expect(counts.process!.completed).toBeGreaterThanOrEqual(1);
    expect(counts.process!.failed).toBe(0);
    expect(counts.publish!.failed).toBe(0);

    const ingest = await workers.jobs.queue('ingest').getJob(bullJobId(jobIds.ingest('archive', 1)));
    expect(ingest?.returnvalue).toMatchObject({ sourceId: 'archive', items: { new: 45 } });
    expect(await countStories(runtime.db)).toBe(45);
    expect(existsSync(path.join(config.output, 'feed.xml'))).toBe(true);
  });

  it('composes the week\'s Edition on the compose queue, once per deterministic job id', async () => {
    const week = weekInProgress(new Date(), config.schedule.compose);
    await workers.jobs.add('compose', { week }, { jobId: jobIds.compose(week) });
    await workers.jobs.add('compose', { week }, { jobId: jobIds.compose(week) });
    const job = async () => workers.jobs.queue('compose').getJob(bullJobId(jobIds.compose(week)));
    const result = await until(async () => (await job())?.returnvalue ?? undefined, 20_000);
    expect(result).toMatchObject({ editionId: week, status: 'draft', outcome: 'composed', candidates: 45 });
    expect(await workers.jobs.queue('compose').getJobCounts('completed', 'failed')).toEqual({ completed: 1, failed: 0 });
    const [edition] = await runtime.db.query<{ status: string; stories: number }>(
      'select status, (select count(*)::int from edition_stories where edition_id = $1) as stories from editions where id = $1',
      [week],
    );
    expect(edition).toEqual({ status: 'draft', stories: result.stories });
  });

  it('tags with the taxonomy as editors left it, read again by the running workers', async () => {
    const [most] = await runtime.db.query<{ slug: string }>('select slug from story_topics group by slug order by count(*) desc, slug limit 1');
    const dropped = most!.slug;
    const taxonomy = parseYaml(readFileSync(config.topics!, 'utf8')) as { topics: { slug: string }[] };
    taxonomy.topics = taxonomy.topics.filter((topic) => topic.slug !== dropped);
    writeFileSync(config.topics!, stringifyYaml(taxonomy));

    await workers.jobs.add('process', { itemIds: [] }, { jobId: 'retag-after-edit' });
    const result = await until(async () => (await workers.jobs.queue('process').getJob('retag-after-edit'))?.returnvalue ?? undefined, 30_000);
    expect(result).toMatchObject({ tagged: 45 });
    const [left] = await runtime.db.query<{ count: number }>('select count(*)::int as count from story_topics where slug = $1', [dropped]);
    expect(left!.count).toBe(0);
  });

  it('keeps a job that fails for good (no retries), lists it with why, and sends it back on `jobs retry`', async () => {
    const id = bullJobId(jobIds.ingest('nowhere', 1));
    await workers.jobs.add('ingest', { sourceId: 'nowhere' }, { jobId: jobIds.ingest('nowhere', 1) });
    const failedOnce = await until(async () => (await workers.jobs.queue('ingest').getJob(id))?.finishedOn, 20_000);

    const failed = await listFailedJobs(config, { limit: 10, prefix });
    expect(failed).toEqual([expect.objectContaining({ queue: 'ingest', id, attempts: 1, payload: { sourceId: 'nowhere' } })]);
    expect(failed[0]!.reason).toContain('unknown Source "nowhere"');
    expect(formatFailedJobs(failed)).toContain(id);

    expect(await retryJob(config, id, { prefix })).toBe(`job ${id} sent back to ingest`);
    // It ran again (and, the Source still being unknown, failed again).
    await until(async () => {
      const job = await workers.jobs.queue('ingest').getJob(id);
      return job && (await job.getState()) === 'failed' && job.finishedOn! > failedOnce ? true : undefined;
    }, 20_000);

    await expect(retryJob(config, bullJobId(jobIds.ingest('archive', 1)), { prefix })).rejects.toThrow(/is completed, not failed/);
    await expect(retryJob(config, 'ingest-none-0', { prefix })).rejects.toThrow(/no job "ingest-none-0"/);
  });

  it('skips a scheduled read while the Source is not due', async () => {
    const later = new Date(Date.now() + 3_600_000);
    await runtime.db.query("update sources set next_fetch_at = $1 where id = 'archive'", [later]);
    await workers.jobs.add('ingest', { sourceId: 'archive', whenDue: true }, { jobId: jobIds.ingest('archive', 2) });
    const id = bullJobId(jobIds.ingest('archive', 2));
    const result = await until(async () => (await workers.jobs.queue('ingest').getJob(id))?.returnvalue ?? undefined, 20_000);
    expect(result).toMatchObject({ sourceId: 'archive', documents: 0, notDueUntil: later.toISOString() });
    await runtime.db.query("update sources set next_fetch_at = null where id = 'archive'");
  });

  it('syncs one job scheduler per enabled Source from the config; a changed config updates and removes them', async () => {
    // Queues of their own, with no worker: the schedulers' first jobs just wait there.
    const own = `test-${randomUUID()}`;
    const connection = redisConnection(REDIS_URL);
    const jobs = new BullJobs(connection, own);
    try {
      const archive = config.sources[0]!;
      const sources = [archive, { ...archive, id: 'second', everyMinutes: 30 }, { ...archive, id: 'off', enabled: false }];
      const seoulMondays = { day: 'monday', time: '07:00', timezone: 'Asia/Seoul' } as const;
      const first = await syncSchedulers(jobs, { sources, schedule: { ...config.schedule, ingestEveryMinutes: 60, compose: seoulMondays } });
      expect(first).toMatchObject({ scheduled: { 'ingest-source-archive': 60, 'ingest-source-second': 30 }, removed: [] });
      // The weekly compose fires at the configured local time: its next run is the next Monday 07:00 in Seoul.
      const composeScheduler = async () => (await jobs.queue('compose').getJobSchedulers())[0];
      expect(await composeScheduler()).toMatchObject({ key: COMPOSE_SCHEDULER, pattern: '0 7 * * 1', tz: 'Asia/Seoul' });
      expect((await composeScheduler())!.next).toBe(nextComposeAt(new Date(), seoulMondays).getTime());
      // And a tick a minute that starts sending the approved Editions whose send time has come.
      expect(await jobs.queue('send').getJobSchedulers()).toEqual([expect.objectContaining({ key: SEND_DUE_SCHEDULER, every: 60_000, template: expect.objectContaining({ data: { due: true } }) })]);
      const stored = async () => Object.fromEntries((await jobs.queue('ingest').getJobSchedulers()).map((s) => [s.key, s.every]));
      expect(await stored()).toEqual({ 'ingest-source-archive': 3_600_000, 'ingest-source-second': 1_800_000 });

      const londonFridays = { day: 'friday', time: '18:30', timezone: 'Europe/London' } as const;
      const second = await syncSchedulers(jobs, { sources: [archive], schedule: { ...config.schedule, ingestEveryMinutes: 15, compose: londonFridays } });
      expect(second).toMatchObject({ scheduled: { 'ingest-source-archive': 15 }, removed: ['ingest-source-second'] });
      expect(await composeScheduler()).toMatchObject({ pattern: '30 18 * * 5', tz: 'Europe/London', next: nextComposeAt(new Date(), londonFridays).getTime() });
      expect(await jobs.queue('compose').getJobSchedulersCount()).toBe(1);
      expect(await stored()).toEqual({ 'ingest-source-archive': 900_000 });
      const [scheduler] = await jobs.queue('ingest').getJobSchedulers();
      expect(scheduler?.template?.data).toEqual({ sourceId: 'archive', whenDue: true });
    } finally {
      await jobs.close();
      const keys = await connection.keys(`${own}:*`);
      if (keys.length > 0) await connection.del(...keys);
      connection.disconnect();
    }
  });

  it('write DESIGN.md job ids in a form BullMQ accepts, one to one', () => {
    expect(bullJobId(jobIds.ingest('nk-news', 29_000_000))).toBe('ingest-nk-news-29000000');
    expect(bullJobId(jobIds.publish('3f2a9c01', 17))).toBe('publish-3f2a9c01-17');
  });
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
