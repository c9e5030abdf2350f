/** Sources in the store, kept in step with the configuration, with their fetch health. */
import { sourceLocation, type SourceConfig } from '../config-sources.js';
import type { HealthAfter, SourceState } from '../ingest/fetch/health.js';
import type { FetchRecord, SourceRow } from '../ingest/source.js';
import type { Queryable } from './db.js';

const columns = `id, kind, name, location, url, enabled, settings, etag, last_modified as "lastModified", state,
  last_status as "lastStatus", last_http_status as "lastHttpStatus", last_message as "lastMessage",
  last_fetch_at as "lastFetchAt", last_success_at as "lastSuccessAt", next_fetch_at as "nextFetchAt",
  error_streak as "errorStreak", last_problems as "lastProblems"`;

/**
 * Inserts or updates the configured Sources. A changed address in the config
 * wins over where redirects led; Sources no longer configured are disabled (their
 * Items stay).
 */
export async function syncSources(db: Queryable, sources: SourceConfig[]): Promise<void> {
  for (const source of sources) {
    const { id, kind, name, enabled, ...rest } = source;
    const settings = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'path' && key !== 'url'));
    const location = sourceLocation(source);
    await db.query(
      `insert into sources (id, kind, name, location, url, enabled, settings) values ($1, $2, $3, $4, $4, $5, $6)
       on conflict (id) do update set kind = excluded.kind, name = excluded.name, location = excluded.location,
         url = case when sources.location = excluded.location then coalesce(sources.url, excluded.url) else excluded.url end,
         enabled = excluded.enabled, settings = excluded.settings, updated_at = now()
       where (sources.kind, sources.name, sources.location, sources.enabled, sources.settings)
         is distinct from (excluded.kind, excluded.name, excluded.location, excluded.enabled, excluded.settings)`,
      [id, kind, name, location, enabled, JSON.stringify(settings)],
    );
  }
  await db.query('update sources set enabled = false, updated_at = now() where enabled and not (id = any($1))', [
    sources.map((source) => source.id),
  ]);
}

export async function getSource(db: Queryable, id: string): Promise<SourceRow | undefined> {
  const rows = await db.query<SourceRow>(`select ${columns} from sources where id = $1`, [id]);
  return rows[0];
}

export async function listSources(db: Queryable): Promise<SourceRow[]> {
  return db.query<SourceRow>(`select ${columns} from sources order by id`);
}

/** A Source as operators and editors see it: `disabled` for one switched off, whatever its last read left. */
export type SourceHealth = Omit<SourceRow, 'state'> & {
  state: SourceState | 'disabled';
  /** Items stored from it. */
  items: number;
};

/** Every Source with its health and how many Items it gave (`newsdesk sources list`, the Sources page). */
export async function listSourceHealth(db: Queryable): Promise<SourceHealth[]> {
  const rows = await db.query<SourceRow & { items: number }>(
    `select ${columns}, (select count(*)::int from items i where i.source_id = sources.id) as items from sources order by id`,
  );
  return rows.map((row) => ({ ...row, state: row.enabled ? row.state : 'disabled' }));
}

/**
 * Stores a read of a Source read from disk (archive folder, feed file, export):
 * there is no fetch to classify, so a read that got through is `ok`, with the
 * inputs it refused counted; one that could not read at all (the folder is
 * gone) is `failing` with why, until a read gets through again.
 */
export async function recordDiskRead(
  db: Queryable,
  sourceId: string,
  read: { problems: { message: string }[] } | { error: string },
  now: Date,
): Promise<void> {
  if ('error' in read) {
    await db.query(
      `update sources set state = 'failing', last_status = null, last_http_status = null, last_message = $2, last_fetch_at = $3,
         error_streak = error_streak + 1, last_problems = null where id = $1`,
      [sourceId, read.error, now],
    );
    return;
  }
  const first = read.problems[0]?.message ?? null;
  const message = read.problems.length > 1 ? `${first} (and ${read.problems.length - 1} more)` : first;
  await db.query(
    `update sources set state = 'ok', last_status = null, last_http_status = null, last_message = $2, last_fetch_at = $3,
       last_success_at = $3, error_streak = 0, last_problems = $4 where id = $1`,
    [sourceId, message, now, read.problems.length],
  );
}

/** The inputs a feed read refused (its fetch is recorded by recordFetch). */
export async function recordProblems(db: Queryable, sourceId: string, problems: number): Promise<void> {
  await db.query('update sources set last_problems = $2 where id = $1', [sourceId, problems]);
}

/** Stores one fetch: the history row and the Source's health after it. */
export async function recordFetch(db: Queryable, sourceId: string, fetch: FetchRecord, health: HealthAfter, now: Date): Promise<void> {
  const success = fetch.status === 'ok' || fetch.status === 'not-modified';
  await db.query(
    `insert into fetches (source_id, at, url, status, http_status, message, elapsed_ms) values ($1, $2, $3, $4, $5, $6, $7)`,
    [sourceId, now, fetch.url, fetch.status, fetch.httpStatus, fetch.message, fetch.elapsedMs],
  );
  await db.query(
    `update sources set state = $2, last_status = $3, last_http_status = $4, last_message = $5, last_fetch_at = $6,
       last_success_at = case when $7 then $6 else last_success_at end, next_fetch_at = $8, error_streak = $9,
       etag = case when $10 then $11 else etag end, last_modified = case when $10 then $12 else last_modified end,
       url = coalesce($13, url)
     where id = $1`,
    [
      sourceId, health.state, fetch.status, fetch.httpStatus, fetch.message, now, success, health.nextFetchAt,
      health.errorStreak, fetch.validators !== undefined, fetch.validators?.etag ?? null,
      fetch.validators?.lastModified ?? null, fetch.newUrl ?? null,
    ],
  );
}
