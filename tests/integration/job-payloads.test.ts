/**
 * Job payloads carry ids only (DESIGN.md, Queues): when deployed they sit in
 * Redis, show in the queue dashboard and in failed-job records, so no email
 * address, name, token or secret may travel in them. Sending an Edition, the
 * one flow that handles Subscribers' data, is run here on the embedded store
 * with every job it queues recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSending } from '../../src/mail/sending.js';
import { InlineJobs } from '../../src/queue/inline.js';
import type { JobPayloads, QueueName } from '../../src/queue/jobs.js';
import { jobDeps, openRuntime, type Runtime } from '../../src/runtime.js';
import { moveEdition } from '../../src/store/editions.js';
import { handlers } from '../../workers/handlers.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { addSubscribers } from '../helpers/sending.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const SECRET = 'a-job-payload-test-secret-of-32-chars!';
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let sink: SmtpSink;
let config: Config;
let runtime: Runtime;
let editionId: string;

/** Records every job added, then queues it as InlineJobs does. */
class RecordingJobs extends InlineJobs {
  readonly added: { queue: QueueName; payload: unknown }[] = [];
  override async add<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options?: { jobId?: string }): Promise<void> {
    this.added.push({ queue, payload: structuredClone(payload) });
    return super.add(queue, payload, options);
  }
}

beforeAll(async () => {
  sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const base = await sampleConfig('pglite', cleanups, { processed: true });
  config = { ...base, secret: SECRET, mail: { ...base.mail, smtpUrl: sink.url, ratePerSecond: 500, batchSize: 2 } };
  editionId = (await runPipeline(config, log, { command: 'compose', queues: ['compose'] })).edition!.editionId;
  runtime = await openRuntime(config, log);
  await moveEdition(runtime.db, editionId, 'approved', 'editor-a');
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('job payloads', () => {
  it('carry an Edition id and a batch number when sending: no address, name, token or secret', async () => {
    const readers = [
      { email: 'payload-ana@example.org', name: 'Ana Payloadtest' },
      { email: 'payload-ben@example.org', name: 'Ben Payloadtest' },
      { email: 'payload-cat@example.org', name: 'Cat Payloadtest' },
    ];
    const ids = await addSubscribers(runtime.db, readers);
    const jobs = new RecordingJobs(new Set(['send', 'publish']));
    await startSending(runtime.db, runtime.config, jobs, editionId, 'editor-a');
    const records = await jobs.drain(handlers(jobDeps(runtime, jobs)));
    expect(records.filter((record) => record.error)).toEqual([]);
    expect(sink.messages.map((message) => message.to.join()).sort()).toEqual(readers.map((reader) => reader.email));

    const sends = jobs.added.filter((job) => job.queue === 'send');
    expect(sends.length).toBe(2);
    for (const job of jobs.added) {
      if (job.queue === 'send') expect(Object.keys(job.payload as object).sort(), JSON.stringify(job)).toEqual(['batch', 'editionId']);
      else expect(job).toEqual({ queue: 'publish', payload: { change: expect.any(Number) } });
      const text = JSON.stringify(job.payload);
      expect(text).not.toContain('@');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(config.mail.smtpUrl);
      for (const reader of readers) expect(text).not.toContain(reader.name);
      for (const id of ids.values()) expect(text).not.toContain(id);
    }
  });
});
