/**
 * How sure the tagger is of a Story's Topics, from their scores alone (the
 * review pages and `tags review` read them from the store: src/tag/review.ts).
 *
 * Labels where they teach most are those the tagger is least sure of
 * (active learning by uncertainty sampling): a Story with a Topic whose score
 * sits at its threshold could go either way, and an editor's label settles
 * it; a label on a Story far from every threshold only confirms what the
 * tagger already does. Stories an editor has labelled are left out: `tags
 * train` already learns every Topic from them (the labels, and the Topics
 * the editor let stand).
 */
import type { TopicScore } from './tag.js';

/** How far a Topic's score is from its threshold: how little it would take to give it, or to take it away. */
export const distanceToLine = (score: TopicScore): number => Math.round(Math.abs(score.score - score.explanation.threshold) * 1000) / 1000;

/** Besides the nearest, Topics within this distance of their threshold are shown as near the line. */
export const NEAR_LINE = 0.1;

/** Most Topics shown near the line for one Story. */
const NEAR_SHOWN = 3;

/**
 * How sure the tagger is of a Story: the smallest distance to the line over
 * the Topics no editor labelled (a label decides its Topic whatever the
 * score). Null when every Topic is labelled: nothing left to learn from it.
 */
export function storyMargin(scores: TopicScore[], labels: Map<string, boolean> = new Map()): number | null {
  let margin: number | null = null;
  for (const score of scores) {
    if (labels.has(score.slug)) continue;
    const distance = distanceToLine(score);
    if (margin === null || distance < margin) margin = distance;
  }
  return margin;
}

/** The Topics near their line, nearest first: the nearest, and the others within NEAR_LINE, at most NEAR_SHOWN. */
export function nearLine(scores: TopicScore[], labels: Map<string, boolean> = new Map()): TopicScore[] {
  const open = scores.filter((s) => !labels.has(s.slug)).sort((a, b) => distanceToLine(a) - distanceToLine(b) || (a.slug < b.slug ? -1 : 1));
  return open.filter((s, i) => i === 0 || distanceToLine(s) <= NEAR_LINE).slice(0, NEAR_SHOWN);
}

/** Least sure first; equal margins in Story id order, so the list is the same each time. */
export function leastSureFirst<T extends { storyId: string; margin: number }>(stories: T[]): T[] {
  return [...stories].sort((a, b) => a.margin - b.margin || (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
}
