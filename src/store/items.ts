/** Items and Appearances in the store. Upserts are idempotent: the same input changes nothing. */
import type { Appearance, Item } from '../ingest/item.js';
import type { Queryable } from './db.js';

export type UpsertOutcome = 'new' | 'updated' | 'unchanged';

const itemColumns = [
  'id', 'source_id', 'key', 'title', 'url', 'attribution', 'outlets', 'author', 'published_at',
  'archive_month', 'categories', 'tags', 'content_html', 'content_text', 'summary', 'truncated', 'content_hash',
] as const;

/**
 * Inserts the Items or brings the stored ones up to date, in one statement per
 * chunk; returns what happened to each id. Context only grows: a category or
 * month seen once stays, so reading the pages in another order or a subset of
 * them never loses what an earlier run learnt.
 */
export async function upsertItems(db: Queryable, items: Item[]): Promise<Map<string, UpsertOutcome>> {
  const outcomes = new Map<string, UpsertOutcome>();
  // One statement may not touch a row twice: an id given twice waits for the next round.
  let pending = items;
  while (pending.length > 0) {
    const round = new Map<string, Item>();
    const later: Item[] = [];
    for (const item of pending) {
      if (round.has(item.id) || round.size >= UPSERT_CHUNK) later.push(item);
      else round.set(item.id, item);
    }
    pending = later;
    const records = [...round.values()].map((item) => ({
      id: item.id, source_id: item.sourceId, key: item.key, title: item.title, url: item.url, attribution: item.attribution,
      outlets: item.outlets, author: item.author, published_at: item.publishedAt, archive_month: item.archiveMonth,
      categories: item.categories, tags: item.tags, content_html: item.contentHtml, content_text: item.contentText,
      summary: item.summary, truncated: item.truncated, content_hash: item.contentHash,
    }));
    const rows = await db.query<{ id: string; inserted: boolean }>(
      `insert into items (${itemColumns.join(', ')})
     select ${itemColumns.join(', ')} from jsonb_to_recordset($1::jsonb) as r (id text, source_id text, key text, title text,
       url text, attribution text, outlets text[], author text, published_at timestamptz, archive_month text, categories text[],
       tags text[], content_html text, content_text text, summary text, truncated boolean, content_hash text)
     on conflict (id) do update set
       title = excluded.title, url = coalesce(excluded.url, items.url),
       attribution = excluded.attribution, outlets = excluded.outlets,
       author = coalesce(excluded.author, items.author),
       published_at = coalesce(excluded.published_at, items.published_at),
       archive_month = coalesce(items.archive_month, excluded.archive_month),
       categories = array(select distinct unnest(items.categories || excluded.categories) order by 1),
       tags = array(select distinct unnest(items.tags || excluded.tags) order by 1),
       content_html = excluded.content_html, content_text = excluded.content_text,
       summary = excluded.summary, truncated = excluded.truncated, content_hash = excluded.content_hash,
       updated_at = now()
     where (items.title, items.attribution, items.outlets, items.content_hash, items.truncated)
             is distinct from (excluded.title, excluded.attribution, excluded.outlets, excluded.content_hash, excluded.truncated)
        or not (items.categories @> excluded.categories and items.tags @> excluded.tags)
        or (items.archive_month is null and excluded.archive_month is not null)
        or (items.author is null and excluded.author is not null)
        or (excluded.url is not null and items.url is distinct from excluded.url)
        or (excluded.published_at is not null and items.published_at is distinct from excluded.published_at)
     returning id, (xmax = 0) as inserted`,
      [JSON.stringify(records)],
    );
    for (const id of round.keys()) if (!outcomes.has(id)) outcomes.set(id, 'unchanged');
    // An id given twice is new if its first round inserted it.
    for (const row of rows) if (outcomes.get(row.id) !== 'new') outcomes.set(row.id, row.inserted ? 'new' : 'updated');
  }
  return outcomes;
}

/** Items per upsert statement: large enough to save round trips, small enough to keep a statement quick. */
const UPSERT_CHUNK = 500;

/** One Item: upsertItems for a single Item. */
export async function upsertItem(db: Queryable, item: Item): Promise<UpsertOutcome> {
  return (await upsertItems(db, [item])).get(item.id)!;
}

/**
 * Records Appearances in one statement; returns how many places had not been
 * seen before. A place given twice counts once and keeps its last position and
 * context, as recording them one by one would.
 */
export async function upsertAppearances(db: Queryable, appearances: Appearance[]): Promise<number> {
  const places = new Map(appearances.map((appearance) => [`${appearance.itemId}\n${appearance.location}`, appearance]));
  if (places.size === 0) return 0;
  const rows = [...places.values()];
  const inserted = await db.query<{ inserted: boolean }>(
    `insert into appearances (item_id, location, position, context)
     select * from unnest($1::text[], $2::text[], $3::integer[], $4::jsonb[])
     on conflict (item_id, location) do update set position = excluded.position, context = excluded.context, last_seen_at = now()
     returning (xmax = 0) as inserted`,
    [rows.map((a) => a.itemId), rows.map((a) => a.location), rows.map((a) => a.position), rows.map((a) => JSON.stringify(a.context))],
  );
  return inserted.filter((row) => row.inserted).length;
}

/** Records an Appearance; returns true when this place had not been seen before. */
export async function upsertAppearance(db: Queryable, appearance: Appearance): Promise<boolean> {
  return (await upsertAppearances(db, [appearance])) === 1;
}

export async function countItems(db: Queryable): Promise<{ items: number; appearances: number }> {
  const rows = await db.query<{ items: number; appearances: number }>(
    `select (select count(*)::int from items) as items, (select count(*)::int from appearances) as appearances`,
  );
  return rows[0] ?? { items: 0, appearances: 0 };
}

/** Items a Source posted since `since` (by their date, or when first seen when they carry none): its posting rate. */
export async function countPostsSince(db: Queryable, sourceId: string, since: Date): Promise<number> {
  const [row] = await db.query<{ count: number }>(
    'select count(*)::int as count from items where source_id = $1 and coalesce(published_at, first_seen_at) >= $2',
    [sourceId, since],
  );
  return row?.count ?? 0;
}
