/** Stories and their member Items in the store: what dedupe decided, and what the Feeds read. */
import type { BatchResult } from '../dedupe/cluster.js';
import type { PrintSource } from '../dedupe/print.js';
import { storyProvenance, type StoryMember } from '../dedupe/roles.js';
import { earliestPublication, type PublicationDate } from '../dedupe/story-date.js';
import type { Queryable } from './db.js';
import { loadPrints } from './dedupe-prints.js';
import { moveTopicLabels } from './topics.js';
import type { PublishedStory } from '../publish/entries.js';

/** SQL, over `src` (sources): the Item was read from an Outlet's feed, not the organisation's own blog. */
export const FROM_OUTLET = `(src.kind in ('feed', 'file') and coalesce(src.settings->>'role', 'outlet') = 'outlet')`;

/**
 * SQL, a lateral join over `s` (stories): `d.published_at`, the earliest moment,
 * and `d.archive_month`, the earliest archive month, that any of the Story's
 * Items is dated by (storyPublication makes one date of the two), and
 * `d.known_at`, the earlier of them (a month by its first instant, UTC): what
 * newest-first orders by. Read from the members every time, so a merge or a
 * split re-derives it, and nothing stored can go stale.
 */
export const STORY_DATES = `left join lateral (
    select x.published_at, x.archive_month,
      least(x.published_at, to_date(x.archive_month, 'YYYY-MM')::timestamp at time zone 'UTC') as known_at
    from (select min(m.published_at) as published_at,
            min(m.archive_month) filter (where m.archive_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$') as archive_month
          from story_items sm join items m on m.id = sm.item_id where sm.story_id = s.id) x
  ) d on true`;

/** The Story's date from the columns STORY_DATES gives: the earliest of its Items' (the minima of each kind suffice). */
export function storyPublication(row: { publishedAt: Date | null; archiveMonth: string | null }): PublicationDate | null {
  return earliestPublication([row]);
}

/** An arbitrary constant: the advisory lock under which one worker at a time decides Stories. */
const dedupeLock = 715_400_022;

/**
 * Taken inside the dedupe transaction: two workers holding copies of one
 * article must not both see an index without the other and create two Stories.
 * Released at commit; preparing the prints happens before, outside the lock.
 */
export async function lockDedupe(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [dedupeLock]);
}

/** Of these Items, the ones in no Story yet, first seen first, with what their prints are made of. */
export async function itemsWithoutStory(db: Queryable, itemIds: string[]): Promise<PrintSource[]> {
  return db.query<PrintSource>(
    `select i.id, i.source_id as "sourceId", i.title, i.content_text as "contentText", i.content_hash as "contentHash", i.url,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth"
     from items i where i.id = any($1) and not exists (select 1 from story_items si where si.item_id = i.id)
     order by i.first_seen_at, i.id`,
    [itemIds],
  );
}

/** Of these Item ids, the ones in no Story yet (ids only: cheap to ask again under the lock). */
export async function idsWithoutStory(db: Queryable, itemIds: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    `select id from unnest($1::text[]) as i (id) where not exists (select 1 from story_items si where si.item_id = i.id)`,
    [itemIds],
  );
  return new Set(rows.map((row) => row.id));
}

/** Of these Items, the ones already in a Story whose text changed since their print was made. */
export async function itemsWithChangedText(db: Queryable, itemIds: string[]): Promise<PrintSource[]> {
  return db.query<PrintSource>(
    `select i.id, i.source_id as "sourceId", i.title, i.content_text as "contentText", i.content_hash as "contentHash", i.url,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth"
     from items i join dedupe_prints p on p.item_id = i.id
     where i.id = any($1) and p.content_hash <> i.content_hash order by i.id`,
    [itemIds],
  );
}

/** Items in a Story, by id after `after`, with what their prints are made of: for rebuilding the index. */
export async function itemsInStories(db: Queryable, after: string, limit: number): Promise<PrintSource[]> {
  return db.query<PrintSource>(
    `select i.id, i.source_id as "sourceId", i.title, i.content_text as "contentText", i.content_hash as "contentHash", i.url,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth"
     from items i join story_items si on si.item_id = i.id where i.id > $1 order by i.id limit $2`,
    [after, limit],
  );
}

/** Stores what dedupe decided for a batch: new Stories, memberships, merges, pairs for editors, series links. */
export async function saveBatch(db: Queryable, batch: BatchResult): Promise<{ storiesCreated: number }> {
  // A Story created in this batch and absorbed in it still gets its row, so its id resolves and the merge log can name it.
  const created = batch.assignments.flatMap((a) => (a.createdStory ? [{ storyId: a.createdStory, itemId: a.itemId }] : []));
  const absorbed = new Set(batch.merges.map((merge) => merge.from));
  let storiesCreated = 0;
  if (created.length > 0) {
    const rows = await db.query<{ id: string }>(
      `insert into stories (id, representative_item_id) select * from unnest($1::text[], $2::text[])
       on conflict (id) do nothing returning id`,
      [created.map((c) => c.storyId), created.map((c) => c.itemId)],
    );
    storiesCreated = rows.filter((row) => !absorbed.has(row.id)).length;
  }
  for (const merge of batch.merges) await mergeStory(db, merge.from, merge.into, { byItem: merge.byItem, editor: null, reason: merge.reason });
  if (batch.assignments.length > 0) {
    // The role an Item has alone; refreshProvenance sets it anew in Stories with other members.
    await db.query(
      `insert into story_items (item_id, story_id, role, reason)
       select r.item_id, r.story_id, case when ${FROM_OUTLET} or i.attribution is null then 'original' else 'excerpt' end, r.reason
       from unnest($1::text[], $2::text[], $3::jsonb[]) as r (item_id, story_id, reason)
       join items i on i.id = r.item_id join sources src on src.id = i.source_id
       on conflict (item_id) do nothing`,
      [batch.assignments.map((a) => a.itemId), batch.assignments.map((a) => a.storyId), batch.assignments.map((a) => JSON.stringify(a.reason))],
    );
  }
  if (batch.reviews.length > 0) {
    await db.query(
      `insert into dedupe_reviews (item_id, other_item_id, kind, scores, passage)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[]) on conflict do nothing`,
      [
        batch.reviews.map((r) => r.itemId),
        batch.reviews.map((r) => r.otherItemId),
        batch.reviews.map((r) => r.kind),
        batch.reviews.map((r) => JSON.stringify(r.scores)),
        batch.reviews.map((r) => r.passage),
      ],
    );
  }
  if (batch.links.length > 0) {
    await db.query(
      `insert into item_links (item_id, other_item_id, kind, reason)
       select item_id, other_item_id, kind, reason::jsonb from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as l (item_id, other_item_id, kind, reason)
       on conflict do nothing`,
      [
        batch.links.map((l) => l.itemId),
        batch.links.map((l) => l.otherItemId),
        batch.links.map((l) => l.kind),
        batch.links.map((l) => (l.facts ? JSON.stringify({ facts: l.facts }) : null)),
      ],
    );
  }
  return { storiesCreated };
}

/**
 * Moves every member of `from` into `into`; `from` keeps its row, redirected,
 * so its id still resolves (and so do ids merged into it before).
 */
export async function mergeStory(
  db: Queryable,
  from: string,
  into: string,
  how: { byItem: string | null; editor: string | null; reason: unknown },
): Promise<void> {
  await countStoryMove(db);
  await db.query('update story_items set story_id = $2 where story_id = $1', [from, into]);
  await moveTopicLabels(db, from, into);
  await db.query('update stories set merged_into = $2, updated_at = now() where id = $1', [from, into]);
  await db.query('update stories set merged_into = $2 where merged_into = $1', [from, into]);
  await db.query('update stories set updated_at = now() where id = $1', [into]);
  await db.query('insert into story_merges (from_story, into_story, by_item, editor, reason) values ($1, $2, $3, $4, $5)', [
    from,
    into,
    how.byItem,
    how.editor,
    JSON.stringify(how.reason),
  ]);
}

type MemberRow = Omit<StoryMember, 'print'> & { storyId: string };

/** Items moved between Stories: lookups made before the lock must re-read their candidates' Stories. */
export async function countStoryMove(db: Queryable): Promise<void> {
  await db.query(`select nextval('story_moves')`);
}

/** How many moves so far (see countStoryMove). */
export async function storyMoves(db: Queryable): Promise<number> {
  const [row] = await db.query<{ moves: string }>('select last_value::text as moves from story_moves');
  return Number(row!.moves);
}

/** Sets each Story's representative and its members' roles from who is in it now. */
export async function refreshProvenance(db: Queryable, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  const rows = await db.query<MemberRow>(
    `select si.story_id as "storyId", i.id as "itemId", i.outlets, i.attribution,
       i.published_at as "publishedAt", i.first_seen_at as "firstSeenAt",
       ${FROM_OUTLET} as "fromOutlet"
     from story_items si join items i on i.id = si.item_id join sources src on src.id = i.source_id
     where si.story_id = any($1)`,
    [storyIds],
  );
  const prints = await loadPrints(db, rows.map((row) => row.itemId));
  const byStory = new Map<string, StoryMember[]>();
  for (const row of rows) {
    const print = prints.get(row.itemId);
    if (!print) continue;
    const members = byStory.get(row.storyId);
    if (members) members.push({ ...row, print });
    else byStory.set(row.storyId, [{ ...row, print }]);
  }
  const representatives: string[][] = [[], []];
  const roles: string[][] = [[], []];
  for (const [storyId, members] of byStory) {
    const provenance = storyProvenance(members);
    representatives[0]!.push(storyId);
    representatives[1]!.push(provenance.representativeId);
    for (const [itemId, role] of provenance.roles) {
      roles[0]!.push(itemId);
      roles[1]!.push(role);
    }
  }
  await db.query(
    `update stories s set representative_item_id = r.item_id from unnest($1::text[], $2::text[]) as r (story_id, item_id)
     where s.id = r.story_id and s.representative_item_id <> r.item_id`,
    representatives,
  );
  await db.query(
    `update story_items si set role = r.role from unnest($1::text[], $2::text[]) as r (item_id, role)
     where si.item_id = r.item_id and si.role <> r.role`,
    roles,
  );
}

/**
 * Live Stories, newest first: by their publication date (a month by its first
 * day), and a Story no Item dates by when it was first seen, the latest it can
 * have been published; equal ones by id, so the order is stable.
 */
export async function listStories(db: Queryable, options: { limit?: number } = {}): Promise<PublishedStory[]> {
  const rows = await db.query<Omit<PublishedStory, 'published'> & { publishedAt: Date | null; archiveMonth: string | null }>(
    `select s.id, i.title, i.url, i.outlets, i.content_html as "contentHtml", i.summary,
       d.published_at as "publishedAt", d.archive_month as "archiveMonth",
       s.created_at as "createdAt", s.updated_at as "updatedAt",
       array(select distinct unnest(m.categories) from story_items sm join items m on m.id = sm.item_id
             where sm.story_id = s.id order by 1) as categories,
       (select count(*)::int from story_items sm where sm.story_id = s.id) as items,
       array(select t.slug from story_topics t where t.story_id = s.id order by t.score desc, t.slug) as topics
     from stories s join items i on i.id = s.representative_item_id ${STORY_DATES}
     where s.merged_into is null
     order by coalesce(d.known_at, s.created_at) desc, s.id
     limit $1`,
    [options.limit ?? 10_000],
  );
  return rows.map(({ publishedAt, archiveMonth, ...story }) => ({ ...story, published: storyPublication({ publishedAt, archiveMonth }) }));
}

export async function countStories(db: Queryable): Promise<number> {
  const rows = await db.query<{ count: number }>('select count(*)::int as count from stories where merged_into is null');
  return rows[0]?.count ?? 0;
}
