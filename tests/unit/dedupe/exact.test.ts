import { describe, expect, it } from 'vitest';
import { assignStories, storyIdFor } from '../../../src/dedupe/exact.js';

describe('assignStories', () => {
  it('starts a Story per new text and joins exact reposts to the first', () => {
    const assignments = assignStories(
      [
        { id: 'a', contentHash: 'h1' },
        { id: 'b', contentHash: 'h2' },
        { id: 'c', contentHash: 'h1' },
      ],
      new Map(),
    );
    expect(assignments.map((a) => [a.itemId, a.storyId, a.role, a.newStory])).toEqual([
      ['a', storyIdFor('a'), 'original', true],
      ['b', storyIdFor('b'), 'original', true],
      ['c', storyIdFor('a'), 'repost', false],
    ]);
  });

  it('joins a Story already in the store', () => {
    const [assignment] = assignStories([{ id: 'x', contentHash: 'h1' }], new Map([['h1', 'st_existing']]));
    expect(assignment).toMatchObject({ storyId: 'st_existing', newStory: false, reason: { rule: 'exact-repost' } });
  });

  it('derives Story ids from Item ids, the same on every run', () => {
    expect(storyIdFor('it_1')).toBe(storyIdFor('it_1'));
    expect(storyIdFor('it_1')).not.toBe(storyIdFor('it_2'));
    expect(storyIdFor('it_1')).toMatch(/^st_[0-9a-f]{20}$/);
  });
});
