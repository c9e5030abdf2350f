/** Sources in the store, kept in step with the configuration. */
import type { SourceConfig } from '../config.js';
import type { Queryable } from './db.js';

export interface SourceRow {
  id: string;
  kind: string;
  name: string;
  location: string;
  settings: Record<string, unknown>;
}

/** Inserts or updates the configured Sources; rows of Sources no longer configured stay (their Items do). */
export async function syncSources(db: Queryable, sources: SourceConfig[]): Promise<void> {
  for (const source of sources) {
    const { id, kind, name, path, ...settings } = source;
    await db.query(
      `insert into sources (id, kind, name, location, settings) values ($1, $2, $3, $4, $5)
       on conflict (id) do update set kind = excluded.kind, name = excluded.name,
         location = excluded.location, settings = excluded.settings, updated_at = now()
       where (sources.kind, sources.name, sources.location, sources.settings)
         is distinct from (excluded.kind, excluded.name, excluded.location, excluded.settings)`,
      [id, kind, name, path, JSON.stringify(settings)],
    );
  }
}

export async function getSource(db: Queryable, id: string): Promise<SourceRow | undefined> {
  const rows = await db.query<SourceRow>('select id, kind, name, location, settings from sources where id = $1', [id]);
  return rows[0];
}
