/**
 * What the public Story pages show (src/publish/story-page.ts): the Story as
 * its representative Item gives it, its Topics and dates, and where its Items
 * were seen. Only what the Feeds already publish; nothing about editors or
 * Subscribers. Merged-away ids are answered with the Story they went into.
 */
import type { Queryable } from './db.js';
import { STORY_DATES, storyPublication } from './stories.js';
import type { StoryPageStory, StorySighting } from '../publish/story-page.js';

export interface StoryPagesRead {
  stories: StoryPageStory[];
  /** Ids merged away, with the live Story each went into (merges are kept flat): those asked for, and with `mergedAway` every one merged into a Story read. */
  moved: { id: string; into: string }[];
}

/** Stories read at once: a publish asks for thousands. */
const BATCH = 500;

/**
 * The pages' Stories for these ids (unknown ones left out); a merged-away id
 * brings the Story it went into. `mergedAway`: also every id merged into one
 * of them, whose page (published before the merge) must now send readers on.
 */
export async function readStoryPages(db: Queryable, ids: string[], options: { mergedAway?: boolean } = {}): Promise<StoryPagesRead> {
  const asked = [...new Set(ids)];
  const rows = await db.query<{ id: string; mergedInto: string | null }>('select id, merged_into as "mergedInto" from stories where id = any($1)', [asked]);
  const moved = rows.filter((row) => row.mergedInto !== null).map((row) => ({ id: row.id, into: row.mergedInto! }));
  const live = [...new Set([...rows.filter((row) => row.mergedInto === null).map((row) => row.id), ...moved.map((m) => m.into)])].sort();
  if (options.mergedAway) {
    const known = new Set(moved.map((m) => m.id));
    const away = await db.query<{ id: string; into: string }>('select id, merged_into as "into" from stories where merged_into = any($1) order by id', [live]);
    moved.push(...away.filter((m) => !known.has(m.id)));
  }
  const stories: StoryPageStory[] = [];
  for (let i = 0; i < live.length; i += BATCH) stories.push(...(await readBatch(db, live.slice(i, i + BATCH))));
  return { stories, moved };
}

async function readBatch(db: Queryable, ids: string[]): Promise<StoryPageStory[]> {
  const rows = await db.query<Omit<StoryPageStory, 'published' | 'seen'> & { publishedAt: Date | null; archiveMonth: string | null }>(
    `select s.id, i.title, i.url, i.outlets, i.summary, d.published_at as "publishedAt", d.archive_month as "archiveMonth",
       s.created_at as "firstSeenAt",
       array(select t.slug from story_topics t where t.story_id = s.id order by t.score desc, t.slug) as topics
     from stories s join items i on i.id = s.representative_item_id ${STORY_DATES}
     where s.id = any($1) and s.merged_into is null order by s.id`,
    [ids],
  );
  const sightings = await db.query<StorySighting & { storyId: string }>(
    `select si.story_id as "storyId", src.name as source, i.url, i.outlets,
       array(select a.location from appearances a where a.item_id = i.id order by a.location) as locations,
       i.first_seen_at as "firstSeenAt"
     from story_items si join items i on i.id = si.item_id join sources src on src.id = i.source_id
     where si.story_id = any($1) order by si.story_id, i.first_seen_at, i.id`,
    [ids],
  );
  const byStory = new Map<string, StorySighting[]>();
  for (const { storyId, ...sighting } of sightings) {
    const list = byStory.get(storyId);
    if (list) list.push(sighting);
    else byStory.set(storyId, [sighting]);
  }
  return rows.map(({ publishedAt, archiveMonth, ...story }) => ({
    ...story,
    published: storyPublication({ publishedAt, archiveMonth }),
    seen: byStory.get(story.id) ?? [],
  }));
}

/**
 * The Stories whose links lead to their pages, besides the Feeds' (the caller
 * has those): the entries of every Edition not discarded that were stored
 * without an Outlet's address. An email keeps the link it went out with,
 * even after the Story gained an original or was merged into another.
 */
export async function editionStoriesWithoutOriginal(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ storyId: string }>(
    `select distinct es.story_id as "storyId" from edition_stories es join editions e on e.id = es.edition_id
     where e.status not in ('discarded', 'skipped') and coalesce(es.entry->>'url', '') !~* '^https?://'
     order by 1`,
  );
  return rows.map((row) => row.storyId);
}
