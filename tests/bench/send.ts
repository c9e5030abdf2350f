/**
 * Sending through the SMTP pool to a local sink: the samples' Edition to N
 * confirmed Subscribers (a third with Topic preferences: three preference
 * sets), on PostgreSQL, the send jobs in this process (`edition send`,
 * embedded), to smtp-server in a child process. Every message is the real one:
 * rendered per preference set, personal links filled in, its Delivery marked
 * `sending` (committed) before SMTP and `sent` after. Timed from the first
 * job to the Edition sent. listmonk's default settings top out near 100
 * messages/s; the target here is 200/s or more.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { runPipeline } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSending } from '../../src/mail/sending.js';
import { InlineJobs } from '../../src/queue/inline.js';
import { jobDeps, openRuntime } from '../../src/runtime.js';
import { deliveryReport } from '../../src/store/deliveries.js';
import { moveEdition } from '../../src/store/editions.js';
import { handlers } from '../../workers/handlers.js';
import { addManyReaders } from '../helpers/sending.js';

export interface SendBenchRow {
  connections: number;
  messages: number;
  received: number;
  seconds: number;
  renders: number;
}

export async function benchSend(options: { adminUrl: string; subscribers: number; connections: number[] }): Promise<SendBenchRow[]> {
  const sink = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/smtp-sink-main.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: sink.stdout! })[Symbol.asyncIterator]();
  const smtpUrl = String((await lines.next()).value);
  const log = createLogger({ level: 'silent' });
  const rows: SendBenchRow[] = [];
  let received = 0;
  try {
    for (const connections of options.connections) {
      const name = `newsdesk_sbench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: options.adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(options.adminUrl);
      url.pathname = `/${name}`;
      try {
        const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-sbench-'));
        const base = loadConfig('samples/newsdesk.yaml', { DATABASE_URL: url.toString(), NEWSDESK_OUTPUT: path.join(folder, 'out'), NEWSDESK_SMTP_URL: smtpUrl });
        const config = { ...base, mail: { ...base.mail, ratePerSecond: 100_000, connections, batchSize: 500 } };
        const editionId = (await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'compose'] })).edition!.editionId;
        const runtime = await openRuntime(config, log);
        try {
          await moveEdition(runtime.db, editionId, 'approved', 'bench');
          // One statement for all of them, a third with Topic preferences.
          await addManyReaders(runtime.db, options.subscribers, 'bench');
          const jobs = new InlineJobs(new Set(['send']));
          const started = performance.now();
          await startSending(runtime.db, config, jobs, editionId, 'bench');
          await jobs.drain(handlers(jobDeps(runtime, jobs)));
          const seconds = (performance.now() - started) / 1000;
          const report = (await deliveryReport(runtime.db, editionId))!;
          rows.push({ connections, messages: report.sent, received: 0, seconds, renders: runtime.mailer.get().renders.count });
        } finally {
          await runtime.close();
        }
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    }
  } finally {
    sink.stdin!.end();
    received = Number((await lines.next()).value);
    await once(sink, 'exit');
  }
  // The sink counts every message of every row: check it got what the store says was sent.
  const sent = rows.reduce((n, row) => n + row.messages, 0);
  for (const row of rows) row.received = received === sent ? row.messages : Number.NaN;
  return rows;
}
