/**
 * The whole embedded `newsdesk run` (ingest, process, publish; PGlite in this
 * process) over the samples' configuration with its archive scaled up: a
 * temporary copy of the demo newsdesk.yaml whose archive Source reads a folder
 * written by writeScaledArchive. Every run starts from a fresh store, so the
 * time includes creating and migrating it, as a first `newsdesk run` does;
 * that part alone is a row of its own, so the rest can be told apart. At x1
 * the store is then run over again (nothing new), as an hourly run would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { runPipeline, type PipelineSummary } from '../workers/embedded.js';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openRuntime } from '../src/runtime.js';
import { measureRuns, timed } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, mib, type BenchRow } from './table.js';
import { writeScaledArchive, type ScaledArchive } from './scaled-archive.js';

const log = createLogger({ level: 'silent' });

export interface ScaledSamples {
  archive: ScaledArchive;
  /** A config for a fresh store: its own data folder and output folder. */
  freshConfig(): Config;
  remove(): void;
}

/** The samples' configuration, its archive Source pointed at the scaled folder, paths absolute. */
function writeConfig(folder: string, archiveFolder: string): string {
  const raw = parseYaml(readFileSync('newsdesk.yaml', 'utf8')) as Record<string, unknown> & { topics: string; sources: { kind: string; path?: string }[] };
  const sources = raw.sources.map((source) => (source.kind === 'archive' ? { ...source, path: archiveFolder } : source));
  const file = path.join(folder, 'newsdesk.yaml');
  writeFileSync(file, stringifyYaml({ ...raw, topics: path.resolve(raw.topics), sources }));
  return file;
}

export function scaledSamples(factor: number): ScaledSamples {
  const folder = mkdtempSync(path.join(tmpdir(), `newsdesk-bench-x${factor}-`));
  const archive = writeScaledArchive(path.join(folder, 'archive'), factor);
  const file = writeConfig(folder, archive.folder);
  let store = 0;
  return {
    archive,
    freshConfig() {
      store += 1;
      // An empty environment: DATABASE_URL or REDIS_URL set in the shell must not turn this into a deployed run.
      return loadConfig(file, { NEWSDESK_DATA_DIR: path.join(folder, `pglite-${store}`), NEWSDESK_OUTPUT: path.join(folder, `out-${store}`) });
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

export function runEmbedded(config: Config): Promise<PipelineSummary> {
  return runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
}

/** Creating and migrating a fresh embedded store: the fixed part of every first run (loaded from the migrated template, src/store/embedded.ts). */
async function freshStoreRow(plan: BenchPlan, samples: ScaledSamples): Promise<BenchRow> {
  const measured = await measureRuns({
    runs: plan.runs,
    warmUp: false,
    once: async () => (await timed(async () => (await openRuntime(samples.freshConfig(), log)).close())).seconds,
  });
  return measuredRow('embedded store: create + migrate (PGlite)', 'an empty store', 's', measured, 'a new store loaded from the migrated template npm ci made (generated/pglite-store-*.tar)');
}

/** The whole run on a fresh store, per Item stored. */
async function freshRunRow(plan: BenchPlan, samples: ScaledSamples): Promise<BenchRow> {
  const { archive } = samples;
  const stored: number[] = [];
  const measured = await measureRuns({
    runs: plan.runs,
    warmUp: false,
    once: async () => {
      const { seconds, result } = await timed(() => runEmbedded(samples.freshConfig()));
      stored.push(result.items.new);
      return result.items.new / seconds;
    },
  });
  const wrong = stored.find((n) => n !== archive.posts);
  const note = wrong === undefined ? 'a fresh store each run, creating it included' : `a run stored ${wrong} Items, not ${archive.posts}`;
  const input = `${archive.posts.toLocaleString('en')} Items (samples x${archive.factor}: ${archive.pages} pages, ${mib(archive.bytes)})`;
  return measuredRow(`embedded \`run\`, samples x${archive.factor}`, input, 'Items/s', measured, note);
}

/** The run again on a store that already holds everything (the first run is the warm-up, untimed). */
async function againRow(plan: BenchPlan, samples: ScaledSamples): Promise<BenchRow> {
  const config = samples.freshConfig();
  const measured = await measureRuns({
    runs: plan.runs,
    warmUp: () => runEmbedded(config),
    once: async () => (await timed(() => runEmbedded(config))).seconds,
  });
  return measuredRow(`embedded \`run\` again, samples x${samples.archive.factor} (nothing new)`, `${samples.archive.posts} Items already stored`, 's', measured);
}

export async function samplesRunRows(plan: BenchPlan, add: (row: BenchRow) => void): Promise<void> {
  for (const factor of plan.sampleFactors) {
    const samples = scaledSamples(factor);
    try {
      if (factor === 1) add(await freshStoreRow(plan, samples));
      add(await freshRunRow(plan, samples));
      if (factor === 1) add(await againRow(plan, samples));
    } finally {
      samples.remove();
    }
  }
}
