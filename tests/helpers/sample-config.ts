/**
 * The bundled sample configuration for one test, on the embedded store or on a
 * fresh PostgreSQL database: its output and data folders in a temporary
 * folder of its own, the database dropped by the cleanup it registers. With
 * `processed`, the store starts as a copy of the samples already ingested and
 * processed (Items, Stories, Topics; no Feeds written, no Edition composed), made
 * once per test run by tests/global-setup.ts, for tests whose subject comes after that.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadConfig, type Config } from '../../src/config.js';
import { createPostgresDatabase } from './databases.js';

/** Where the processed samples are kept for the test run. */
export interface ProcessedSample {
  pgliteDataDir: string;
  postgresDatabase: string;
}

export async function sampleConfig(
  store: 'pglite' | 'postgres',
  cleanups: (() => Promise<void>)[],
  options: { archive?: string; processed?: boolean } = {},
): Promise<Config & { folder: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-run-'));
  const env: NodeJS.ProcessEnv = { NEWSDESK_OUTPUT: path.join(folder, 'out'), NEWSDESK_DATA_DIR: path.join(folder, 'pglite') };
  // Imported here: the global setup that makes the processed samples uses this module too, outside any test.
  const processed = options.processed ? (await import('vitest')).inject('processedSample') : null;
  if (processed && store === 'pglite') cpSync(processed.pgliteDataDir, env.NEWSDESK_DATA_DIR!, { recursive: true });
  if (store === 'postgres') {
    const database = await createPostgresDatabase(processed?.postgresDatabase);
    cleanups.push(database.drop);
    env.DATABASE_URL = database.url;
  }
  const config = loadConfig('newsdesk.yaml', env);
  const { archive } = options;
  return { ...(archive ? { ...config, sources: config.sources.map((source) => ({ ...source, path: archive })) } : config), folder };
}

/**
 * The demo configuration written to `folder/newsdesk.yaml` for a command line
 * run in a test: its paths made absolute, its store and output in `folder`,
 * `extra` keys on top. Returns the file.
 */
export function writeSampleConfigFile(folder: string, extra: Record<string, unknown> = {}): string {
  const sample = parseYaml(readFileSync('newsdesk.yaml', 'utf8')) as Record<string, unknown> & { topics: string; sources: { path?: string }[] };
  const file = path.join(folder, 'newsdesk.yaml');
  writeFileSync(
    file,
    stringifyYaml({
      ...sample,
      output: path.join(folder, 'out'),
      topics: path.resolve(sample.topics),
      database: { url: '', dataDir: path.join(folder, 'pglite') },
      sources: sample.sources.map((source) => (source.path ? { ...source, path: path.resolve(source.path) } : source)),
      ...extra,
    }),
  );
  return file;
}
