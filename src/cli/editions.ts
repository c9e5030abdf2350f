/**
 * `newsdesk edition compose | list | show | preview | approve | discard`: the
 * weekly Edition from the command line. Compose runs the same handler as the
 * weekly job, in this process; preview renders the email as subscribers get it
 * (generic footer links); approving and discarding go through the Edition's
 * one table of allowed moves. `send | pause | resume` are in src/cli/sending.ts.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { isoDate } from '../dedupe/story-date.js';
import { writeEmailFiles } from '../digest/preview.js';
import { renderContext, renderEdition } from '../digest/render.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { storyLink } from '../publish/story-links.js';
import { InlineJobs } from '../queue/inline.js';
import { jobDeps, withRuntime } from '../runtime.js';
import { deliveryReport, type DeliveryReport } from '../store/deliveries.js';
import { approveEdition, editionEvents, getEdition, listEditions, moveEdition } from '../store/editions.js';
import type { Edition } from '../digest/edition.js';
import type { ComposeResult } from '../queue/results.js';
import { editionId, isoWeek } from './arguments.js';
import { hint } from './hint.js';
import { printer, type CliOutput } from './output.js';
import { addSendingCommands, formatReport } from './sending.js';
import { formatTable } from './table.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

export function formatEdition(edition: Edition, events: Awaited<ReturnType<typeof editionEvents>>, config: Pick<Config, 'file' | 'site'>, report?: DeliveryReport): string {
  const lines = [
    `Edition ${edition.id} (${edition.status}), Stories first seen ${edition.windowStart.toISOString()} to ${edition.windowEnd.toISOString()}`,
    ...(edition.skippedReason ? [`skipped: ${edition.skippedReason}`] : [`subject: ${edition.subject}`]),
    ...(edition.intro ? [`intro: ${edition.intro}`] : []),
  ];
  let section: string | null | undefined;
  for (const entry of edition.entries) {
    if (entry.section !== section) {
      section = entry.section;
      lines.push('', `## ${entry.sectionLabel}`);
    }
    const also = [
      ...(entry.reportedBy.length > 0 ? [`also reported by ${entry.reportedBy.join(', ')}`] : []),
      ...(entry.repostedBy.length > 0 ? [`also reposted by ${entry.repostedBy.join(', ')}`] : []),
    ];
    lines.push(`${entry.pinned ? '📌 ' : ''}${entry.title}`, `   ${[entry.outlet ?? '-', isoDate(entry.published) ?? 'date unknown', storyLink(config.site.url, { id: entry.storyId, url: entry.url }), ...also].join(' · ')}`);
    if (entry.summary) lines.push(`   ${entry.summary}`);
  }
  if (report && report.total > 0) lines.push('', formatReport(report, config.file));
  lines.push('', 'History:');
  for (const event of events) lines.push(`  ${event.at.toISOString()} ${event.editor ?? 'newsdesk'}: ${event.action}`);
  return lines.join('\n');
}

/**
 * What a compose did, in words: the draft it made or refreshed, the week it
 * skipped, or the Edition it kept as editors left it, by its real status (a
 * kept Edition may be an edited draft, approved, being sent or sent).
 */
export function describeComposed(result: ComposeResult): string {
  if (result.outcome === 'kept') return `${result.editionId}, ${result.editionStatus} (kept as editors left it)`;
  if (result.status === 'skipped') return `${result.editionId}, skipped: ${result.reason}`;
  return `${result.editionId}, draft of ${result.stories} Stories out of ${result.candidates}`;
}

export function addEditionCommands(program: Command, context: () => { config: Config; log: Logger }, io: CliOutput): void {
  const print = printer(io);
  const edition = program.command('edition').description('the weekly Edition: compose, look at, preview, approve or discard, send');
  edition
    .command('compose')
    .description("compose a week's Edition draft (an untouched draft is composed again; an edited one is kept)")
    .option('--week <iso-week>', 'e.g. 2026-W47; default: the week whose compose moment has just passed', isoWeek)
    .action(async (options: { week?: string }) => {
      const { config, log } = context();
      const { composeWeek } = await import('../digest/compose-week.js');
      const result = await withRuntime(config, log, (runtime) =>
        composeWeek(options.week === undefined ? {} : { week: options.week }, jobDeps(runtime, new InlineJobs(new Set()))),
      );
      const outcome = result.outcome === 'kept' ? '' : ` (${result.outcome})`;
      print(`edition ${describeComposed(result)}${outcome}; ${hint(config.file, `edition show ${result.editionId}`)}`);
    });
  edition
    .command('list')
    .description('Editions, newest week first')
    .action(async () => {
      const { config, log } = context();
      const editions = await withRuntime(config, log, ({ db }) => listEditions(db));
      const rows = editions.map((e) => [e.id, e.status, String(e.stories), day(e.windowStart), day(e.windowEnd), e.skippedReason ?? e.subject]);
      print(`${formatTable(['Edition', 'status', 'Stories', 'from', 'to', 'subject'], rows)}\n${editions.length} Editions`);
    });
  edition
    .command('show')
    .description("an Edition's sections and Stories, and its history")
    .argument('<edition>', 'Edition id (see edition list)', editionId)
    .option('--json', 'print JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      const { config, log } = context();
      print(
        await withRuntime(config, log, async ({ db }) => {
          const found = await getEdition(db, id);
          if (!found) throw noSuchEdition('edition show', id);
          const events = await editionEvents(db, id);
          const deliveries = await deliveryReport(db, id);
          return options.json ? JSON.stringify({ ...found, events, deliveries }, null, 2) : formatEdition(found, events, config, deliveries);
        }),
      );
    });
  edition
    .command('preview')
    .description("render an Edition's email: <dir>/edition-<id>.html and .txt, as a Subscriber gets them (generic footer links)")
    .argument('<edition>', 'Edition id (see edition list)', editionId)
    .option('--out <dir>', 'folder to write to (default: the output folder of the config)')
    .action(async (id: string, options: { out?: string }) => {
      const { config, log } = context();
      const found = await withRuntime(config, log, ({ db }) => getEdition(db, id));
      if (!found) throw noSuchEdition('edition preview', id);
      const email = await renderEdition(found, renderContext(config));
      const files = await writeEmailFiles(options.out ?? config.output, `edition-${found.id}`, email);
      const size = (bytes: number) => `${bytes.toLocaleString('en')} bytes`;
      print(
        [
          `subject:   ${email.subject}`,
          `preheader: ${email.preheader}`,
          `${files.html} (${size(files.htmlBytes)})`,
          `${files.text} (${size(files.textBytes)})`,
        ].join('\n'),
      );
    });
  const editorOption = (command: Command) =>
    command.option('--by <editor>', 'editor name stored with the change', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor');
  editorOption(
    edition
      .command('approve')
      .description('approve a draft for sending; with --send-at it goes out at that time (the workers, or the next `newsdesk run`)')
      .argument('<edition>', 'Edition id', editionId)
      .option('--send-at <time>', 'when to send: an ISO 8601 time with its offset (2026-12-07T08:00+09:00), or "now"'),
  ).action(async (id: string, options: { by: string; sendAt?: string }) => {
    const { config, log } = context();
    const sendAt = options.sendAt === undefined ? null : parseSendAt(options.sendAt);
    await withRuntime(config, log, ({ db }) => approveEdition(db, id, options.by, sendAt));
    const when = sendAt
      ? `; sending starts at ${sendAt.toISOString()} (a worker's due check, or the next ${hint(config.file, 'run')})`
      : `; ${hint(config.file, `edition send ${id}`)} sends it`;
    print(`edition ${id}: approved${when}`);
  });
  editorOption(
    edition.command('discard').description('discard a draft or approved Edition (the week can then be composed again)').argument('<edition>', 'Edition id', editionId),
  ).action(async (id: string, options: { by: string }) => {
    const { config, log } = context();
    const moved = await withRuntime(config, log, ({ db }) => moveEdition(db, id, 'discarded', options.by));
    print(`edition ${id}: ${moved.from} -> ${moved.to}`);
  });
  addSendingCommands(edition, context, io);
}

/** An Edition id that is well formed but names no Edition: a failure (exit 1), not a usage error. */
export function noSuchEdition(command: string, id: string): NewsdeskError {
  return new NewsdeskError('not_found', `${command}: no such Edition: ${id} (see newsdesk edition list)`);
}

/** `--send-at`: "now", or an ISO 8601 time that names its offset (a time without one would depend on this machine's zone). */
export function parseSendAt(text: string, now: Date = new Date()): Date {
  if (text === 'now') return now;
  const at = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new NewsdeskError('usage', `edition approve: --send-at: "${text}" is not "now" or an ISO 8601 time with its offset, e.g. 2026-12-07T08:00+09:00`);
  return at;
}
