/**
 * What an editor reviews of tagging: every Topic's score for a Story as the
 * tagger sees it now (given or not, with why), and the Stories whose labels
 * would teach the model most. The store keeps only the Topics given, so every
 * other score is worked out again from the Story's text. Which Stories are
 * least sure, and why, is src/tag/near-line.ts.
 */
import type { Queryable } from '../store/db.js';
import { storyTexts, storyTitles, storyTopics, topicLabels, unlabelledStoryIdsAfter } from '../store/topics.js';
import type { TopicModel } from './model.js';
import { leastSureFirst, nearLine, storyMargin } from './near-line.js';
import { tagStory, type StoredTopic, type TopicScore } from './tag.js';
import { modelInUse } from './tag-stories.js';
import type { Taxonomy } from './taxonomy.js';
import { tagDocument } from './words.js';

/** Every Topic of one Story now: the Topics it carries, every Topic's score with why, and its editors' labels. */
export interface TopicsNow {
  stored: StoredTopic[];
  /** In taxonomy order, each with the model's strongest terms when a model knows the Topic. */
  scores: TopicScore[];
  labels: Map<string, boolean>;
}

export async function topicsNow(db: Queryable, taxonomy: Taxonomy, storyId: string): Promise<TopicsNow> {
  const stored = (await storyTopics(db, [storyId])).get(storyId) ?? [];
  const members = (await storyTexts(db, [storyId])).get(storyId) ?? [];
  const labels = (await topicLabels(db, [storyId])).get(storyId) ?? new Map<string, boolean>();
  const model = (await modelInUse(db))?.model ?? null;
  const { scores } = tagStory(tagDocument(members), taxonomy, model, labels, { explainAll: true });
  return { stored, scores, labels };
}

export interface NearLineTopic extends TopicScore {
  /** The Story carries the Topic now (as stored, as its Feeds show it). */
  given: boolean;
}

export interface LeastSureStory {
  storyId: string;
  title: string;
  /** The smallest distance of a Topic's score to its threshold. */
  margin: number;
  /** The Topics near their line, nearest first, with why. */
  near: NearLineTopic[];
}

const CHUNK = 500;

/**
 * The `limit` unlabelled Stories the tagger is least sure of, least sure
 * first. Every Story is weighed (in chunks, keeping only the best so far), so
 * the cost grows with the store: about as long as tagging every Story again.
 */
export async function leastSureStories(db: Queryable, taxonomy: Taxonomy, limit: number): Promise<LeastSureStory[]> {
  if (taxonomy.topics.length === 0 || limit <= 0) return [];
  const model: TopicModel | null = (await modelInUse(db))?.model ?? null;
  let kept: { storyId: string; margin: number }[] = [];
  for (let after = '', ids = await unlabelledStoryIdsAfter(db, after, CHUNK); ids.length > 0; ids = await unlabelledStoryIdsAfter(db, after, CHUNK)) {
    for (const [storyId, members] of await storyTexts(db, ids)) {
      const margin = storyMargin(tagStory(tagDocument(members), taxonomy, model).scores);
      if (margin !== null) kept.push({ storyId, margin });
    }
    if (kept.length > 2 * limit) kept = leastSureFirst(kept).slice(0, limit);
    after = ids[ids.length - 1]!;
  }
  kept = leastSureFirst(kept).slice(0, limit);

  // The few kept, again with the model's strongest terms: working them out for every Story would cost more than the rest.
  const ids = kept.map((k) => k.storyId);
  const texts = await storyTexts(db, ids);
  const titles = await storyTitles(db, ids);
  const stored = await storyTopics(db, ids);
  return kept.map(({ storyId, margin }) => {
    const { scores } = tagStory(tagDocument(texts.get(storyId) ?? []), taxonomy, model, new Map(), { explainAll: true });
    const given = new Set((stored.get(storyId) ?? []).map((t) => t.slug));
    return { storyId, title: titles.get(storyId) ?? '', margin, near: nearLine(scores).map((s) => ({ ...s, given: given.has(s.slug) })) };
  });
}
