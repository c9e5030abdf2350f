/**
 * A Story's provenance as editors read it: every member with its role and why
 * it joined, every place each was seen, the merges that made the Story, the
 * series it belongs to and the pairs about it still waiting for an editor.
 */
import type { JoinReason } from '../dedupe/cluster.js';
import { furnitureOf } from '../dedupe/furniture.js';
import { makePrint, type PrintSource } from '../dedupe/print.js';
import { DEFAULT_DEDUPE, type DedupeSettings } from '../dedupe/rules.js';
import type { StoryRole } from '../dedupe/roles.js';
import { earliestPublication, type PublicationDate } from '../dedupe/story-date.js';
import type { Queryable } from './db.js';
import { resolveStory } from './story-edits.js';
import { attachPages, readTextCounts } from './text-counts.js';

export interface StoryMemberDetail {
  itemId: string;
  sourceId: string;
  title: string;
  url: string | null;
  outlets: string[];
  /** The Item's own date: its Source's, or the archive month it was filed under; null when neither is known. */
  published: PublicationDate | null;
  role: StoryRole;
  representative: boolean;
  reason: JoinReason;
  appearances: { location: string; position: number | null; firstSeenAt: Date }[];
  /** Its paragraphs that are its site's furniture by the text counts now (left out whenever it is compared). */
  furniture: string[];
}

export interface StoryDetail {
  id: string;
  /** Set when the id asked for was merged into this Story. */
  askedFor: string;
  /** The Story's date: the earliest of its members'. */
  published: PublicationDate | null;
  createdAt: Date;
  updatedAt: Date;
  members: StoryMemberDetail[];
  merges: { from: string; byItem: string | null; editor: string | null; reason: unknown; mergedAt: Date }[];
  series: { storyId: string; title: string }[];
  /** Stories kept apart as one template filled with different facts, with the facts that differ (`Busan ≠ Daegu`). */
  templates: { storyId: string; title: string; facts: string[] }[];
  pendingReviews: number;
}

/** Each member's furniture paragraphs: its print made again from its text (for the words to quote), counted as stored. */
async function membersFurniture(db: Queryable, storyId: string, settings: DedupeSettings): Promise<Map<string, string[]>> {
  const items = await db.query<PrintSource & { counted: boolean | null }>(
    `select i.id, i.source_id as "sourceId", i.title, i.content_text as "contentText", i.content_hash as "contentHash", i.url,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth", p.counted
     from story_items si join items i on i.id = si.item_id left join dedupe_prints p on p.item_id = i.id where si.story_id = $1`,
    [storyId],
  );
  const prints = items.map((item) => ({ ...makePrint(item, settings), counted: item.counted ?? false }));
  attachPages(prints, await readTextCounts(db, prints));
  return new Map(prints.map((print) => [print.itemId, furnitureOf(print, print.words ?? [], settings)]));
}

export async function storyDetail(db: Queryable, id: string, settings: DedupeSettings = DEFAULT_DEDUPE): Promise<StoryDetail> {
  const storyId = await resolveStory(db, id);
  const [story] = await db.query<{ createdAt: Date; updatedAt: Date; representative: string }>(
    'select created_at as "createdAt", updated_at as "updatedAt", representative_item_id as representative from stories where id = $1',
    [storyId],
  );
  const rows = await db.query<Omit<StoryMemberDetail, 'appearances' | 'representative' | 'published'> & { publishedAt: Date | null; archiveMonth: string | null }>(
    `select i.id as "itemId", i.source_id as "sourceId", i.title, i.url, i.outlets, si.role, si.reason,
       i.published_at as "publishedAt", i.archive_month as "archiveMonth"
     from story_items si join items i on i.id = si.item_id where si.story_id = $1
     order by (i.id = $2) desc, si.added_at, i.id`,
    [storyId, story!.representative],
  );
  const members = rows.map(({ publishedAt, archiveMonth, ...member }) => ({ ...member, published: earliestPublication([{ publishedAt, archiveMonth }]) }));
  const appearances = await db.query<{ itemId: string; location: string; position: number | null; firstSeenAt: Date }>(
    `select a.item_id as "itemId", a.location, a.position, a.first_seen_at as "firstSeenAt"
     from appearances a join story_items si on si.item_id = a.item_id where si.story_id = $1 order by a.location`,
    [storyId],
  );
  const merges = await db.query<StoryDetail['merges'][number]>(
    `select from_story as "from", by_item as "byItem", editor, reason, merged_at as "mergedAt"
     from story_merges where into_story = $1 order by id`,
    [storyId],
  );
  const series = await db.query<{ storyId: string; title: string }>(
    `select distinct so.story_id as "storyId", io.title
     from item_links l
     join story_items sm on sm.item_id in (l.item_id, l.other_item_id) and sm.story_id = $1
     join story_items so on so.item_id in (l.item_id, l.other_item_id) and so.story_id <> $1
     join items io on io.id = so.item_id
     where l.kind = 'series' order by io.title`,
    [storyId],
  );
  const templates = await db.query<{ storyId: string; title: string; facts: string[] | null }>(
    `select distinct on (so.story_id) so.story_id as "storyId", io.title, l.reason->'facts' as facts
     from item_links l
     join story_items sm on sm.item_id in (l.item_id, l.other_item_id) and sm.story_id = $1
     join story_items so on so.item_id in (l.item_id, l.other_item_id) and so.story_id <> $1
     join items io on io.id = so.item_id
     where l.kind = 'template' order by so.story_id, io.title`,
    [storyId],
  );
  const furniture = await membersFurniture(db, storyId, settings);
  const [pending] = await db.query<{ count: number }>(
    `select count(*)::int as count from dedupe_reviews r
     join story_items sa on sa.item_id = r.item_id join story_items sb on sb.item_id = r.other_item_id
     where r.status = 'pending' and sa.story_id <> sb.story_id and $1 in (sa.story_id, sb.story_id)`,
    [storyId],
  );
  return {
    id: storyId,
    askedFor: id,
    published: earliestPublication(rows),
    createdAt: story!.createdAt,
    updatedAt: story!.updatedAt,
    members: members.map((member) => ({
      ...member,
      representative: member.itemId === story!.representative,
      appearances: appearances.filter((a) => a.itemId === member.itemId).map(({ itemId: _, ...rest }) => rest),
      furniture: furniture.get(member.itemId) ?? [],
    })),
    merges,
    series,
    templates: templates.map((t) => ({ ...t, facts: t.facts ?? [] })),
    pendingReviews: pending?.count ?? 0,
  };
}
