/**
 * The bundled sample configuration for one test, on the embedded store or on a
 * fresh PostgreSQL database: its output and data folders in a temporary
 * folder of its own, the database dropped by the cleanup it registers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createPostgresDatabase } from './databases.js';

export async function sampleConfig(
  store: 'pglite' | 'postgres',
  cleanups: (() => Promise<void>)[],
  options: { archive?: string } = {},
): Promise<Config & { folder: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-run-'));
  const env: NodeJS.ProcessEnv = { NEWSDESK_OUTPUT: path.join(folder, 'out'), NEWSDESK_DATA_DIR: path.join(folder, 'pglite') };
  if (store === 'postgres') {
    const database = await createPostgresDatabase();
    cleanups.push(database.drop);
    env.DATABASE_URL = database.url;
  }
  const config = loadConfig('samples/newsdesk.yaml', env);
  const { archive } = options;
  return { ...(archive ? { ...config, sources: config.sources.map((source) => ({ ...source, path: archive })) } : config), folder };
}
