/**
 * Sending through the SMTP pool to a local sink: the samples' Edition to N
 * confirmed Subscribers (a third with Topic preferences: three preference
 * sets), on PostgreSQL, the send jobs in this process (`edition send`,
 * embedded), to smtp-server in a child process. Every message is the real one:
 * rendered per preference set, personal links filled in, its Delivery marked
 * `sending` (committed) before SMTP and `sent` after. Each run has a database
 * of its own (the samples run into it, the Edition approved, the Subscribers
 * added), untimed; the time is from the first job to the Edition sent.
 * listmonk's default settings top out near 100 messages/s; the target here is
 * 200/s or more.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { runPipeline } from '../workers/embedded.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startSending } from '../src/mail/sending.js';
import { InlineJobs } from '../src/queue/inline.js';
import { jobDeps, openRuntime } from '../src/runtime.js';
import { deliveryReport } from '../src/store/deliveries.js';
import { moveEdition } from '../src/store/editions.js';
import { handlers } from '../workers/handlers.js';
import { addManyReaders } from '../tests/helpers/sending.js';
import { measureRuns, timed, type RunResult } from './measure.js';
import { watchBackends, watchBenchProcess, type MemoryFigure } from './memory.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, rowOrFailure, type BenchRow } from './table.js';

const log = createLogger({ level: 'silent' });

interface Sink {
  url: string;
  /** Messages the sink has received so far. */
  received(): Promise<number>;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink-main.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const url = String((await lines.next()).value);
  return {
    url,
    async received() {
      child.stdin!.write('count\n');
      return Number((await lines.next()).value);
    },
    async close() {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}

/** One send of the samples' Edition on a new database; messages/s, and what was sent. */
async function sendRun(plan: BenchPlan, sink: Sink, connections: number, sent: { messages: number; renders: number }): Promise<RunResult> {
  const name = `newsdesk_sbench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: plan.postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(plan.postgresUrl);
  url.pathname = `/${name}`;
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-sbench-'));
  try {
    const base = loadConfig('newsdesk.yaml', { DATABASE_URL: url.toString(), NEWSDESK_OUTPUT: path.join(folder, 'out'), NEWSDESK_SMTP_URL: sink.url });
    const config = { ...base, mail: { ...base.mail, ratePerSecond: 100_000, connections, batchSize: 500 } };
    const editionId = (await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'compose'] })).edition!.editionId;
    const runtime = await openRuntime(config, log);
    try {
      await moveEdition(runtime.db, editionId, 'approved', 'bench');
      // One statement for all of them, a third with Topic preferences.
      await addManyReaders(runtime.db, plan.send!.subscribers, 'bench');
      const jobs = new InlineJobs(new Set(['send']));
      // Memory while sending only: the setup (a run of the samples on PostgreSQL) is not what this row is about.
      const bench = watchBenchProcess();
      const backends = watchBackends(admin, name);
      let backendPeak: MemoryFigure | null = null;
      const { seconds } = await timed(async () => {
        try {
          await startSending(runtime.db, config, jobs, editionId, 'bench');
          await jobs.drain(handlers(jobDeps(runtime, jobs)));
        } finally {
          backendPeak = backends.stop();
        }
      });
      const memory = [bench.stop(), backendPeak];
      const report = (await deliveryReport(runtime.db, editionId))!;
      sent.messages += report.sent;
      sent.renders = runtime.mailer.get().renders.count;
      return { value: report.sent / seconds, memory };
    } finally {
      await runtime.close();
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function sendRows(plan: BenchPlan, add: (row: BenchRow) => void): Promise<void> {
  const { subscribers, connections: counts } = plan.send!;
  const sink = await startSink();
  try {
    for (const connections of counts) {
      const name = `send, ${connections} SMTP connection${connections === 1 ? '' : 's'}${connections === 4 ? ' (the default)' : ''}`;
      add(
        await rowOrFailure(name, async () => {
          const before = await sink.received();
          const sent = { messages: 0, renders: 0 };
          const measured = await measureRuns({ runs: plan.longRuns, warmUp: false, watches: () => [], once: () => sendRun(plan, sink, connections, sent) });
          // The sink counts every message: check it got what the store says was sent.
          const received = await sink.received();
          const check =
            received - before === sent.messages
              ? `the sink received all ${sent.messages.toLocaleString('en')} messages of the runs`
              : `${sent.messages} sent in the runs, the sink received ${received - before}`;
          return measuredRow(name, `${subscribers.toLocaleString('en')} Subscribers, ${sent.renders} renders`, 'messages/s', measured, `${check}; target 200/s`);
        }),
      );
    }
  } finally {
    await sink.close();
  }
}
