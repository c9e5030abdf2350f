/**
 * Numbered SQL migrations (src/store/migrations/NNN_name.sql), applied in order
 * and recorded in schema_migrations, all the pending ones in one transaction
 * under an advisory lock: two workers starting at once never both migrate, and
 * a migration that fails leaves the store as it was, none of them applied. The
 * same files run on PostgreSQL and PGlite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFile } from '../project-files.js';
import type { Db } from './db.js';

const migrationsDir = projectFile('src', 'store', 'migrations');

/** An arbitrary constant: the advisory lock that keeps two workers from migrating at once. */
const migrationLock = 715_400_021;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}

/** Applies the migrations not yet applied; returns their versions. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [migrationLock]);
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const rows = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
