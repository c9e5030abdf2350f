/**
 * Tagging Stories in the store: read members' texts, editors' labels and the
 * current model, run the tag stage, store the Topics with why. Used by the
 * process job (the Stories a batch touched), by editors' commands (one Story,
 * at once) and after a taxonomy or model change (every Story, in chunks).
 */
import type { Db, Queryable } from '../store/db.js';
import { claimRetag, currentModel, labelStory, saveStoryTopics, setTaggedVersion, storyIdsAfter, storyTexts, taggedVersion, topicLabels } from '../store/topics.js';
import type { TopicModel } from './model.js';
import { tagStory } from './tag.js';
import type { Taxonomy } from './taxonomy.js';
import { tagDocument } from './words.js';

/** The model in use, read once per model id (it is large and never changes once stored). */
const models = new WeakMap<object, { id: number; model: TopicModel }>();

export async function modelInUse(db: Queryable): Promise<{ id: number; model: TopicModel } | null> {
  const [latest] = await db.query<{ id: number }>('select id from topic_models order by id desc limit 1');
  if (!latest) return null;
  const cached = models.get(db);
  if (cached?.id === latest.id) return cached;
  const stored = await currentModel(db);
  if (stored) models.set(db, { id: stored.id, model: stored.model });
  return stored;
}

/**
 * Raised when the tag stage scores differently for the same taxonomy and
 * model, so a store re-tags every Story once after the upgrade (2: issue 18's
 * about-span and rule constants, measured model shares).
 */
const TAGGER_VERSION = 2;

/** What the stored tags must have been made with to be current. */
function versionOf(taxonomy: Taxonomy, modelId: number | null): string {
  return `${taxonomy.version}:${modelId ?? 'rules'}:tagger${TAGGER_VERSION}`;
}

const CHUNK = 500;

/** Tags these Stories now and stores their Topics. */
export async function tagStories(db: Queryable, taxonomy: Taxonomy, storyIds: string[]): Promise<number> {
  if (taxonomy.topics.length === 0 || storyIds.length === 0) return 0;
  const inUse = await modelInUse(db);
  let tagged = 0;
  for (let start = 0; start < storyIds.length; start += CHUNK) {
    const ids = storyIds.slice(start, start + CHUNK);
    const texts = await storyTexts(db, ids);
    const labels = await topicLabels(db, ids);
    const tags = [...texts].map(([storyId, members]) => ({
      storyId,
      topics: tagStory(tagDocument(members), taxonomy, inUse?.model ?? null, labels.get(storyId)).topics,
    }));
    await saveStoryTopics(db, tags);
    tagged += tags.length;
  }
  return tagged;
}

/**
 * An editor's Topic labels on one Story (slug -> carries it; null forgets the
 * label), and the Story tagged again at once, not on the next run: the editor
 * sees it as it now is. Labels win over rules and model.
 */
export async function labelAndTag(db: Db, taxonomy: Taxonomy, storyId: string, changes: { slug: string; carries: boolean | null }[], editor: string): Promise<void> {
  await db.transaction(async (tx) => {
    await labelStory(tx, storyId, changes, editor);
    await tagStories(tx, taxonomy, [storyId]);
  });
}

/** How long a re-tag claim holds: far longer than re-tagging a million Stories takes (about 3 minutes). */
const RETAG_LEASE_MS = 30 * 60_000;

/**
 * Tags every Story again when the taxonomy or the model changed since the
 * stored tags were made; returns how many were tagged (0 when current, or
 * while another worker is at it: concurrent process jobs would each redo all).
 */
export async function retagIfStale(db: Queryable, taxonomy: Taxonomy): Promise<number> {
  if (taxonomy.topics.length === 0) return 0;
  const version = versionOf(taxonomy, (await modelInUse(db))?.id ?? null);
  if ((await taggedVersion(db)) === version) return 0;
  if (!(await claimRetag(db, version, new Date(Date.now() + RETAG_LEASE_MS)))) return 0;
  let tagged = 0;
  for (let after = '', ids = await storyIdsAfter(db, after, CHUNK); ids.length > 0; ids = await storyIdsAfter(db, after, CHUNK)) {
    tagged += await tagStories(db, taxonomy, ids);
    after = ids[ids.length - 1]!;
  }
  // Set last: a worker stopped half-way leaves the version stale, and the next job starts over.
  await setTaggedVersion(db, version);
  return tagged;
}
