/** Items and Appearances in the store. Upserts are idempotent: the same input changes nothing. */
import type { Appearance, Item } from '../ingest/item.js';
import type { Queryable } from './db.js';

export type UpsertOutcome = 'new' | 'updated' | 'unchanged';

const itemColumns = [
  'id', 'source_id', 'key', 'title', 'url', 'attribution', 'outlets', 'author', 'published_at',
  'archive_month', 'categories', 'tags', 'content_html', 'content_text', 'summary', 'truncated', 'content_hash',
] as const;

/**
 * Inserts the Item or brings the stored one up to date. Context only grows: a
 * category or month seen once stays, so reading the pages in another order or
 * a subset of them never loses what an earlier run learnt.
 */
export async function upsertItem(db: Queryable, item: Item): Promise<UpsertOutcome> {
  const values = [
    item.id, item.sourceId, item.key, item.title, item.url, item.attribution, item.outlets, item.author,
    item.publishedAt, item.archiveMonth, item.categories, item.tags, item.contentHtml, item.contentText,
    item.summary, item.truncated, item.contentHash,
  ];
  const rows = await db.query<{ inserted: boolean }>(
    `insert into items (${itemColumns.join(', ')})
     values (${itemColumns.map((_, i) => `$${i + 1}`).join(', ')})
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
     returning (xmax = 0) as inserted`,
    values,
  );
  const row = rows[0];
  if (!row) return 'unchanged';
  return row.inserted ? 'new' : 'updated';
}

/** Records an Appearance; returns true when this place had not been seen before. */
export async function upsertAppearance(db: Queryable, appearance: Appearance): Promise<boolean> {
  const rows = await db.query<{ inserted: boolean }>(
    `insert into appearances (item_id, location, position, context) values ($1, $2, $3, $4)
     on conflict (item_id, location) do update set position = excluded.position, context = excluded.context, last_seen_at = now()
     returning (xmax = 0) as inserted`,
    [appearance.itemId, appearance.location, appearance.position, JSON.stringify(appearance.context)],
  );
  return rows[0]?.inserted ?? false;
}

export async function countItems(db: Queryable): Promise<{ items: number; appearances: number }> {
  const rows = await db.query<{ items: number; appearances: number }>(
    `select (select count(*)::int from items) as items, (select count(*)::int from appearances) as appearances`,
  );
  return rows[0] ?? { items: 0, appearances: 0 };
}
