/** The run log: what each command or job did, and what failed, for operators. */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.js';
import type { RunProblem } from '../errors.js';

export async function startRun(db: Queryable, command: string): Promise<string> {
  const id = randomUUID();
  await db.query('insert into runs (id, command) values ($1, $2)', [id, command]);
  return id;
}

export async function finishRun(
  db: Queryable,
  id: string,
  outcome: { stats: Record<string, unknown>; errors: RunProblem[]; failed?: boolean },
): Promise<void> {
  const status = outcome.failed ? 'failed' : outcome.errors.length > 0 ? 'partial' : 'ok';
  await db.query('update runs set finished_at = now(), status = $2, stats = $3, errors = $4 where id = $1', [
    id,
    status,
    JSON.stringify(outcome.stats),
    JSON.stringify(outcome.errors),
  ]);
}

export interface RunRow {
  id: string;
  command: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  stats: Record<string, unknown>;
  errors: RunProblem[];
}

export async function recentRuns(db: Queryable, limit = 10): Promise<RunRow[]> {
  return db.query<RunRow>(
    `select id, command, status, started_at as "startedAt", finished_at as "finishedAt", stats, errors
     from runs order by started_at desc limit $1`,
    [limit],
  );
}
