/**
 * The sending invariant under crashes: `newsdesk edition send` (embedded jobs,
 * PostgreSQL) run as a child process and killed with SIGKILL at five random
 * moments while it sends an Edition to 2,000 Subscribers, restarted each time,
 * then let finish. An SMTP server in this process counts what each address
 * got. At the end everyone got the Edition; a kill can duplicate only the
 * message in the SMTP transaction at that moment (one connection here, so at
 * most one per kill), and a duplicate carries the same Message-ID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime } from '../../src/runtime.js';
import { deliveryReport } from '../../src/store/deliveries.js';
import { moveEdition } from '../../src/store/editions.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { addManyReaders } from '../helpers/sending.js';

const SUBSCRIBERS = 2_000;
const KILLS = 5;
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let sink: SmtpSink;
let configFile: string;
let env: NodeJS.ProcessEnv;
let editionId: string;
let config: Config & { folder: string };

beforeAll(async () => {
  sink = await startSmtpSink({ keepRaw: false });
  config = await sampleConfig('postgres', cleanups);
  editionId = (await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'compose'] })).edition!.editionId;
  const runtime = await openRuntime(config, log);
  try {
    await moveEdition(runtime.db, editionId, 'approved', 'editor-a');
    // One statement for all of them, a third with Topic preferences.
    await addManyReaders(runtime.db, SUBSCRIBERS, 'test');
  } finally {
    await runtime.close();
  }
  // The sample config with absolute paths, fast sending and ONE SMTP connection: one transaction in flight at a time.
  const sample = parseYaml(readFileSync('newsdesk.yaml', 'utf8')) as Record<string, unknown> & { topics: string; sources: { path?: string }[] };
  configFile = path.join(config.folder, 'newsdesk.yaml');
  writeFileSync(
    configFile,
    stringify({
      ...sample,
      topics: path.resolve(sample.topics),
      sources: sample.sources.map((source) => (source.path ? { ...source, path: path.resolve(source.path) } : source)),
      secret: 'a-crash-test-secret-of-at-least-32-chars',
      mail: { smtpUrl: sink.url, ratePerSecond: 5_000, connections: 1, batchSize: 200 },
    }),
  );
  env = { ...process.env, DATABASE_URL: config.database.url, NEWSDESK_OUTPUT: config.output, REDIS_URL: '', LOG_LEVEL: 'error' };
}, 120_000);
afterAll(async () => {
  await sink?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function start(): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'edition', 'send', editionId, '-c', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('edition send killed with SIGKILL five times', () => {
  it('delivers the Edition to every Subscriber, duplicates at most one per kill, each with the same Message-ID', async () => {
    const store = await openRuntime(config, log);
    cleanups.push(() => store.close());
    const cut: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const before = sink.messages.length;
      const run = start();
      // Killed while sending: once this run has sent something, at a random moment within the next 400 ms.
      const deadline = Date.now() + 30_000;
      while (sink.messages.length === before && Date.now() < deadline) await sleep(5);
      expect(sink.messages.length, `run ${kill} sent nothing: ${run.output()}`).toBeGreaterThan(before);
      await sleep(Math.random() * 400);
      run.child.kill('SIGKILL');
      await run.exited;
      // The Delivery whose SMTP transaction the kill cut (0 or 1): sent again by the next run, with its Message-ID.
      const [{ count } = { count: 0 }] = await store.db.query<{ count: number }>(`select count(*)::int as count from deliveries where edition_id = $1 and status = 'sending'`, [editionId]);
      cut.push(count);
    }
    const last = start();
    expect(await last.exited, last.output()).toBe(0);
    expect(last.output()).toContain(`edition ${editionId}: sent`);

    const received = sink.messages.length;
    const unique = sink.perRecipient.size;
    const duplicates = received - unique;
    console.log(`send-crash: received ${received}, unique ${unique}, duplicates ${duplicates}, kills ${KILLS}, left \`sending\` by each kill ${cut.join(' ')}`);
    expect(unique).toBe(SUBSCRIBERS);
    for (let g = 1; g <= SUBSCRIBERS; g += 1) expect(sink.perRecipient.get(`reader${g}@example.org`), `reader${g}`).toBeGreaterThanOrEqual(1);
    expect(duplicates).toBeLessThanOrEqual(KILLS);
    const ids = new Map<string, Set<string>>();
    for (const message of sink.messages) {
      const to = message.to[0]!;
      ids.set(to, (ids.get(to) ?? new Set()).add(message.messageId!));
    }
    for (const [to, messageIds] of ids) expect(messageIds.size, `${to}: ${[...messageIds].join(' ')}`).toBe(1);

    expect(await deliveryReport(store.db, editionId)).toMatchObject({ status: 'sent', total: SUBSCRIBERS, sent: SUBSCRIBERS, pending: 0, sending: 0 });
  }, 90_000);
});
