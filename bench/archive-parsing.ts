/**
 * Archive parsing throughput: the bundled sample pages (listings of ten posts,
 * about 20 KB each) parsed `rounds` times per run, the parse stage alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArchivePage } from '../src/ingest/archive/parse.js';
import { measureRuns, timed } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, mib, type BenchRow } from './table.js';

export async function archiveParsingRow(plan: BenchPlan): Promise<BenchRow> {
  const archive = 'samples/archive';
  const pages = readdirSync(archive).map((name) => ({ name, text: readFileSync(path.join(archive, name), 'utf8') }));
  const bytes = pages.reduce((sum, page) => sum + Buffer.byteLength(page.text), 0);
  const rounds = plan.archiveRounds;
  const measured = await measureRuns({
    runs: plan.runs,
    once: async () => {
      const { seconds } = await timed(() => {
        for (let round = 0; round < rounds; round += 1) for (const page of pages) parseArchivePage(page.text, { name: page.name });
      });
      return (pages.length * rounds) / seconds;
    },
  });
  return measuredRow('parse archive pages', `${pages.length} sample pages (${mib(bytes)}) x ${rounds}`, 'pages/s', measured);
}
