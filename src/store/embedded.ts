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
 * Stores in a folder copy its folder form (templateFolder).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, openAsBlob, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
 * is (the caller migrates it: it may lack a newer migration); a new one starts
 * from the template, which is made first when there is none: a store in memory
 * is loaded from the tar, a store in a folder is a copy of the template's
 * folder form (PGlite writing the tar's 1,161 files through its own file
 * system took 0.9 s; a native copy takes 0.2 s).
 */
export async function openEmbedded(dataDir: string, options: EmbeddedOptions = {}): Promise<Db> {
  if (!isNew(dataDir)) return pgliteDb(await createPglite(dataDir));
  const file = templateFile(options);
  if (!existsSync(file)) {
    const pglite = await createPglite(dataDir);
    const db = pgliteDb(pglite);
    await migrate(db, options.migrations);
    await saveTemplate(file, await pglite.dumpDataDir('none'));
    return db;
  }
  if (dataDir.startsWith('memory://')) return pgliteDb(await createPglite(dataDir, await openAsBlob(file)));
  const folder = await templateFolder(file);
  if (folder === null) return pgliteDb(await createPglite(dataDir, await openAsBlob(file)));
  cpSync(folder, dataDir, { recursive: true });
  return pgliteDb(await createPglite(dataDir));
}

/**
 * The template as a data directory beside its tar (the same name without
 * `.tar`), made from the tar the first time: loaded into a folder of its own,
 * closed, and moved into place whole, so no store copies a half-made one.
 * Null when it cannot be written (a read-only install).
 */
export async function templateFolder(file: string): Promise<string | null> {
  const folder = file.replace(/\.tar$/, '');
  if (existsSync(path.join(folder, 'PG_VERSION'))) return folder;
  const aside = `${folder}.${process.pid}.tmp`;
  try {
    await (await createPglite(aside, await openAsBlob(file))).close();
    renameSync(aside, folder);
    return folder;
  } catch {
    rmSync(aside, { recursive: true, force: true });
    // Another process may have moved its own into place first.
    return existsSync(path.join(folder, 'PG_VERSION')) ? folder : null;
  }
}

/** Written aside and moved into place, so a store being made in another process never reads half a file; older templates go. */
async function saveTemplate(file: string, dump: Blob): Promise<void> {
  try {
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, Buffer.from(await dump.arrayBuffer()));
    renameSync(aside, file);
    const dir = path.dirname(file);
    const current = [file, file.replace(/\.tar$/, '')];
    for (const name of readdirSync(dir)) {
      const entry = path.join(dir, name);
      if (name.startsWith(PREFIX) && !current.includes(entry) && !name.endsWith('.tmp')) rmSync(entry, { recursive: true, force: true });
    }
  } catch {
    // A read-only install keeps working: every new store is then made the slow way.
  }
}
