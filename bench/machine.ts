/**
 * The header of a bench run: the machine, the software versions and the date,
 * so a table can be compared with another one (or not).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { errorMessage } from '../src/errors.js';
import type { BenchPlan } from './plan.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** The shared server of the queue and send rows. */
  postgres: string;
  /** The server of the dedupe rows. */
  dedupePostgres: string;
  pglite: string;
  /** 1-minute load average when the bench started: other work on the machine. */
  load: number;
  date: string;
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${rows[0]!.server_version.split(' ')[0]}`;
  } catch (error) {
    return `unreachable (${errorMessage(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The version of the server binaries a private server is started from (the newest installed, as private-postgres.ts picks). */
function privateServerVersion(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) return 'not installed (no /usr/lib/postgresql)';
  const text = execFileSync(path.join(root, version, 'bin', 'postgres'), ['--version']).toString();
  return `PostgreSQL ${/\d+(\.\d+)*/.exec(text)?.[0] ?? version}, the bench's own`;
}

export async function describeMachine(plan: BenchPlan): Promise<Machine> {
  const pglite = JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')) as { version: string };
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    postgres: await serverVersion(plan.postgresUrl),
    dedupePostgres: plan.dedupePostgresUrl ? await serverVersion(plan.dedupePostgresUrl) : privateServerVersion(),
    pglite: `PGlite ${pglite.version}`,
    load: loadavg()[0]!,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

export function machineLine(machine: Machine): string {
  return (
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB; Node ${machine.node}; ` +
    `${machine.postgres} (queue and send rows), ${machine.dedupePostgres} (dedupe rows), ${machine.pglite} (embedded rows); ` +
    `load ${machine.load.toFixed(2)} at the start; ${machine.date}\n`
  );
}
