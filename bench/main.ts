/**
 * `npm run bench [-- PEER_DIR] [--quick] [--dedupe-sizes 100000,1000000] [--no-dedupe] [--no-queues] [--no-send] [--only SECTIONS] [--json FILE]`:
 * timings that matter to users, as one table (no pass/fail). Each row is
 * printed as it finishes, then the whole table with a legend; `--json FILE`
 * writes the rows too. The arguments are described in plan.ts, how a row is
 * measured in measure.ts and memory.ts, each row in the module named below.
 */
import { writeFileSync } from 'node:fs';
import { archiveParsingRow } from './archive-parsing.js';
import { dedupeRows } from './dedupe-rows.js';
import { editionRow } from './edition.js';
import { feedParsingRows } from './feed-parsing.js';
import { feedRenderingRow } from './feed-rendering.js';
import { describeMachine, machineLine } from './machine.js';
import { readPlan, type BenchPlan, type Section } from './plan.js';
import { queueRows } from './queues.js';
import { samplesRunRows } from './samples-run.js';
import { sendRows } from './send.js';
import { taggingRow } from './tagging.js';
import { failedRow, formatTable, LEGEND, progressLine, skippedRow, type BenchRow } from './table.js';

const plan = readPlan();
const machine = await describeMachine(plan);
const rows: BenchRow[] = [];
const add = (row: BenchRow) => {
  rows.push(row);
  process.stdout.write(progressLine(row));
};

function planLine(plan: BenchPlan): string {
  const mode = plan.quick ? '--quick' : 'full';
  const dedupe = plan.dedupe ? `dedupe at ${plan.dedupe.sizes.map((size) => size.toLocaleString('en')).join(' and ')} Stories` : 'no dedupe';
  return `${mode}: ${plan.runs} runs a row, ${plan.longRuns} where each run creates a database or starts processes; samples x${plan.sampleFactors.join(', x')}; ${dedupe}\n`;
}

/** A section that throws leaves a failed row and the bench goes on; one left out by --only is not run. */
async function section(key: Section, name: string, measure: () => Promise<void>): Promise<void> {
  if (!plan.sections.has(key)) return;
  try {
    await measure();
  } catch (error) {
    add(failedRow(name, error));
  }
}

process.stdout.write(machineLine(machine) + planLine(plan));
const started = performance.now();

await section('archive', 'parse archive pages', async () => add(await archiveParsingRow(plan)));
await section('feeds', 'parse feeds', () => feedParsingRows(plan, add));
await section('render', 'render RSS + Atom + JSON Feed', async () => add(await feedRenderingRow(plan)));
await section('edition', 'compose + render an Edition', async () => add(await editionRow(plan)));
await section('tagging', 'tag Stories', async () => add(await taggingRow(plan)));
await section('embedded', 'embedded `run` on the samples', () => samplesRunRows(plan, add));
if (plan.queues) await section('queues', 'queues end to end', () => queueRows(plan, add));
else add(skippedRow('queues end to end (embedded, 1 and 2 workers)', '', '--no-queues'));
if (plan.send) await section('send', 'send', () => sendRows(plan, add));
else add(skippedRow('send through the SMTP pool', '', '--no-send'));
if (plan.dedupe) await section('dedupe', 'dedupe', () => dedupeRows(plan, add));
else add(skippedRow('dedupe at scale', '', '--no-dedupe'));

const minutes = (performance.now() - started) / 60_000;
process.stdout.write(`\n${machineLine(machine)}${planLine(plan)}\n${formatTable(rows)}${LEGEND}\nbench time: ${minutes.toFixed(1)} min\n`);
if (plan.json) writeFileSync(plan.json, `${JSON.stringify({ machine, quick: plan.quick, minutes, rows }, null, 2)}\n`);
if (rows.some((row) => row.note.startsWith('failed:'))) process.exitCode = 1;
