/**
 * Subscribers as CSV, both ways (csv-parse, csv-stringify): the rows of an
 * import checked one by one, and the export. Pure: text in, rows and
 * problems out; the store is the caller's (src/cli/subscribers.ts).
 *
 * An import must say how each address agreed to get the email (a `consent`
 * column); a file without one is refused whole, a row with it empty is skipped.
 * An export's `status` column comes back in on import: `pending` rows are
 * skipped (they never confirmed), suppressed ones go on the suppression list,
 * so moving subscribers between deployments carries the suppressions along.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { errorMessage, InputError } from '../errors.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { headerValue, parseAddress } from './address.js';
import { MAX_NAME, type Subscriber, type Suppression, type SuppressionReason } from './subscriber.js';

export const EXPORT_COLUMNS = ['email', 'name', 'status', 'topics', 'consent', 'created_at', 'confirmed_at'] as const;
/** The columns an import reads; an export's dates are not (an import's own moment is recorded). */
const READ_COLUMNS = new Set(['email', 'name', 'topics', 'consent', 'status']);
const SUPPRESSED = new Set<string>(['unsubscribed', 'bounced', 'complained']);

export interface ImportRow {
  /** The line the row starts on, counting the header as line 1. */
  line: number;
  email: string;
  name: string | null;
  topics: string[];
  /** The consent column's value; '' for a suppression. */
  consent: string;
  /** `confirmed`: a Subscriber to add; otherwise an address to suppress. */
  status: 'confirmed' | SuppressionReason;
}

export interface ParsedImport {
  rows: ImportRow[];
  problems: { line: number; message: string }[];
  /** Rows skipped because their consent was empty. */
  noConsent: number;
  /** Rows skipped because their status was `pending`. */
  pending: number;
  /** Columns the import does not read. */
  ignoredColumns: string[];
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written
 * with a leading `'`, which spreadsheets show as text (CSV injection);
 * reading strips it again, so an export imports back unchanged.
 */
const FORMULA = /^[=+\-@\t\r]/;
const spreadsheetSafe = (value: string) => (FORMULA.test(value) ? `'${value}` : value);
const fromSpreadsheet = (value: string) => (value.startsWith("'") && FORMULA.test(value.slice(1)) ? value.slice(1) : value);

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Reads an import file's text; throws an InputError naming the file when its header lacks `email` or `consent`. */
export function parseSubscriberCsv(text: string, file: string, taxonomy: Taxonomy): ParsedImport {
  const problems: ParsedImport['problems'] = [];
  let header: string[] = [];
  // Line ends made one kind first: csv-parse then counts lines the way an editor shows them.
  const normalized = text.replace(/\r\n?/g, '\n');
  let records: { record: Record<string, string>; raw: string; info: { lines: number } }[];
  try {
    records = parse(normalized, {
      bom: true,
      columns: (names: string[]) => {
        header = names.map((name) => name.trim().toLowerCase());
        const twice = header.find((name, index) => name !== '' && header.indexOf(name) !== index);
        if (twice) throw new InputError('subscribers import', file, `the header names the column "${twice}" twice`);
        return header;
      },
      record_delimiter: '\n',
      skip_empty_lines: true,
      info: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        // One broken record can raise two errors (a stray quote, then the field count): report the first.
        if (error && !problems.some((problem) => problem.line === Number(error.lines))) problems.push({ line: Number(error.lines), message: error.message.replace(/ (on|at) line \d+$/, '') });
      },
    }) as typeof records;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('subscribers import', file, `not a CSV file: ${errorMessage(error)}`, { cause: error });
  }
  for (const required of ['email', 'consent']) {
    if (!header.includes(required)) {
      const has = header.length > 0 ? `the header has: ${header.join(', ')}` : 'the file is empty';
      const why = required === 'consent' ? ': say in it how each address agreed to get the email (e.g. "signed up at the 2025 conference")' : '';
      throw new InputError('subscribers import', file, `no "${required}" column (${has})${why}`);
    }
  }

  const known = new Set(taxonomy.topics.map((topic) => topic.slug));
  const seen = new Map<string, number>();
  const parsed: ParsedImport = { rows: [], problems, noConsent: 0, pending: 0, ignoredColumns: header.filter((name) => !READ_COLUMNS.has(name)) };
  for (const { record, raw, info } of records) {
    // The line a record ends on, less the line breaks inside it (quoted fields), less the empty lines before it.
    const line = info.lines - (raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0);
    const cell = (name: string) => fromSpreadsheet((record[name] ?? '').trim());
    const refuse = (message: string) => problems.push({ line, message });
    const status = cell('status').toLowerCase();
    if (status === 'pending') {
      parsed.pending += 1;
      continue;
    }
    if (status !== '' && status !== 'confirmed' && !SUPPRESSED.has(status)) {
      refuse(`status "${status}" is not one of confirmed, pending, unsubscribed, bounced, complained`);
      continue;
    }
    let email: string;
    try {
      email = parseAddress(cell('email'), `line ${line}`);
    } catch (error) {
      refuse(error instanceof InputError ? error.problem : errorMessage(error));
      continue;
    }
    const before = seen.get(email);
    if (before !== undefined) {
      refuse(`${email} is on line ${before} already`);
      continue;
    }
    seen.set(email, line);
    if (SUPPRESSED.has(status)) {
      parsed.rows.push({ line, email, name: null, topics: [], consent: '', status: status as SuppressionReason });
      continue;
    }
    const consent = oneLine(cell('consent'));
    if (consent === '') {
      parsed.noConsent += 1;
      continue;
    }
    const name = cell('name');
    try {
      headerValue(name, `line ${line}: name`);
    } catch (error) {
      refuse(`name: ${error instanceof InputError ? error.problem : errorMessage(error)}`);
      continue;
    }
    if (name.length > MAX_NAME) {
      refuse(`the name is longer than ${MAX_NAME} characters`);
      continue;
    }
    const topics = [...new Set(cell('topics').split(/[\s;,]+/).filter((slug) => slug !== ''))];
    const unknown = topics.filter((slug) => !known.has(slug));
    if (unknown.length > 0) {
      const ours = known.size > 0 ? `ours: ${[...known].join(', ')}` : 'the configuration names no taxonomy (`topics`)';
      refuse(`not one of our Topics: ${unknown.join(', ')} (${ours})`);
      continue;
    }
    parsed.rows.push({ line, email, name: name === '' ? null : name, topics, consent, status: 'confirmed' });
  }
  problems.sort((a, b) => a.line - b.line);
  return parsed;
}

/**
 * How a Subscriber agreed, without the client's IP address the subscribe form
 * records with it (`form 203.0.113.9` becomes `form`): what the editor pages
 * and their export show. `newsdesk subscribers export` keeps the whole record.
 */
export function consentWithoutAddress(consent: string): string {
  return consent.replace(/^(form|api) \S+/, '$1');
}

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : '');

/**
 * Every Subscriber, then every suppressed address without one (a bounce
 * reported by the webhook, an import's suppression): a suppressed address's
 * status is its suppression's reason.
 */
export function formatSubscriberCsv(subscribers: Subscriber[], suppressions: Suppression[]): string {
  const reasons = new Map(suppressions.map((suppression) => [suppression.email, suppression]));
  const rows = subscribers.map((subscriber) => [
    subscriber.email,
    subscriber.name ?? '',
    reasons.get(subscriber.email)?.reason ?? subscriber.status,
    subscriber.topics.join(' '),
    subscriber.consent,
    iso(subscriber.createdAt),
    iso(subscriber.confirmedAt),
  ]);
  const known = new Set(subscribers.map((subscriber) => subscriber.email));
  for (const suppression of suppressions) {
    if (!known.has(suppression.email)) rows.push([suppression.email, '', suppression.reason, '', '', iso(suppression.at), '']);
  }
  return stringify(rows.map((row) => row.map(spreadsheetSafe)), { header: true, columns: [...EXPORT_COLUMNS] });
}
