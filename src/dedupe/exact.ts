/**
 * Dedupe, first rule: exact reposts. An Item whose normalised text equals that
 * of an Item already in a Story joins that Story; any other Item starts its own.
 * (Near-copies, excerpts and syndication are the repost-detection issue's rules.)
 */
import { createHash } from 'node:crypto';

export interface StoryCandidate {
  id: string;
  contentHash: string;
}

export interface StoryAssignment {
  itemId: string;
  storyId: string;
  newStory: boolean;
  role: 'original' | 'repost';
  reason: { rule: 'first-seen' } | { rule: 'exact-repost'; contentHash: string };
}

/** A Story's id comes from its first Item's id, so it is the same on every run. */
export function storyIdFor(itemId: string): string {
  return `st_${createHash('sha256').update(itemId).digest('hex').slice(0, 20)}`;
}

/**
 * Assigns Items (in the order given: first seen first) to Stories.
 * `existing` maps content hashes to the Stories already holding them.
 */
export function assignStories(items: StoryCandidate[], existing: ReadonlyMap<string, string>): StoryAssignment[] {
  const known = new Map(existing);
  return items.map((item) => {
    const storyId = known.get(item.contentHash);
    if (storyId) {
      return { itemId: item.id, storyId, newStory: false, role: 'repost', reason: { rule: 'exact-repost', contentHash: item.contentHash } };
    }
    const created = storyIdFor(item.id);
    known.set(item.contentHash, created);
    return { itemId: item.id, storyId: created, newStory: true, role: 'original', reason: { rule: 'first-seen' } };
  });
}
