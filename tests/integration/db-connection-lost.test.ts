/**
 * PostgreSQL ending a connection (a restart, a failover, an admin's
 * pg_terminate_backend) while a transaction holds it between two statements:
 * the transaction fails with that, the process goes on (no unhandled 'error'
 * event, which ended every worker when PostgreSQL restarted), and the next
 * query gets a fresh connection.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../src/store/db.js';
import { createPostgresDatabase } from '../helpers/databases.js';

let db: Db;
let admin: pg.Client;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createPostgresDatabase();
  drop = database.drop;
  db = await openPostgres(database.url);
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await db?.close();
  await drop?.();
});

it('fails the transaction whose connection the server ended between two statements, and goes on', async () => {
  const ended = db.transaction(async (tx) => {
    const [row] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
    await admin.query('select pg_terminate_backend($1)', [row!.pid]);
    // The connection's end arrives while no statement is running.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tx.query('select 1');
  });
  await expect(ended).rejects.toThrow(/terminat|Connection|closed/i);
  expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
});
