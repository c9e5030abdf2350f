/**
 * `newsdesk subscribers add | import | export | list`: Subscribers from the
 * command line. Adding one without `--confirmed` is double opt-in, as on the
 * public form: pending, and a confirmation email (or, without SMTP, the
 * confirmation link printed for whoever runs the command to pass on). An
 * import needs a consent column (src/mail/subscriber-csv.ts). No command can
 * add back an address on the suppression list.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { errorMessage, InputError, NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { headerValue, parseAddress } from '../mail/address.js';
import { confirmLink, CONFIRM_HOURS } from '../mail/links.js';
import { EXPORT_COLUMNS, formatSubscriberCsv, parseSubscriberCsv, type ParsedImport } from '../mail/subscriber-csv.js';
import { MAX_NAME, type Subscriber, type SubscriberStatus } from '../mail/subscriber.js';
import { confirmationMailer } from '../mail/subscription.js';
import { withRuntime } from '../runtime.js';
import type { Queryable } from '../store/db.js';
import { signingSecret } from '../store/secrets.js';
import { addSubscriber, getSuppression, listSubscribers, listSuppressions, subscriberByEmail, suppress } from '../store/subscribers.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import type { CliOutput } from './output.js';
import { formatTable } from './table.js';

type Context = () => { config: Config; log: Logger };

/** A command's printout, and whether some of its input was refused (exit code 3). */
export interface CommandResult {
  text: string;
  refused: boolean;
}

const STATUSES: SubscriberStatus[] = ['pending', 'confirmed', 'unsubscribed', 'bounced', 'complained'];

function checkTopics(topics: string[], taxonomy: Taxonomy, where: string): string[] {
  const known = new Set(taxonomy.topics.map((topic) => topic.slug));
  const unknown = topics.filter((slug) => !known.has(slug));
  if (unknown.length > 0) throw new InputError('subscribers', where, `not one of our Topics: ${unknown.join(', ')} (ours: ${[...known].join(', ') || 'none'})`);
  return [...new Set(topics)];
}

export interface AddOptions {
  name?: string;
  topics?: string;
  confirmed: boolean;
  consent?: string;
  by: string;
}

export async function addSubscriberCommand(config: Config, log: Logger, address: string, options: AddOptions): Promise<CommandResult> {
  if (options.confirmed && !options.consent?.trim()) throw new NewsdeskError('usage', 'subscribers add: --confirmed needs --consent "<how they agreed>" (it is kept as the record of their consent)');
  if (!options.confirmed && options.consent) throw new NewsdeskError('usage', 'subscribers add: --consent goes with --confirmed; without it the address confirms by email');
  const email = parseAddress(address, 'subscribers add');
  const name = headerValue(options.name?.trim() ?? '', 'subscribers add: --name');
  if (name.length > MAX_NAME) throw new InputError('subscribers', 'add: --name', `longer than ${MAX_NAME} characters`);
  return withRuntime(config, log, async ({ db, taxonomy }) => {
    const topics = checkTopics((options.topics ?? '').split(/[\s,;]+/).filter((slug) => slug !== ''), taxonomy, 'add: --topics');
    const consent = options.confirmed ? `cli ${options.by}: ${options.consent!.trim()}` : `cli ${options.by}`;
    const { outcome, subscriber } = await addSubscriber(db, { email, name: name || null, topics, consent, confirmed: options.confirmed });
    if (outcome === 'suppressed') {
      const suppression = await getSuppression(db, email);
      return { text: `subscribers: ${email} is on the suppression list (${suppression?.reason ?? 'suppressed'}): not added`, refused: true };
    }
    const what = outcome === 'added' ? `added ${email} (${subscriber!.status})` : `${email} is already there (${subscriber!.status}); left as it is`;
    if (subscriber!.status !== 'pending') return { text: `subscribers: ${what}`, refused: false };
    return { text: `subscribers: ${what}; ${await confirmationFor(config, log, db, subscriber!)}`, refused: false };
  });
}

/** Sends a pending Subscriber's confirmation email, or without SMTP gives the link to pass on. */
async function confirmationFor(config: Config, log: Logger, db: Queryable, subscriber: Subscriber): Promise<string> {
  if (!config.mail.smtpUrl) {
    const link = confirmLink(config, await signingSecret(db, config.secret), subscriber.id);
    return `no SMTP server is configured (mail.smtpUrl), so pass them this confirmation link (it works for ${CONFIRM_HOURS} hours):\n${link}`;
  }
  const mailer = confirmationMailer(config, db, log);
  try {
    await mailer.send(subscriber);
    return 'a confirmation email was sent';
  } finally {
    await mailer.close();
  }
}

export interface ImportSummary {
  added: number;
  existing: number;
  suppressed: number;
  suppressionsAdded: number;
}

/** Stores the rows an import file gave (or, dry, only counts what would happen). Running it again changes nothing. */
export async function importSubscribers(db: Queryable, parsed: ParsedImport, file: string, dryRun: boolean): Promise<ImportSummary> {
  const summary: ImportSummary = { added: 0, existing: 0, suppressed: 0, suppressionsAdded: 0 };
  for (const row of parsed.rows) {
    if (await getSuppression(db, row.email)) {
      summary.suppressed += 1;
      continue;
    }
    if (row.status !== 'confirmed') {
      summary.suppressionsAdded += 1;
      if (!dryRun) await suppress(db, row.email, row.status, `import ${file}`);
      continue;
    }
    if (dryRun) {
      summary[(await subscriberByEmail(db, row.email)) ? 'existing' : 'added'] += 1;
      continue;
    }
    const { outcome } = await addSubscriber(db, { email: row.email, name: row.name, topics: row.topics, consent: `import ${file}: ${row.consent}`, confirmed: true });
    summary[outcome === 'added' ? 'added' : outcome === 'exists' ? 'existing' : 'suppressed'] += 1;
  }
  return summary;
}

export async function importSubscribersCommand(config: Config, log: Logger, file: string, options: { dryRun: boolean }): Promise<CommandResult> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('subscribers import', file, `cannot read the file: ${errorMessage(error)}`, { cause: error });
  }
  return withRuntime(config, log, async ({ db, taxonomy }) => {
    const parsed = parseSubscriberCsv(text, file, taxonomy);
    const name = path.basename(file);
    const summary = options.dryRun ? await importSubscribers(db, parsed, name, true) : await db.transaction((tx) => importSubscribers(tx, parsed, name, false));
    const would = options.dryRun ? 'would be ' : '';
    const lines = [
      `subscribers import: ${file}${options.dryRun ? ' (dry run: nothing stored)' : ''}`,
      `  ${summary.added} ${would}added, confirmed (consent recorded as "import ${name}: <consent>")`,
      `  ${summary.existing} already there, left as they are`,
      `  ${summary.suppressed} on the suppression list, not added`,
      ...(summary.suppressionsAdded > 0 ? [`  ${summary.suppressionsAdded} ${would}added to the suppression list (status unsubscribed, bounced or complained)`] : []),
      `  ${parsed.noConsent} skipped: empty consent`,
      ...(parsed.pending > 0 ? [`  ${parsed.pending} skipped: status pending (they never confirmed)`] : []),
      `  ${parsed.problems.length} refused${parsed.problems.length > 0 ? ':' : ''}`,
      ...parsed.problems.map((problem) => `    line ${problem.line}: ${problem.message}`),
      ...(parsed.ignoredColumns.length > 0 ? [`  columns not read: ${parsed.ignoredColumns.join(', ')}`] : []),
    ];
    return { text: lines.join('\n'), refused: parsed.problems.length > 0 };
  });
}

export function exportSubscribersCommand(config: Config, log: Logger): Promise<string> {
  return withRuntime(config, log, async ({ db }) => formatSubscriberCsv(await listSubscribers(db), await listSuppressions(db)));
}

const day = (date: Date | null) => (date ? new Date(date).toISOString().slice(0, 10) : '-');

export function listSubscribersCommand(config: Config, log: Logger, options: { status?: SubscriberStatus; json: boolean }): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const subscribers = await listSubscribers(db, options.status ? { status: options.status } : {});
    if (options.json) return JSON.stringify(subscribers, null, 2);
    const rows = subscribers.map((s) => [s.email, s.name ?? '-', s.status, s.topics.join(' ') || 'all', day(s.createdAt), day(s.confirmedAt)]);
    return `${formatTable(['email', 'name', 'status', 'Topics', 'added', 'confirmed'], rows)}\n${subscribers.length} Subscribers`;
  });
}

/** `partial`: the command did its work but refused some rows (exit 3). */
export function addSubscriberCommands(program: Command, context: Context, io: CliOutput, partial: () => void): void {
  const printResult = (result: CommandResult) => {
    io.out(`${result.text}\n`);
    if (result.refused) partial();
  };
  const subscribers = program.command('subscribers').description('who gets the weekly email: add, import and export (CSV), list');
  subscribers
    .command('add')
    .description('add a Subscriber: pending with a confirmation email (double opt-in), or --confirmed with the consent they gave elsewhere')
    .argument('<email>')
    .option('--name <name>', 'their name, for the To header')
    .option('--topics <slugs>', 'Topic slugs they want, e.g. escape,women (default: every section)')
    .option('--confirmed', 'they already agreed elsewhere: no confirmation email (needs --consent)', false)
    .option('--consent <how>', 'how they agreed, kept as the record, e.g. "signed the form at the 2025 conference"')
    .option('--by <editor>', 'who adds them, kept with the consent', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor')
    .action(async (email: string, options: AddOptions) => {
      const { config, log } = context();
      printResult(await addSubscriberCommand(config, log, email, options));
    });
  subscribers
    .command('import')
    .description('add confirmed Subscribers from a CSV file with columns email, consent, and optionally name, topics, status; the suppression list always wins')
    .argument('<file>', 'CSV with a header line; topics separated by spaces or ;')
    .option('-n, --dry-run', 'only check the file and say what would happen', false)
    .action(async (file: string, options: { dryRun: boolean }) => {
      const { config, log } = context();
      printResult(await importSubscribersCommand(config, log, file, options));
    });
  subscribers
    .command('export')
    .description(`every Subscriber and suppressed address as CSV (${EXPORT_COLUMNS.join(', ')}); imports back`)
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (options: { output?: string }) => {
      const { config, log } = context();
      const csv = await exportSubscribersCommand(config, log);
      if (options.output) writeFileSync(options.output, csv);
      else io.out(csv);
    });
  subscribers
    .command('list')
    .description('the Subscribers, oldest first')
    .addOption(new Option('--status <status>', 'only these').choices(STATUSES))
    .option('--json', 'print JSON', false)
    .action(async (options: { status?: SubscriberStatus; json: boolean }) => {
      const { config, log } = context();
      io.out(`${await listSubscribersCommand(config, log, options)}\n`);
    });
}
