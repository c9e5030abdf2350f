import { describe, expect, it } from 'vitest';
import { leastSureFirst, nearLine, NEAR_LINE, storyMargin } from '../../../src/tag/near-line.js';
import { tagStory, type TopicScore } from '../../../src/tag/tag.js';
import { parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { tagDocument } from '../../../src/tag/words.js';

/** A Topic's score as tagStory gives it, with only what the review reads. */
const score = (slug: string, value: number, threshold = 0.5): TopicScore => ({
  slug,
  score: value,
  source: 'rules',
  explanation: { phrases: [], negative: [], rulesScore: value, modelShare: 0, threshold },
});

describe('storyMargin and leastSureFirst', () => {
  it('put a Story whose Topic score sits at its threshold before one far from every threshold', () => {
    const atTheLine = { storyId: 'st_b', margin: storyMargin([score('escape', 0.02), score('family', 0.5), score('faith', 0.9)])! };
    const farFromAll = { storyId: 'st_a', margin: storyMargin([score('escape', 0.95), score('family', 0.0), score('faith', 0.02, 0.6)])! };
    expect(atTheLine.margin).toBe(0);
    expect(farFromAll.margin).toBe(0.45);
    expect(leastSureFirst([farFromAll, atTheLine]).map((s) => s.storyId)).toEqual(['st_b', 'st_a']);
  });

  it("measure each Topic against its own threshold, above or below it alike", () => {
    expect(storyMargin([score('escape', 0.33, 0.3), score('women', 0.2, 0.8)])).toBe(0.03);
    expect(storyMargin([score('escape', 0.27, 0.3)])).toBe(0.03);
  });

  it('leave out the Topics an editor labelled, and a Story with every Topic labelled', () => {
    const scores = [score('escape', 0.5), score('family', 0.1)];
    expect(storyMargin(scores, new Map([['escape', true]]))).toBe(0.4);
    expect(storyMargin(scores, new Map([['escape', true], ['family', false]]))).toBeNull();
  });

  it('order equal margins by Story id, so the list is the same each time', () => {
    const stories = [{ storyId: 'st_c', margin: 0.1 }, { storyId: 'st_a', margin: 0.1 }, { storyId: 'st_b', margin: 0.05 }];
    expect(leastSureFirst(stories).map((s) => s.storyId)).toEqual(['st_b', 'st_a', 'st_c']);
  });
});

describe('nearLine', () => {
  it(`shows the nearest Topic and any other within ${NEAR_LINE} of its threshold, nearest first`, () => {
    const scores = [score('escape', 0.9), score('family', 0.45), score('faith', 0.58), score('women', 0.1), score('labor', 0.52)];
    expect(nearLine(scores).map((s) => s.slug)).toEqual(['labor', 'family', 'faith']);
    // Far from every line: still the nearest, so the editor sees what the margin is about.
    expect(nearLine([score('escape', 0.95), score('women', 0.0)]).map((s) => s.slug)).toEqual(['escape']);
  });
});

describe('the margin of Stories tagged by the rules', () => {
  const taxonomy = (threshold: number) =>
    parseTaxonomy(
      `
topics:
  - { slug: escape, label: Escape, threshold: ${threshold}, phrases: { broker: 3, escape: 3, fled: 3 } }
  - { slug: faith, label: Faith, threshold: 0.1, phrases: { church: 3, missionary: 3 } }
`,
      'topics.yaml',
    );
  const fled = tagDocument([{ title: 'She fled with a broker', text: 'She fled across the river. The broker asked for money before the escape.' }]);
  const church = tagDocument([{ title: 'A church opens', text: 'The church and the missionary held a service for the village.' }]);

  it('is zero for the Story whose score is the threshold, and that Story comes first', () => {
    const escapeScore = tagStory(fled, taxonomy(0.5), null).scores[0]!.score;
    const at = taxonomy(escapeScore);
    const stories = [
      { storyId: 'st_1church', margin: storyMargin(tagStory(church, at, null).scores)! },
      { storyId: 'st_2fled', margin: storyMargin(tagStory(fled, at, null).scores)! },
    ];
    expect(stories[1]!.margin).toBe(0);
    // The church Story: no escape phrase at all, and faith well above its low threshold.
    expect(stories[0]!.margin).toBeGreaterThan(0.2);
    expect(leastSureFirst(stories).map((s) => s.storyId)).toEqual(['st_2fled', 'st_1church']);
  });
});
