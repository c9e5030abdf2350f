/**
 * `newsdesk edition send | pause | resume`: sending an approved Edition to its
 * Subscribers, with progress on stderr (a bar on a terminal, a line every few
 * seconds otherwise) and the report on stdout at the end.
 *
 * - Embedded (no Redis): the send jobs run in this process, through the same
 *   handler as the workers. Deliveries the server deferred, or a failed job's,
 *   are tried again after a wait, as BullMQ's backoff would. Ctrl-C pauses the
 *   Edition after the messages in flight; `edition send` or `resume` goes on.
 * - With Redis: the jobs go to the `send` queue for the workers, and this
 *   command follows the store until the Edition is sent or paused; Ctrl-C only
 *   stops following.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { NewsdeskError, NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import { pauseSending, resumeSending, startSending, type SendStart } from '../mail/sending.js';
import type { BullJobs } from '../queue/bullmq.js';
import { InlineJobs } from '../queue/inline.js';
import { jobIds } from '../queue/jobs.js';
import { jobDeps, withRuntime, type Runtime } from '../runtime.js';
import { deliveryReport, unfinishedBatches, type DeliveryReport } from '../store/deliveries.js';
import { editionId } from './arguments.js';
import { hint } from './hint.js';
import { printer, type CliOutput } from './output.js';

export type SendMode = 'send' | 'resume';

/** Rounds in a row without one more final Delivery before an embedded send gives up (the Deliveries stay pending). */
const MAX_IDLE_ROUNDS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deliveries that are done, whichever way (cancelled: an editor stopped the send from the review page). */
const final = (report: DeliveryReport) => report.sent + report.failed + report.bounced + report.skipped + report.cancelled;

async function readReport(runtime: Runtime, editionId: string): Promise<DeliveryReport> {
  const report = await deliveryReport(runtime.db, editionId);
  if (!report) throw new NotFoundError('Edition', editionId);
  return report;
}

export interface SendSummary {
  report: DeliveryReport;
  /** Messages the SMTP server took or refused per second, while this command ran. */
  perSecond: number;
}

/** Sends (or resumes) an Edition and returns the report once it is sent, paused, or no longer followed. */
export async function sendEdition(config: Config, log: Logger, editionId: string, options: { mode: SendMode; by: string; stderr?: NodeJS.WriteStream }): Promise<SendSummary> {
  const stderr = options.stderr ?? process.stderr;
  if (config.redis.url && !config.database.url) {
    throw new NewsdeskError('usage', 'send: the workers need a shared PostgreSQL to read the Deliveries from (set database.url or DATABASE_URL), or unset REDIS_URL to send from this process');
  }
  return withRuntime(config, log, async (runtime) => {
    const progress = new Progress(stderr, editionId);
    const interrupt = new Interrupt();
    try {
      const report = config.redis.url
        ? await sendThroughQueues(runtime, editionId, options, progress, interrupt)
        : await sendInProcess(runtime, editionId, options, progress, interrupt);
      progress.show(report);
      return { report, perSecond: progress.rate(report) };
    } finally {
      interrupt.release();
      progress.stop();
    }
  });
}

async function sendInProcess(runtime: Runtime, editionId: string, options: { mode: SendMode; by: string }, progress: Progress, interrupt: Interrupt): Promise<DeliveryReport> {
  const { db } = runtime;
  const jobs = new InlineJobs(new Set(['send', 'publish']));
  const { handlers } = await import('../../workers/handlers.js');
  const run = handlers(jobDeps(runtime, jobs));
  interrupt.on(async () => {
    progress.note(`Ctrl-C: pausing edition ${editionId} after the messages in flight (Ctrl-C again to quit at once)`);
    await pauseSending(db, editionId, `${options.by} (Ctrl-C)`);
  });
  const start = await begin(runtime, jobs, editionId, options);
  progress.start(start, await readReport(runtime, editionId), () => readReport(runtime, editionId));

  let idle = 0;
  for (;;) {
    const before = await readReport(runtime, editionId);
    const records = await jobs.drain(run);
    const report = await readReport(runtime, editionId);
    if (report.status !== 'sending' || report.pausedAt) return report;
    const failure = records.findLast((record) => record.error);
    if (failure?.permanent) throw new NewsdeskError('send_failed', `${failure.error} (the Deliveries left stay pending: newsdesk edition send ${editionId} goes on)`);
    idle = final(report) > final(before) ? 0 : idle + 1;
    if (idle >= MAX_IDLE_ROUNDS) {
      throw new NewsdeskError('send_failed', `send: edition ${editionId}: nothing went out in ${idle} tries (${failure?.error ?? 'deferred by the SMTP server'}); the ${report.pending + report.sending} Deliveries left stay pending: newsdesk edition send ${editionId} goes on`);
    }
    // Deferred by the server, or a job failed: again after a wait, as BullMQ's backoff does.
    const wait = Math.min(30_000, 2_000 * 2 ** idle);
    progress.note(`${report.pending + report.sending} Deliveries left (${failure?.error ?? 'deferred by the SMTP server'}); trying again in ${wait / 1000} s`);
    await sleep(wait);
    if (interrupt.fired) return readReport(runtime, editionId);
    for (const batch of await unfinishedBatches(db, editionId)) await jobs.add('send', { editionId, batch }, { jobId: jobIds.send(editionId, batch) });
  }
}

async function sendThroughQueues(runtime: Runtime, editionId: string, options: { mode: SendMode; by: string }, progress: Progress, interrupt: Interrupt): Promise<DeliveryReport> {
  const { config } = runtime;
  // BullMQ is loaded only where the queues are used: an embedded send does not need it.
  const { BullJobs, redisConnection } = await import('../queue/bullmq.js');
  const connection = redisConnection(config.redis.url);
  const jobs = new BullJobs(connection, config.redis.prefix);
  let start: SendStart;
  try {
    start = await begin(runtime, jobs, editionId, options);
  } finally {
    await jobs.close();
    connection.disconnect();
  }
  progress.start(start, await readReport(runtime, editionId), () => readReport(runtime, editionId));
  progress.note(`queued ${start.batches} send jobs for the workers (${hint(config.file, 'worker')}); Ctrl-C stops following, not sending`);
  interrupt.on(async () => progress.note(`Ctrl-C: no longer following; the workers go on (${hint(config.file, `edition pause ${editionId}`)} pauses them)`));
  for (;;) {
    const report = await readReport(runtime, editionId);
    if (report.status !== 'sending' || report.pausedAt || interrupt.fired) return report;
    await sleep(1_000);
  }
}

function begin(runtime: Runtime, jobs: InlineJobs | BullJobs, editionId: string, options: { mode: SendMode; by: string }): Promise<SendStart> {
  return options.mode === 'resume'
    ? resumeSending(runtime.db, jobs, editionId, options.by, { paused: 'resume' })
    : startSending(runtime.db, runtime.config, jobs, editionId, options.by);
}

/** The report as the command prints it at the end; `configFile` is named again in the command it suggests. */
export function formatReport(report: DeliveryReport, configFile: string, perSecond?: number): string {
  const done = final(report);
  const left = report.pending + report.sending;
  const state = report.pausedAt && report.status === 'sending' ? 'paused' : report.status;
  const lines = [
    `edition ${report.editionId}: ${state}`,
    `  sent ${report.sent} · failed ${report.failed} · bounced ${report.bounced} · skipped ${report.skipped}${report.cancelled > 0 ? ` · cancelled ${report.cancelled}` : ''} of ${report.total} Deliveries` +
      (perSecond && perSecond > 0 ? `, ${perSecond.toFixed(1)} messages/s` : ''),
  ];
  if (left > 0) lines.push(`  ${left} left: ${hint(configFile, `edition ${state === 'paused' ? 'resume' : 'send'} ${report.editionId}`)} goes on`);
  else if (done === report.total && report.status === 'sent') lines.push('  every Delivery is done');
  return lines.join('\n');
}

/** Ctrl-C while sending: the first runs the handler given, the second quits at once. */
class Interrupt {
  fired = false;
  private handler: () => Promise<void> = async () => undefined;
  private readonly listener = () => {
    if (this.fired) process.exit(130);
    this.fired = true;
    void this.handler();
  };

  constructor() {
    process.on('SIGINT', this.listener);
  }

  on(handler: () => Promise<void>): void {
    this.handler = handler;
  }

  release(): void {
    process.off('SIGINT', this.listener);
  }
}

/** Progress on stderr, read from the store: a bar redrawn on a terminal, a plain line every few seconds otherwise. */
class Progress {
  private timer: NodeJS.Timeout | null = null;
  private started = performance.now();
  private doneAtStart = 0;
  private lastLine = '';
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly editionId: string,
  ) {}

  start(start: SendStart, report: DeliveryReport, read: () => Promise<DeliveryReport>): void {
    this.started = performance.now();
    this.doneAtStart = report.sent + report.failed + report.bounced;
    const what = start.outcome === 'started' ? `${start.deliveries} Deliveries in ${start.batches} batches` : `going on with ${start.batches} batches`;
    this.note(`send ${this.editionId}: ${what}`);
    this.timer = setInterval(() => void read().then((r) => this.show(r), () => undefined), this.stream.isTTY ? 250 : 5_000);
    this.timer.unref();
  }

  /** Messages per second since this command started. */
  rate(report: DeliveryReport): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? (report.sent + report.failed + report.bounced - this.doneAtStart) / seconds : 0;
  }

  show(report: DeliveryReport): void {
    const done = final(report);
    const counts = `sent ${report.sent} · failed ${report.failed} · bounced ${report.bounced} · skipped ${report.skipped}`;
    const rate = `${this.rate(report).toFixed(0)}/s`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = report.total === 0 ? width : Math.round((done / report.total) * width);
      this.stream.write(`\r\x1b[2K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${report.total} · ${counts} · ${rate}`);
      this.drawn = true;
      return;
    }
    const line = `send ${this.editionId}: ${done}/${report.total} done (${counts}), ${rate}`;
    if (line !== this.lastLine) this.stream.write(`${line}\n`);
    this.lastLine = line;
  }

  note(line: string): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn) this.stream.write('\n');
  }
}

/** The commands, under `edition` (registered by src/cli/editions.ts). */
export function addSendingCommands(edition: Command, context: () => { config: Config; log: Logger }, io: CliOutput): void {
  const print = printer(io);
  const by = (command: Command) => command.option('--by <editor>', 'editor name stored with the change', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor');
  by(
    edition
      .command('send')
      .description('send an approved Edition to every confirmed Subscriber (again on a sending Edition: goes on where it stopped)')
      .argument('<edition>', 'Edition id', editionId),
  ).action(async (id: string, options: { by: string }) => {
    const { config, log } = context();
    const { report, perSecond } = await sendEdition(config, log, id, { mode: 'send', by: options.by });
    print(formatReport(report, config.file, perSecond));
  });
  by(edition.command('pause').description('pause sending: the send jobs stop after their current message').argument('<edition>', 'Edition id', editionId)).action(
    async (id: string, options: { by: string }) => {
      const { config, log } = context();
      const paused = await withRuntime(config, log, ({ db }) => pauseSending(db, id, options.by));
      const state = paused.alreadyPaused ? 'already paused' : 'paused';
      print(`edition ${id}: ${state}, ${paused.unfinishedBatches} batches with Deliveries left; ${hint(config.file, `edition resume ${id}`)} goes on`);
    },
  );
  by(edition.command('resume').description('resume a paused (or cut short) send: the batches with Deliveries left are sent').argument('<edition>', 'Edition id', editionId)).action(
    async (id: string, options: { by: string }) => {
      const { config, log } = context();
      const { report, perSecond } = await sendEdition(config, log, id, { mode: 'resume', by: options.by });
      print(formatReport(report, config.file, perSecond));
    },
  );
}
