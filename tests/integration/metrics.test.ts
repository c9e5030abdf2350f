/**
 * Observability on real Redis and PostgreSQL. A worker's /metrics counts what
 * its jobs did and agrees with the store (fetches by outcome, Items, Stories)
 * and with BullMQ (jobs per queue). `newsdesk serve`'s /metrics reports the
 * depth of every queue, and the queue dashboard answers only behind the admin
 * token or to a logged-in editor.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSchema } from '../../src/config-sources.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { listenMetrics } from '../../src/metrics.js';
import { BullJobs, redisConnection } from '../../src/queue/bullmq.js';
import { jobIds, QUEUE_NAMES } from '../../src/queue/jobs.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addEditor } from '../../src/store/editors.js';
import { testPasswordHash } from '../helpers/passwords.js';
import { buildServer } from '../../src/web/server.js';
import { startWorkers } from '../../workers/main.js';
import { rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { newsGenerator } from '../helpers/news-generator.js';
import { REDIS_URL, testQueuePrefix } from '../helpers/redis.js';
import { sampleConfig } from '../helpers/sample-config.js';

const TOKEN = `token-${randomUUID()}`;
const generator = newsGenerator(777);
const cleanups: (() => Promise<void>)[] = [];
let runtime: Runtime;

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});


/** One sample of Prometheus text by name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const same = Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v);
    if (same) return Number(match[3]);
  }
  return undefined;
}

/** Until `ingests` ingest jobs have finished, the jobs they queued too, and Feeds were published. */
async function settled(jobs: BullJobs, ingests: number): Promise<Record<string, Record<string, number>>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const counts = Object.fromEntries(await Promise.all(QUEUE_NAMES.map(async (name) => [name, await jobs.queue(name).getJobCounts()] as const)));
    const busy = Object.values(counts).some((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) > 0);
    const finished = (counts.ingest?.completed ?? 0) + (counts.ingest?.failed ?? 0);
    if (!busy && finished >= ingests && (counts.publish?.completed ?? 0) > 0) return counts;
    if (Date.now() > deadline) throw new Error(`queues did not settle: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A server as `newsdesk serve` builds it, on this file's store, with the given Redis prefix and admin token. */
async function serve(redis: Partial<Config['redis']>, admin: Config['admin']): Promise<string> {
  const app: FastifyInstance = buildServer({ ...runtime, config: { ...runtime.config, redis: { ...runtime.config.redis, ...redis }, admin } });
  cleanups.push(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

beforeAll(async () => {
  const feeds = await startFeedServer((f, base) => rssFeed(`Outlet ${f}`, base, [0, 1, 2].map((j) => ({ guid: `o${f}-${j}`, ...generator.articleAt(f * 10 + j) })), new Date(Date.UTC(2026, 10, 20))));
  cleanups.push(feeds.close);
  const base = await sampleConfig('postgres', cleanups);
  const feed = (id: string, url: string) => sourceSchema.parse({ id, kind: 'feed', name: id, url, allowAddresses: ['127.0.0.1'] });
  const config: Config = {
    ...base,
    fetch: { ...base.fetch, hostGapSeconds: 0 },
    sources: [base.sources[0]!, feed('outlet-1', `${feeds.base}/feed/1.xml`), feed('outlet-gone', `${feeds.base}/missing.xml`)],
  };
  runtime = await openRuntime(config, createLogger({ level: 'silent' }));
  cleanups.push(() => runtime.close());
});

describe('a worker\'s /metrics', () => {
  it('counts fetches by outcome, Items and Stories as the store holds them, and times every job per queue', async () => {
    const prefix = testQueuePrefix(cleanups);
    const workers = startWorkers(runtime, { redisUrl: REDIS_URL, prefix, concurrency: 2 });
    const listener = await listenMetrics(workers.metrics.registry, { port: 0, host: '127.0.0.1' });
    cleanups.push(async () => {
      await listener.close();
      await workers.close();
    });

    for (const sourceId of ['archive', 'outlet-1', 'outlet-gone', 'nowhere']) await workers.jobs.add('ingest', { sourceId }, { jobId: jobIds.ingest(sourceId, 1) });
    await settled(workers.jobs, 4);
    // Read again: the same Items, nothing new to process.
    await workers.jobs.add('ingest', { sourceId: 'outlet-1' }, { jobId: jobIds.ingest('outlet-1', 2) });
    const counts = await settled(workers.jobs, 5);

    const response = await fetch(listener.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();

    // Fetches: what the store's fetches table holds, by outcome; the archive (read from disk) is no fetch.
    const fetches = await runtime.db.query<{ status: string; n: number }>('select status, count(*)::int as n from fetches group by status');
    expect(Object.fromEntries(fetches.map((row) => [row.status, row.n]))).toEqual({ ok: 2, 'http-4xx': 1 });
    for (const { status, n } of fetches) expect(sample(text, 'newsdesk_fetches_total', { outcome: status }), status).toBe(n);
    expect(sample(text, 'newsdesk_fetches_total', { outcome: 'local' })).toBeUndefined();

    const [store] = await runtime.db.query<{ items: number; stories: number }>('select (select count(*)::int from items) as items, (select count(*)::int from stories) as stories');
    expect(store!.items).toBe(48);
    // With the queues' counts: seen once (stories 45 of 48) under load, where a job that failed after committing would explain it.
    expect(sample(text, 'newsdesk_items_created_total'), JSON.stringify(counts)).toBe(store!.items);
    expect(sample(text, 'newsdesk_stories_created_total'), JSON.stringify(counts)).toBe(store!.stories);

    // One observation per job attempt: as many as BullMQ counts per queue and state (the unknown Source fails for good).
    expect(counts.ingest).toMatchObject({ completed: 4, failed: 1 });
    for (const queue of QUEUE_NAMES) {
      for (const status of ['completed', 'failed'] as const) {
        const expected = counts[queue]![status] || undefined;
        expect(sample(text, 'newsdesk_job_duration_seconds_count', { queue, status }), `${queue} ${status}`).toBe(expected);
      }
    }
    expect(sample(text, 'newsdesk_job_duration_seconds_bucket', { le: '+Inf', queue: 'ingest', status: 'completed' })).toBe(4);
    // Time in each step of the pipeline, by the queue whose jobs spent it: within the jobs' own time.
    for (const [queue, stage] of [['ingest', 'fetch'], ['ingest', 'parse'], ['ingest', 'store'], ['ingest', 'queue'], ['process', 'dedupe'], ['process', 'tag'], ['process', 'queue'], ['publish', 'publish']]) {
      expect(sample(text, 'newsdesk_stage_seconds_total', { queue: queue!, stage: stage! }), `${queue} ${stage}`).toBeGreaterThan(0);
    }
    for (const queue of ['ingest', 'process', 'publish']) {
      const stages = text.split('\n').filter((line) => line.startsWith(`newsdesk_stage_seconds_total{queue="${queue}"`)).map((line) => Number(line.split(' ').pop()));
      expect(stages.reduce((a, b) => a + b, 0), queue).toBeLessThanOrEqual(sample(text, 'newsdesk_job_duration_seconds_sum', { queue, status: 'completed' })!);
    }
    expect(sample(text, 'newsdesk_stage_seconds_total', { queue: 'ingest', stage: 'dedupe' })).toBeUndefined();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // Queue depths come from `newsdesk serve` only: every worker reporting them would multiply any sum.
    expect(text).not.toContain('newsdesk_queue_jobs');
  });
});

describe('newsdesk serve: /metrics and the queue dashboard', () => {
  // A prefix no worker takes jobs from: whatever is added stays where it is.
  const prefix = testQueuePrefix(cleanups);
  let withoutToken: string;
  let withToken: string;

  beforeAll(async () => {
    const jobs = new BullJobs(redisConnection(REDIS_URL), prefix);
    for (let n = 0; n < 3; n += 1) await jobs.add('ingest', { sourceId: `s${n}` });
    await jobs.add('process', { itemIds: ['x'] });
    await jobs.queue('publish').add('publish', {}, { delay: 3_600_000 });
    await jobs.close();
    withoutToken = await serve({ url: REDIS_URL, prefix }, {});
    withToken = await serve({ url: REDIS_URL, prefix }, { token: TOKEN });
  });

  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  /** The page's scripts and styles (addressed relative to its `<base href="/admin/queues/">`). */
  const dashboardAssets = async () => {
    const page = await (await fetch(`${withToken}/admin/queues`, { headers: basic('admin', TOKEN) })).text();
    return [...page.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => `/admin/queues/${m[1]!}`);
  };

  it('reports the jobs on every queue by state, and the process metrics', async () => {
    const response = await fetch(`${withoutToken}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    const depth = (queue: string, state: string) => sample(text, 'newsdesk_queue_jobs', { queue, state });
    expect(depth('ingest', 'waiting')).toBe(3);
    expect(depth('process', 'waiting')).toBe(1);
    expect(depth('publish', 'delayed')).toBe(1);
    expect(depth('publish', 'waiting')).toBe(0);
    for (const queue of QUEUE_NAMES) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized']) expect(depth(queue, state), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).not.toContain('newsdesk_fetches_total');
    expect(await (await fetch(`${withoutToken}/readyz`)).json()).toMatchObject({ ready: true, checks: { database: 'ok', redis: 'ok' } });
  });

  it('opens the dashboard to a logged-in editor; without a token, to nobody else', async () => {
    await addEditor(runtime.db, { email: 'ops@example.org', name: 'Ops', passwordHash: await testPasswordHash('a long enough password') });
    const login = await fetch(`${withoutToken}/login`, { method: 'POST', body: new URLSearchParams({ email: 'ops@example.org', password: 'a long enough password' }), redirect: 'manual' });
    expect(login.status).toBe(303);
    const session = { cookie: login.headers.getSetCookie()[0]!.split(';')[0]! };
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await fetch(`${withoutToken}${path}`, { headers: basic('admin', TOKEN) })).status, path).toBe(401);
      const response = await fetch(`${withoutToken}${path}`, { headers: session });
      expect(response.status, path).toBe(200);
      await response.arrayBuffer();
    }
    // A browser without a session is sent to log in, and comes back after.
    const browser = await fetch(`${withoutToken}/admin/queues`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/login?next=%2Fadmin%2Fqueues');
    // A change with the session must come from our own pages (its Origin): the dashboard's API carries no CSRF token.
    const resume = (headers: Record<string, string>) => fetch(`${withoutToken}/admin/queues/api/queues/ingest/resume`, { method: 'PUT', headers: { ...session, ...headers } });
    expect((await resume({})).status).toBe(401);
    expect((await resume({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await resume({ origin: withoutToken })).status).toBe(200);
  });

  it('asks for the token on every dashboard address, and refuses a wrong one', async () => {
    const assets = await dashboardAssets();
    expect(assets.length).toBeGreaterThan(0);
    const paths = ['/admin/queues', '/admin/queues/', '/admin/queues/queue/ingest', '/admin/queues/api/queues', '/admin/queues/api/redis/stats', '/admin/queues/no-such-page', ...assets];
    for (const path of paths) {
      for (const headers of [{}, basic('admin', 'wrong'), basic('admin', `${TOKEN.slice(0, -1)}x`), basic(TOKEN, ''), { authorization: `Bearer ${TOKEN}` }]) {
        const response = await fetch(`${withToken}${path}`, { headers });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="newsdesk admin"');
        expect(await response.text()).not.toContain(TOKEN);
      }
    }
    const pause = await fetch(`${withToken}/admin/queues/api/queues/ingest/pause`, { method: 'PUT' });
    expect(pause.status).toBe(401);
  });

  it('opens the dashboard, its assets and its API with the token as the password, any user name', async () => {
    const page = await fetch(`${withToken}/admin/queues`, { headers: basic('anyone', TOKEN) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<base href="/admin/queues/"');
    for (const asset of await dashboardAssets()) {
      const response = await fetch(`${withToken}${asset}`, { headers: basic('', TOKEN) });
      expect(response.status, asset).toBe(200);
      // Read to the end: a streamed file left unread keeps its connection busy, and the server's close waits for it.
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }

    const api = await fetch(`${withToken}/admin/queues/api/queues`, { headers: basic('editor', TOKEN) });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(queues.map((queue) => queue.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(queues.find((queue) => queue.name === 'ingest')!.counts).toMatchObject({ waiting: 3 });
    // With the token too, a change sent by another site's page (a browser with the credentials cached) is refused.
    const pause = (headers: Record<string, string>) => fetch(`${withToken}/admin/queues/api/queues/publish/pause`, { method: 'PUT', headers: { ...basic('', TOKEN), ...headers } });
    const jobs = new BullJobs(redisConnection(REDIS_URL), prefix);
    const crossSite = await pause({ origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await jobs.queue('publish').isPaused()).toBe(false);
    expect((await pause({})).status).toBe(200);
    expect(await jobs.queue('publish').isPaused()).toBe(true);
    await jobs.queue('publish').resume();
    await jobs.close();
    // The Feed catch-all still answers outside the dashboard.
    expect((await fetch(`${withToken}/admin/other`)).status).toBe(404);
  });
});
