/**
 * End to end through the queues: `sources` feed Sources of `perSource`
 * generated articles on a local HTTP server, read, deduped, tagged and
 * published by 1 or 2 `newsdesk worker` processes on Redis and PostgreSQL, next
 * to the embedded run (PGlite, in-process) on the same feeds. Timed from the
 * first ingest job queued (workers already up) until every Item is in a Story
 * and no job is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { stringify as stringifyYaml } from 'yaml';
import { runPipeline } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { BullJobs, QUEUE_NAMES, redisConnection } from '../../src/queue/bullmq.js';
import { jobIds } from '../../src/queue/jobs.js';
import { openPostgres } from '../../src/store/db.js';
import { rssFeed, startFeedServer } from '../helpers/feed-server.js';
import { newsGenerator } from '../helpers/news-generator.js';

export interface QueueBenchRow {
  mode: string;
  items: number;
  seconds: number;
}

const generator = newsGenerator(777);
const published = new Date(Date.UTC(2026, 10, 20, 9));

function writeConfig(folder: string, base: string, sources: number, database: { url: string }, redisUrl: string): string {
  const file = path.join(folder, 'newsdesk.yaml');
  writeFileSync(
    file,
    stringifyYaml({
      site: { title: 'Queue bench', url: 'https://news.example.org' },
      output: 'out',
      topics: path.resolve('samples/topics.yaml'),
      database: { url: database.url, dataDir: 'pglite' },
      redis: { url: redisUrl },
      fetch: { hostGapSeconds: 0 },
      sources: Array.from({ length: sources }, (_, f) => ({ id: `outlet-${f}`, kind: 'feed', name: `Outlet ${f}`, url: `${base}/feed/${f}.xml`, allowAddresses: ['127.0.0.1'] })),
    }),
  );
  return file;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('queue bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchQueues(options: { adminUrl: string; redisUrl: string; sources: number; perSource: number; workerCounts: number[] }): Promise<QueueBenchRow[]> {
  const { sources, perSource } = options;
  const server = await startFeedServer((f, base) =>
    rssFeed(`Outlet ${f}`, base, Array.from({ length: perSource }, (_, j) => {
      const article = generator.articleAt(f * perSource + j);
      return { guid: `s${f}-a${j}`, title: article.title, text: article.text };
    }), published),
  );
  const items = sources * perSource;
  const rows: QueueBenchRow[] = [];
  const log = createLogger({ level: 'silent' });
  try {
    // Embedded: the same feeds, PGlite, jobs in-process.
    const embedded = mkdtempSync(path.join(tmpdir(), 'newsdesk-qbench-'));
    const embeddedConfig = loadConfig(writeConfig(embedded, server.base, sources, { url: '' }, ''));
    let started = performance.now();
    await runPipeline(embeddedConfig, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    rows.push({ mode: 'embedded (PGlite, in-process)', items, seconds: (performance.now() - started) / 1000 });

    for (const count of options.workerCounts) {
      const name = `newsdesk_qbench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: options.adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(options.adminUrl);
      url.pathname = `/${name}`;
      const prefix = `bench-${randomUUID()}`;
      const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-qbench-'));
      const configFile = writeConfig(folder, server.base, sources, { url: url.toString() }, options.redisUrl);
      const connection = redisConnection(options.redisUrl);
      const jobs = new BullJobs(connection, prefix);
      const children: ChildProcess[] = [];
      const db = await openPostgres(url.toString());
      try {
        for (let i = 0; i < count; i += 1) {
          children.push(
            spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '-c', configFile, '--concurrency', '2'], {
              env: { ...process.env, NEWSDESK_QUEUE_PREFIX: prefix },
              stdio: 'ignore',
            }),
          );
        }
        // Up and listening on every queue (each worker also synced the Sources' schedulers).
        await waitFor(async () => (await jobs.queue('process').getWorkers()).length >= count, 60_000);
        const [{ n: before }] = (await db.query<{ n: number }>('select count(*)::int as n from story_items')) as [{ n: number }];
        started = performance.now();
        for (let f = 0; f < sources; f += 1) await jobs.add('ingest', { sourceId: `outlet-${f}` }, { jobId: jobIds.ingest(`outlet-${f}`, 1) });
        await waitFor(async () => {
          const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from story_items')) as [{ n: number }];
          if (n - before < items) return false;
          const counts = await Promise.all(QUEUE_NAMES.map((queue) => jobs.queue(queue).getJobCounts('waiting', 'active')));
          return counts.every((c) => (c.waiting ?? 0) + (c.active ?? 0) === 0);
        }, 180_000);
        rows.push({ mode: `${count} worker process${count > 1 ? 'es' : ''} (PostgreSQL, BullMQ)`, items, seconds: (performance.now() - started) / 1000 });
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
        await db.close();
        await jobs.close();
        const keys = await connection.keys(`${prefix}:*`);
        if (keys.length > 0) await connection.del(...keys);
        connection.disconnect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}
