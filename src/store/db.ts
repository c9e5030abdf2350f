/**
 * The database adapter: one small interface over PostgreSQL (pg) and PGlite
 * (PostgreSQL compiled to WebAssembly, the embedded default). Everything above
 * it writes plain PostgreSQL and never knows which one it talks to.
 */
import { mkdirSync } from 'node:fs';
// Loaded when a store is opened, not with this module: a command that opens none (`--help`) loads neither.
import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { openEmbedded } from './embedded.js';

export interface Queryable {
  /** One statement with $1.. parameters; returns the rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: all of it is stored, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn while holding the lock named `key`, waiting for it first: one holder at
   * a time across every process sharing the store. Not a transaction: what fn
   * writes is committed as it goes. On PostgreSQL a session advisory lock on a
   * connection of its own, so a process that dies (even by SIGKILL) loses the lock
   * with its connection at once; PGlite belongs to one process, which keeps the lock.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  /** postgres:// address; empty selects the embedded PGlite store. */
  url: string;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  dataDir: string;
}

export async function openDatabase(settings: DatabaseSettings): Promise<Db> {
  return settings.url ? openPostgres(settings.url) : openEmbedded(settings.dataDir);
}

/** An arbitrary constant: the class of the advisory locks taken by withLock (the key is hashed into the second half). */
const namedLocks = 715_400_031;

/** In-process locks by name: each holder waits for the one before it. */
function localLocks(): Db['withLock'] {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, fn) => {
    const before = tails.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/**
 * The embedded store's buffer cache. PostgreSQL's default (128 MB) is sized for a server; in the
 * embedded store it is WebAssembly memory of the newsdesk process itself (`npm start` peaked at
 * 531 MB with the default, 428 MB with this), and the bench's embedded run of 2,250 Items was no
 * slower with 16 MB than with 128 MB (60.7 and 48.9 Items/s, one bench run each).
 */
const EMBEDDED_SHARED_BUFFERS = '16MB';

/** PGlite at `dataDir` as it is (a new folder gets PGlite's own empty database, or the data directory `loadDataDir` holds). */
export async function createPglite(dataDir: string, loadDataDir?: Blob): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dataDir, { postgresqlconf: `shared_buffers = ${EMBEDDED_SHARED_BUFFERS}`, ...(loadDataDir ? { loadDataDir } : {}) });
}

/** The store over a PGlite instance. */
export function pgliteDb(db: PGlite): Db {
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <Row>(sql: string, params?: unknown[]) => (await q.query<Row>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    withLock: localLocks(),
    close: () => db.close(),
  };
}

/** PGlite at `dataDir` with nothing done to it: a new one is empty, not migrated (openEmbedded gives a migrated one). */
export async function openPglite(dataDir: string): Promise<Db> {
  return pgliteDb(await createPglite(dataDir));
}

export async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle connection the server closed (restart, failover, admin kill) must not crash the
  // process: the pool drops it, and the next query opens a new one or fails with its own error.
  pool.on('error', () => undefined);
  // Fail at start-up, not at the first job, when the server is unreachable.
  (await pool.connect()).release();
  const wrap = (q: Pool | PoolClient): Queryable => ({
    query: async <Row>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as Row[],
    exec: async (sql: string) => {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // Checked out, a client has no error listener of the pool's: a server going away between two
      // statements (a restart) would be an unhandled 'error' that ends the process. The next statement
      // fails with it instead, and the broken client is given back to be discarded, not reused.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async withLock(key, fn) {
      // A connection outside the pool: holding it for long never starves the queries fn makes.
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1, hashtext($2))', [namedLocks, key]);
        return await fn();
      } finally {
        // Ending the session releases the lock, whatever state fn left.
        await client.end().catch(() => undefined);
      }
    },
    close: () => pool.end(),
  };
}
