/** Stories and their member Items in the store. */
import type { StoryAssignment } from '../dedupe/exact.js';
import type { Queryable } from './db.js';

/** Stories that already hold an Item with one of these content hashes. */
export async function storiesByContentHash(db: Queryable, hashes: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ hash: string; storyId: string }>(
    `select distinct on (i.content_hash) i.content_hash as hash, si.story_id as "storyId"
     from items i join story_items si on si.item_id = i.id
     where i.content_hash = any($1) order by i.content_hash, si.added_at, si.item_id`,
    [hashes],
  );
  return new Map(rows.map((row) => [row.hash, row.storyId]));
}

/** The ids among these that belong to no Story yet. */
export async function itemsWithoutStory(db: Queryable, itemIds: string[]): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select i.id from items i where i.id = any($1)
     and not exists (select 1 from story_items si where si.item_id = i.id)`,
    [itemIds],
  );
  return rows.map((row) => row.id);
}

/** Stores the assignments; a Story is created the first time one of its Items is assigned. */
export async function saveAssignments(db: Queryable, assignments: StoryAssignment[]): Promise<{ storiesCreated: number }> {
  let storiesCreated = 0;
  for (const assignment of assignments) {
    if (assignment.newStory) {
      const rows = await db.query(
        `insert into stories (id, representative_item_id) values ($1, $2) on conflict (id) do nothing returning id`,
        [assignment.storyId, assignment.itemId],
      );
      storiesCreated += rows.length;
    }
    await db.query(
      `insert into story_items (item_id, story_id, role, reason) values ($1, $2, $3, $4)
       on conflict (item_id) do nothing`,
      [assignment.itemId, assignment.storyId, assignment.role, JSON.stringify(assignment.reason)],
    );
    if (!assignment.newStory) {
      await db.query('update stories set updated_at = now() where id = $1', [assignment.storyId]);
    }
  }
  return { storiesCreated };
}

/** A Story as the Feeds show it: its representative Item, with what all members add. */
export interface PublishedStory {
  id: string;
  title: string;
  url: string | null;
  outlets: string[];
  categories: string[];
  contentHtml: string;
  summary: string;
  publishedAt: Date | null;
  archiveMonth: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function listStories(db: Queryable, options: { limit?: number } = {}): Promise<PublishedStory[]> {
  return db.query<PublishedStory>(
    `select s.id, i.title, i.url, i.outlets, i.content_html as "contentHtml", i.summary,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth",
       s.created_at as "createdAt", s.updated_at as "updatedAt",
       array(select distinct unnest(m.categories) from story_items sm join items m on m.id = sm.item_id
             where sm.story_id = s.id order by 1) as categories
     from stories s join items i on i.id = s.representative_item_id
     order by coalesce(i.published_at, to_date(i.archive_month, 'YYYY-MM')::timestamptz, s.created_at) desc, s.id
     limit $1`,
    [options.limit ?? 10_000],
  );
}

export async function countStories(db: Queryable): Promise<number> {
  const rows = await db.query<{ count: number }>('select count(*)::int as count from stories');
  return rows[0]?.count ?? 0;
}
