/**
 * The two stores every store test runs against: embedded PGlite (in memory) and
 * a real PostgreSQL server, each test file on its own fresh database that is
 * dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/store/db.js';
import { openEmbedded } from '../../src/store/embedded.js';

/** The server the tests may create databases on (trust auth on this machine and in CI). */
export const postgresAdminUrl = process.env.NEWSDESK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreTarget {
  name: 'pglite' | 'postgres';
  /**
   * A new store of the test file's own. PGlite's comes migrated, as the embedded store opens (from
   * its template: src/store/embedded.ts), unless `empty`; PostgreSQL's is an empty database. Tests
   * migrate either way (a no-op on a migrated one).
   */
  open(options?: { empty?: boolean }): Promise<{ db: Db; url: string | null; drop(): Promise<void> }>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a PostgreSQL database for one test file, empty or a copy of `template`; returns its address. */
export async function createPostgresDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `newsdesk_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(template ? `create database ${name} template ${client.escapeIdentifier(template)}` : `create database ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export const storeTargets: StoreTarget[] = [
  {
    name: 'pglite',
    async open({ empty = false } = {}) {
      const db = empty ? await openPglite('memory://') : await openEmbedded('memory://');
      return { db, url: null, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createPostgresDatabase();
      const db = await openPostgres(database.url);
      return {
        db,
        url: database.url,
        async drop() {
          await db.close();
          await database.drop();
        },
      };
    },
  },
];
