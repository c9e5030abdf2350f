/**
 * Once per `npm test`: the bundled samples ingested and processed into a
 * PGlite data folder and a PostgreSQL template database, which tests that
 * start from the samples' Stories copy (sampleConfig's `processed`) instead
 * of each running ingest and process over the samples again.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { runPipeline } from '../workers/embedded.js';
import { createLogger } from '../src/log.js';
import { sampleConfig, type ProcessedSample } from './helpers/sample-config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    processedSample: ProcessedSample;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger({ level: 'silent' });
  const cleanups: (() => Promise<void>)[] = [];
  const [pglite, postgres] = await Promise.all([sampleConfig('pglite', cleanups), sampleConfig('postgres', cleanups)]);
  // Both at once: nothing starts until they are made.
  await Promise.all(
    [pglite, postgres].map(async (config) => {
      const { problems } = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process'] });
      if (problems.length > 0) throw new Error(`the processed sample store (${config.database.url ? 'PostgreSQL' : 'PGlite'}): ${JSON.stringify(problems)}`);
    }),
  );
  project.provide('processedSample', { pgliteDataDir: pglite.database.dataDir, postgresDatabase: new URL(postgres.database.url!).pathname.slice(1) });
  return async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const config of [pglite, postgres]) rmSync(config.folder, { recursive: true, force: true });
  };
}
