/**
 * The store on both engines: migrations, idempotent upserts, Appearances,
 * Stories and the run log behave the same on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { countItems, upsertAppearance, upsertAppearances, upsertItem } from '../../src/store/items.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { finishRun, recentRuns, startRun } from '../../src/store/runs.js';
import { getSource, syncSources } from '../../src/store/sources.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';

const archiveSource = {
  id: 'archive',
  kind: 'archive' as const,
  name: 'Archive',
  enabled: true,
  path: '/tmp/archive',
  maxFileBytes: 1000,
  siteNames: [],
};

describe.each(storeTargets)('store on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    await syncSources(db, [archiveSource]);
  });
  afterAll(async () => drop());

  it('applies every migration once', async () => {
    const rows = await db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((row) => row.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it('applies pending migrations all or none: one failing leaves the store as it was', async () => {
    const pending = [
      { version: 998, name: 'fine', sql: 'create table migration_998 (note text)' },
      { version: 999, name: 'broken', sql: 'alter table no_such_table add column x int' },
    ];
    await expect(migrate(db, [...listMigrations(), ...pending])).rejects.toThrow(/no_such_table/);
    expect(await db.query("select to_regclass('migration_998') as found")).toEqual([{ found: null }]);
    const rows = await db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((row) => row.version)).toEqual(listMigrations().map((m) => m.version));
  });

  it('keeps Sources in step with the config without rewriting unchanged rows', async () => {
    const before = await db.query<{ updated_at: Date }>('select updated_at from sources where id = $1', ['archive']);
    await syncSources(db, [archiveSource]);
    const after = await db.query<{ updated_at: Date }>('select updated_at from sources where id = $1', ['archive']);
    expect(after[0]!.updated_at).toEqual(before[0]!.updated_at);
    await syncSources(db, [{ ...archiveSource, name: 'Renamed' }]);
    expect((await getSource(db, 'archive'))?.name).toBe('Renamed');
    expect((await getSource(db, 'archive'))?.settings).toEqual({ maxFileBytes: 1000, siteNames: [] });
  });

  it('upserts Items idempotently and only grows their context', async () => {
    const item = makeItem({ key: 'idem', categories: ['China'], archiveMonth: null });
    expect(await upsertItem(db, item)).toBe('new');
    expect(await upsertItem(db, item)).toBe('unchanged');

    // Seen again on a monthly page: the month and the new category are added, nothing is lost.
    expect(await upsertItem(db, { ...item, categories: ['Refugees'], archiveMonth: '2016-04' })).toBe('updated');
    expect(await upsertItem(db, { ...item, categories: [], archiveMonth: null })).toBe('unchanged');
    const [row] = await db.query<{ categories: string[]; archive_month: string }>(
      'select categories, archive_month from items where id = $1',
      [item.id],
    );
    expect(row).toEqual({ categories: ['China', 'Refugees'], archive_month: '2016-04' });

    expect(await upsertItem(db, { ...item, contentText: 'Edited body.', contentHash: 'changed' })).toBe('updated');
  });

  it('records one Appearance per place an Item was seen', async () => {
    const item = makeItem({ key: 'appears-twice' });
    await upsertItem(db, item);
    const onPage = (location: string) => ({ itemId: item.id, location, position: 1, context: { heading: null } });
    expect(await upsertAppearance(db, onPage('category.txt'))).toBe(true);
    expect(await upsertAppearance(db, onPage('monthly.txt'))).toBe(true);
    expect(await upsertAppearance(db, onPage('monthly.txt'))).toBe(false);
    const rows = await db.query('select location from appearances where item_id = $1 order by location', [item.id]);
    expect(rows).toEqual([{ location: 'category.txt' }, { location: 'monthly.txt' }]);
  });

  it('records a page of Appearances in one call: a place given twice counts once and keeps its last position', async () => {
    const items = [makeItem({ key: 'page-a' }), makeItem({ key: 'page-b' })];
    for (const item of items) await upsertItem(db, item);
    const at = (item: (typeof items)[number], location: string, position: number, heading: string | null) => ({ itemId: item.id, location, position, context: { heading } });
    expect(await upsertAppearances(db, [at(items[0]!, 'tag.txt', 1, 'A'), at(items[1]!, 'tag.txt', 2, "Kim's \"B\""), at(items[0]!, 'tag.txt', 3, null)])).toBe(2);
    expect(await upsertAppearances(db, [at(items[1]!, 'tag.txt', 1, null), at(items[1]!, 'month.txt', 4, 'C')])).toBe(1);
    expect(await upsertAppearances(db, [])).toBe(0);
    const rows = await db.query('select item_id, location, position, context from appearances where item_id = any($1) order by item_id, location', [items.map((i) => i.id)]);
    expect(rows).toEqual(
      [
        { item_id: items[0]!.id, location: 'tag.txt', position: 3, context: { heading: null } },
        { item_id: items[1]!.id, location: 'month.txt', position: 4, context: { heading: 'C' } },
        { item_id: items[1]!.id, location: 'tag.txt', position: 1, context: { heading: null } },
      ].sort((a, b) => (a.item_id + a.location < b.item_id + b.location ? -1 : 1)),
    );
  });

  it('loses nothing already stored when a transaction fails half way', async () => {
    const before = await countItems(db);
    await expect(
      db.transaction(async (tx) => {
        await upsertItem(tx, makeItem({ key: 'rolled-back' }));
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await countItems(db)).toEqual(before);
  });

  it('keeps a run log with stats and problems', async () => {
    const id = await startRun(db, 'run');
    await finishRun(db, id, { stats: { items: 3 }, errors: [{ where: 'bad.txt', message: 'archive: bad.txt: empty file' }] });
    const [run] = await recentRuns(db, 1);
    expect(run).toMatchObject({ id, command: 'run', status: 'partial', stats: { items: 3 } });
    expect(run!.errors[0]!.message).toContain('bad.txt');
    expect(run!.finishedAt).toBeInstanceOf(Date);
  });
});
