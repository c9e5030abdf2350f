/**
 * The embedded store opens migrated, a new one loaded from a template made
 * once (src/store/embedded.ts): the template is made when missing, is what a
 * new store starts from, is named by the migrations (a changed migration makes
 * another one), and an existing store keeps its rows.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPglite } from '../../src/store/db.js';
import { openEmbedded, templateFile } from '../../src/store/embedded.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'newsdesk-embedded-'));
const versions = async (db: { query: <R>(sql: string) => Promise<R[]> }) =>
  (await db.query<{ version: number }>('select version from schema_migrations order by version')).map((row) => row.version);

describe('the embedded store', () => {
  // Made by the first test, from nothing (PGlite's initdb, the migrations); the others load it.
  const templateDir = folder();

  it('makes the template when there is none, and a new store is migrated', async () => {
    expect(readdirSync(templateDir)).toEqual([]);
    const db = await openEmbedded('memory://', { templateDir });
    try {
      expect(await versions(db)).toEqual(listMigrations().map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(readdirSync(templateDir)).toEqual([path.basename(templateFile({ templateDir }))]);
  });

  it('starts a new store, in memory or in a folder, from the template', async () => {
    // The template made above, with a row no migration writes added: a store that has the row was loaded from it.
    const marked = folder();
    const maker = await createPglite('memory://', new Blob([readFileSync(templateFile({ templateDir }))]));
    await maker.exec("create table template_mark (note text); insert into template_mark values ('from the template')");
    writeFileSync(templateFile({ templateDir: marked }), Buffer.from(await (await maker.dumpDataDir('none')).arrayBuffer()));
    await maker.close();

    for (const dataDir of ['memory://', path.join(folder(), 'store')]) {
      const db = await openEmbedded(dataDir, { templateDir: marked });
      try {
        expect(await db.query('select note from template_mark')).toEqual([{ note: 'from the template' }]);
        expect(await versions(db)).toEqual(listMigrations().map((m) => m.version));
      } finally {
        await db.close();
      }
    }
  });

  it('copies the template\'s folder form for a store in a folder, made once: what a store writes stays its own', async () => {
    const own = folder();
    writeFileSync(templateFile({ templateDir: own }), readFileSync(templateFile({ templateDir })));
    const form = templateFile({ templateDir: own }).replace(/\.tar$/, '');
    expect(existsSync(form)).toBe(false);

    const first = await openEmbedded(path.join(folder(), 'store'), { templateDir: own });
    expect(existsSync(path.join(form, 'PG_VERSION'))).toBe(true);
    await first.exec("create table written (note text); insert into written values ('only in the first store')");
    await first.close();

    const second = await openEmbedded(path.join(folder(), 'store'), { templateDir: own });
    try {
      expect(await second.query("select to_regclass('written') as found")).toEqual([{ found: null }]);
      expect(await versions(second)).toEqual(listMigrations().map((m) => m.version));
    } finally {
      await second.close();
    }
    expect(readdirSync(own).sort()).toEqual([path.basename(form), path.basename(templateFile({ templateDir: own }))].sort());
  });

  it('names the template by the migrations: one changed makes another template', () => {
    const migrations = listMigrations();
    const changed = migrations.map((m, i) => (i === migrations.length - 1 ? { ...m, sql: `${m.sql}\n-- changed` } : m));
    expect(templateFile({ templateDir: '/t', migrations: changed })).not.toBe(templateFile({ templateDir: '/t', migrations }));
    expect(templateFile({ templateDir: '/t', migrations: migrations.slice(0, -1) })).not.toBe(templateFile({ templateDir: '/t', migrations }));
    expect(templateFile({ templateDir: '/t', migrations })).toBe(templateFile({ templateDir: '/t', migrations: listMigrations() }));
  });

  it('opens an existing store as it is: its rows stay, the template is not loaded over it', async () => {
    const dataDir = path.join(folder(), 'store');
    const first = await openEmbedded(dataDir, { templateDir });
    await first.exec("create table kept (note text); insert into kept values ('stored before')");
    await first.close();
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

    const again = await openEmbedded(dataDir, { templateDir });
    try {
      expect(await again.query('select note from kept')).toEqual([{ note: 'stored before' }]);
    } finally {
      await again.close();
    }
  });
});
