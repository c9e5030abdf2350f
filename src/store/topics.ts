/**
 * Adapter: what tagging reads and writes. Stories' member texts, the Topics
 * given with their explanations, editors' labels, trained models, and the
 * version the stored tags were made with.
 */
import type { TopicModel } from '../tag/model.js';
import type { StoredTopic, TopicScore } from '../tag/tag.js';
import type { TagMember } from '../tag/words.js';
import type { Db, Queryable } from './db.js';

/** Members' titles and texts of each Story (merged-away Stories have none). */
export async function storyTexts(db: Queryable, storyIds: string[]): Promise<Map<string, TagMember[]>> {
  const rows = await db.query<{ storyId: string; title: string; text: string }>(
    `select si.story_id as "storyId", i.title, i.content_text as text
     from story_items si join items i on i.id = si.item_id join stories s on s.id = si.story_id
     where si.story_id = any($1) and s.merged_into is null
     order by si.story_id, i.id`,
    [storyIds],
  );
  const texts = new Map<string, TagMember[]>();
  for (const row of rows) {
    const members = texts.get(row.storyId);
    if (members) members.push({ title: row.title, text: row.text });
    else texts.set(row.storyId, [{ title: row.title, text: row.text }]);
  }
  return texts;
}

/** Story ids after `after`, in id order: how every Story is re-tagged in chunks. */
export async function storyIdsAfter(db: Queryable, after: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>('select id from stories where id > $1 and merged_into is null order by id limit $2', [after, limit]);
  return rows.map((row) => row.id);
}

/**
 * Story ids after `after` that no editor has labelled, in id order: the Stories
 * `tags review` weighs (a labelled Story already teaches `tags train` every Topic).
 */
export async function unlabelledStoryIdsAfter(db: Queryable, after: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select s.id from stories s
     where s.id > $1 and s.merged_into is null and not exists (select 1 from topic_labels l where l.story_id = s.id)
     order by s.id limit $2`,
    [after, limit],
  );
  return rows.map((row) => row.id);
}

/** Each Story's title: its representative Item's. */
export async function storyTitles(db: Queryable, storyIds: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; title: string }>(
    'select s.id, i.title from stories s join items i on i.id = s.representative_item_id where s.id = any($1)',
    [storyIds],
  );
  return new Map(rows.map((row) => [row.id, row.title]));
}

/** Editors' labels of each Story: slug -> carries it. */
export async function topicLabels(db: Queryable, storyIds: string[]): Promise<Map<string, Map<string, boolean>>> {
  const rows = await db.query<{ storyId: string; slug: string; carries: boolean }>(
    'select story_id as "storyId", slug, carries from topic_labels where story_id = any($1)',
    [storyIds],
  );
  const labels = new Map<string, Map<string, boolean>>();
  for (const row of rows) {
    const own = labels.get(row.storyId) ?? new Map<string, boolean>();
    own.set(row.slug, row.carries);
    labels.set(row.storyId, own);
  }
  return labels;
}

/** An arbitrary constant: the class of the per-Story advisory locks saveStoryTopics takes (the Story id hashed into the second half). */
const storyTopicsLocks = 715_400_041;

/**
 * Replaces the Topics of these Stories (a Story in `tags` with no Topics ends
 * up with none), in one transaction (the caller's, when given one). Two
 * taggers of the same Story at once (two process jobs on PostgreSQL: one
 * re-tagging every Story, one tagging those it just made) take turns on a lock
 * per Story, taken in one order so they cannot deadlock: without them the
 * second insert met the first's rows (duplicate key, failing its job after its
 * Stories were stored), and a reader could find a Story between delete and insert.
 */
export async function saveStoryTopics(db: Queryable | Db, tags: { storyId: string; topics: TopicScore[] }[]): Promise<void> {
  if (tags.length === 0) return;
  if ('transaction' in db) return db.transaction((tx) => saveStoryTopics(tx, tags));
  const ids = tags.map((t) => t.storyId);
  await db.query(
    `select pg_advisory_xact_lock($1, key) from (select distinct hashtext(id) as key from unnest($2::text[]) as id order by key) as locks`,
    [storyTopicsLocks, ids],
  );
  await db.query('delete from story_topics where story_id = any($1)', [ids]);
  const rows = tags.flatMap(({ storyId, topics }) =>
    topics.map((t) => ({ story_id: storyId, slug: t.slug, score: t.score, source: t.source, explanation: t.explanation })),
  );
  if (rows.length === 0) return;
  await db.query(
    `insert into story_topics (story_id, slug, score, source, explanation)
     select story_id, slug, score, source, explanation
     from jsonb_to_recordset($1::jsonb) as t (story_id text, slug text, score real, source text, explanation jsonb)`,
    [JSON.stringify(rows)],
  );
}

/** The Topics each Story carries, strongest first. */
export async function storyTopics(db: Queryable, storyIds: string[]): Promise<Map<string, StoredTopic[]>> {
  const rows = await db.query<StoredTopic & { storyId: string }>(
    `select story_id as "storyId", slug, score, source, explanation from story_topics
     where story_id = any($1) order by story_id, score desc, slug`,
    [storyIds],
  );
  const topics = new Map<string, StoredTopic[]>();
  for (const { storyId, ...topic } of rows) {
    const own = topics.get(storyId);
    if (own) own.push(topic);
    else topics.set(storyId, [topic]);
  }
  return topics;
}

/** Sets (true), unsets (false) or clears (null) editors' labels of one Story. */
export async function labelStory(db: Queryable, storyId: string, changes: { slug: string; carries: boolean | null }[], editor: string | null): Promise<void> {
  for (const change of changes) {
    if (change.carries === null) {
      await db.query('delete from topic_labels where story_id = $1 and slug = $2', [storyId, change.slug]);
      continue;
    }
    await db.query(
      `insert into topic_labels (story_id, slug, carries, editor) values ($1, $2, $3, $4)
       on conflict (story_id, slug) do update set carries = excluded.carries, editor = excluded.editor, labelled_at = now()`,
      [storyId, change.slug, change.carries, editor],
    );
  }
}

/** A labelled Story for training: its members' texts, its labels, and the Topics it carries now. */
export interface LabelledStoryRow {
  storyId: string;
  labels: Map<string, boolean>;
  topics: string[];
  /** The Source of its representative Item: training keeps a Source's Stories on one side of a fold. */
  source: string;
}

/** Every Story an editor labelled (merged-away Stories' labels moved with their members). */
export async function labelledStories(db: Queryable): Promise<LabelledStoryRow[]> {
  const rows = await db.query<{ storyId: string; slugs: string[]; carries: boolean[]; topics: string[]; source: string }>(
    `select l.story_id as "storyId", array_agg(l.slug order by l.slug) as slugs, array_agg(l.carries order by l.slug) as carries,
       array(select slug from story_topics t where t.story_id = l.story_id order by slug) as topics,
       (select i.source_id from items i where i.id = s.representative_item_id) as source
     from topic_labels l join stories s on s.id = l.story_id
     where s.merged_into is null
     group by l.story_id, s.representative_item_id order by l.story_id`,
  );
  return rows.map((row) => ({ storyId: row.storyId, labels: new Map(row.slugs.map((slug, i) => [slug, row.carries[i]!])), topics: row.topics, source: row.source }));
}

/** When a Story is merged into another, its editors' labels go with it (the other's own labels win). */
export async function moveTopicLabels(db: Queryable, from: string, into: string): Promise<void> {
  await db.query(
    `insert into topic_labels (story_id, slug, carries, editor, labelled_at)
     select $2, slug, carries, editor, labelled_at from topic_labels where story_id = $1
     on conflict (story_id, slug) do nothing`,
    [from, into],
  );
  await db.query('delete from topic_labels where story_id = $1', [from]);
}

export async function saveModel(db: Queryable, model: TopicModel): Promise<number> {
  const [row] = await db.query<{ id: number }>('insert into topic_models (examples, model) values ($1, $2) returning id', [model.examples, JSON.stringify(model)]);
  return row!.id;
}

/** The newest trained model, or null before the first `tags train`. */
export async function currentModel(db: Queryable): Promise<{ id: number; model: TopicModel; trainedAt: Date } | null> {
  const [row] = await db.query<{ id: number; model: TopicModel; trainedAt: Date }>(
    'select id, model, trained_at as "trainedAt" from topic_models order by id desc limit 1',
  );
  return row ?? null;
}

/** The version the stored tags were made with, or null if nothing was ever tagged. */
export async function taggedVersion(db: Queryable): Promise<string | null> {
  const [row] = await db.query<{ version: string }>('select version from tagging_state');
  return row?.version ?? null;
}

/** Stores what the tags are now made with, and ends the re-tag claim. */
export async function setTaggedVersion(db: Queryable, version: string): Promise<void> {
  await db.query(
    `insert into tagging_state (id, version) values (true, $1)
     on conflict (id) do update set version = excluded.version, updated_at = now(), retag_version = null, retag_until = null`,
    [version],
  );
}

/**
 * Claims the re-tagging of every Story for `version` until `until`; false while
 * another worker holds an unexpired claim for the same version. One statement,
 * so two workers asking at once cannot both get it.
 */
export async function claimRetag(db: Queryable, version: string, until: Date): Promise<boolean> {
  const rows = await db.query(
    `insert into tagging_state (id, version, retag_version, retag_until) values (true, '', $1, $2)
     on conflict (id) do update set retag_version = excluded.retag_version, retag_until = excluded.retag_until
       where tagging_state.retag_until is null or tagging_state.retag_until < now()
         or tagging_state.retag_version is distinct from excluded.retag_version
     returning 1`,
    [version, until],
  );
  return rows.length > 0;
}
