/**
 * The bench's one table: a row per measurement, printed on its own as it
 * finishes (a long run shows progress) and all together at the end, as a
 * Markdown table with a legend. Only measured numbers are printed: a row that
 * was skipped or failed says so in its note and has no figure.
 */
import { errorMessage } from '../src/errors.js';
import type { Measured } from './measure.js';
import type { MemoryFigure } from './memory.js';

export interface BenchRow {
  row: string;
  /** The input's size: `312 feeds, 1.2 MiB`. */
  input: string;
  /** null: skipped or failed, the note says why. */
  median: number | null;
  unit: string;
  /** How many measurements the median is of; null for a row computed from other rows. */
  runs: number | null;
  /** What was counted, when not whole runs of the row: `lookups`. */
  runsOf?: string;
  min: number | null;
  max: number | null;
  /** Every run's figure (JSON only). */
  values?: number[];
  memory: MemoryFigure[];
  note: string;
}

export function measuredRow(row: string, input: string, unit: string, measured: Measured, note = ''): BenchRow {
  const { median, min, max, values, memory } = measured;
  return { row, input, median, unit, runs: values.length, min, max, values, memory, note };
}

export function skippedRow(row: string, input: string, why: string): BenchRow {
  return { row, input, median: null, unit: '', runs: 0, min: null, max: null, memory: [], note: `skipped: ${why}` };
}

export function failedRow(row: string, error: unknown): BenchRow {
  return { row, input: '', median: null, unit: '', runs: 0, min: null, max: null, memory: [], note: `failed: ${errorMessage(error).split('\n')[0]}` };
}

/** The row `make` measures, or a failed row of that name: one row that cannot be measured does not end the bench. */
export async function rowOrFailure(row: string, make: () => Promise<BenchRow>): Promise<BenchRow> {
  try {
    return await make();
  } catch (error) {
    return failedRow(row, error);
  }
}

/** Three significant figures or so: 12,345 / 123 / 12.3 / 1.23 / 0.123. */
export function figure(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toLocaleString('en', { maximumFractionDigits: bytes < 10 * 2 ** 20 ? 1 : 0 })} MiB`;
}

function memoryText(memory: MemoryFigure[]): string {
  const one = (m: MemoryFigure) =>
    `${m.whose} ${mib(m.peakBytes)}${m.kind === 'pss' ? ' PSS' : ''}${m.startBytes === undefined ? '' : ` (from ${mib(m.startBytes).replace(' MiB', '')})`}`;
  return memory.map(one).join(', ') || '—';
}

function runsText(row: BenchRow): string {
  if (row.runs === null || row.median === null) return '—';
  return row.runsOf ? `${row.runs.toLocaleString('en')} ${row.runsOf}` : String(row.runs);
}

function rangeText(row: BenchRow): string {
  if (row.min === null || row.max === null || row.runs === null || row.runs < 2 || row.runsOf) return '—';
  return `${figure(row.min)}–${figure(row.max)}`;
}

const COLUMNS = ['row', 'input', 'median', 'unit', 'runs', 'min–max', 'memory (peak)', 'note'];

function cells(row: BenchRow): string[] {
  return [row.row, row.input, figure(row.median), row.unit, runsText(row), rangeText(row), memoryText(row.memory), row.note];
}

/** One row as it finishes: `name [input]: median unit (runs, range; memory); note`. */
export function progressLine(row: BenchRow): string {
  const [name, input, median, unit, runs, range, memory, note] = cells(row);
  if (row.median === null) return `· ${name}${input ? ` [${input}]` : ''}: ${note}\n`;
  const details = [row.runs === null ? '' : `runs ${runs}`, range === '—' ? '' : range, row.memory.length ? memory : '', note].filter(Boolean);
  return `· ${name}${input ? ` [${input}]` : ''}: ${median} ${unit}${details.length ? ` (${details.join('; ')})` : ''}\n`;
}

/** The final table, Markdown with its columns padded so it also reads as plain text. */
export function formatTable(rows: BenchRow[]): string {
  const table = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  const right = new Set([2, 4]);
  const line = (values: string[]) =>
    `| ${values.map((value, column) => (right.has(column) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (right.has(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(COLUMNS), rule, ...table.slice(1).map(line)].join('\n') + '\n';
}

export const LEGEND = `
median: the median of the runs counted in "runs", each timed on its own, after a garbage collection; rows
  whose runs are cheap run once untimed first (warm-up). runs 1: a single measurement (too long to repeat),
  no median. "500 lookups": the percentile of 500 one-Item lookups made in one pass. runs —: a ratio of
  two medians above. min–max: the lowest and highest run. The embedded \`run\`, queue and send rows make a new
  database for every run (the note says when making it is in the time); the dedupe rows grow one database.
memory (peak): the most memory held during the row's warm-up and runs, by whose work it was:
  bench       this Node process's peak RSS (kernel high-water mark VmHWM, reset at the row's start, after a
              garbage collection; for send rows, when sending starts), and "from" its RSS then: Node, tsx, every
              module the bench loaded, and what earlier rows left; it includes PGlite for embedded rows;
  worker      the largest peak RSS of one \`newsdesk worker\` process while the clock ran (VmHWM, reset when the
              first job was queued, so start-up is left out);
  Python      the feedparser process's peak RSS (ru_maxrss), interpreter included;
  PostgreSQL  PSS (proportional set size: shared_buffers divided among the processes mapping them) summed over
              the server's processes, sampled every 0.5 s: the whole private server for dedupe rows, only the
              backends serving the bench's database on the shared server for queue and send rows.
`;
