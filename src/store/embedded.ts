/**
 * The embedded store (PGlite) opened migrated, a new one made as a copy of a
 * migrated template. PGlite makes a new database by running initdb in
 * WebAssembly (about 1.7 s here, and the process then holds some 800 MB), and
 * the migrations follow; loading a copy of that result with PGlite's
 * data-directory loading skips both. The template is made the first time (by
 * `npm ci`'s prepare step, else by the first new store) and kept in generated/,
 * named by the PGlite version and the migrations' text: a new migration or a
 * new PGlite makes a new template, never a store that skips a migration.
 * It is an uncompressed tar (42 MB against 4.8 MB gzipped): PGlite unpacks
 * gzip in JavaScript, which took 0.4 s of the 0.8 s a new store took to open.
 */
import { createHash } from 'node:crypto';
import { existsSync, openAsBlob, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectFile } from '../project-files.js';
import { createPglite, pgliteDb, type Db } from './db.js';
import { listMigrations, migrate, type Migration } from './migrate.js';

const PREFIX = 'pglite-store-';

export interface EmbeddedOptions {
  /** Where templates are kept (default generated/). */
  templateDir?: string;
  /** The migrations the store gets (default all of src/store/migrations). */
  migrations?: Migration[];
}

/** The template file for these migrations on the installed PGlite. */
export function templateFile({ templateDir = projectFile('generated'), migrations = listMigrations() }: EmbeddedOptions = {}): string {
  const hash = createHash('sha256').update(pgliteVersion());
  for (const migration of migrations) hash.update(`\0${migration.version}\0${migration.name}\0${migration.sql}`);
  return path.join(templateDir, `${PREFIX}${hash.digest('hex').slice(0, 16)}.tar`);
}

function pgliteVersion(): string {
  return (JSON.parse(readFileSync(projectFile('node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
}

/** A new store: no data directory yet (memory:// is always new). */
function isNew(dataDir: string): boolean {
  return dataDir.startsWith('memory://') || !existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * The embedded store at `dataDir`, migrated. An existing one is opened as it
 * is (the caller migrates it: it may lack a newer migration); a new one is
 * loaded from the template, which is made first when there is none.
 */
export async function openEmbedded(dataDir: string, options: EmbeddedOptions = {}): Promise<Db> {
  if (!isNew(dataDir)) return pgliteDb(await createPglite(dataDir));
  const file = templateFile(options);
  // A Blob backed by the file: read when PGlite reads it, not held in a Buffer and copied into a Blob too.
  if (existsSync(file)) return pgliteDb(await createPglite(dataDir, await openAsBlob(file)));
  const pglite = await createPglite(dataDir);
  const db = pgliteDb(pglite);
  await migrate(db, options.migrations);
  await saveTemplate(file, await pglite.dumpDataDir('none'));
  return db;
}

/** Written aside and moved into place, so a store being made in another process never reads half a file; older templates go. */
async function saveTemplate(file: string, dump: Blob): Promise<void> {
  try {
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, Buffer.from(await dump.arrayBuffer()));
    renameSync(aside, file);
    const dir = path.dirname(file);
    for (const name of readdirSync(dir)) if (name.startsWith(PREFIX) && path.join(dir, name) !== file && !name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
  } catch {
    // A read-only install keeps working: every new store is then made the slow way.
  }
}
