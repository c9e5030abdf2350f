import { describe, expect, it } from 'vitest';
import { formatFoundStories } from '../../../src/cli/stories.js';
import type { FoundStory } from '../../../src/store/story-search.js';

const found: FoundStory[] = [
  {
    id: 'st_named',
    title: 'Kim Jong Un turns 36 today',
    outlets: ['NK News'],
    published: { at: new Date('2020-01-01T00:00:00Z'), precision: 'month' },
    items: 2,
    rank: null,
    byId: true,
    snippet: [],
  },
  {
    id: 'st_found',
    title: 'Why is the birthday of Kim Jong Un not a bigger deal in North Korea?',
    outlets: [],
    published: null,
    items: 1,
    rank: 0.6436,
    byId: false,
    snippet: [
      { text: 'North Korean leader ', match: false },
      { text: 'Kim', match: true },
      { text: ' Jong Un marked his\n\n36th ', match: false },
      { text: 'birthday', match: true },
    ],
  },
];

describe('stories search', () => {
  it('prints each Story found with its date, Outlet, how it was found, title and passage, the matched words marked', () => {
    expect(formatFoundStories(found, 'Kim birthday')).toBe(
      [
        'st_named  2020-01  NK News  2 Item(s)  by its id',
        '  Kim Jong Un turns 36 today',
        'st_found  -  -  1 Item(s)  rank 0.644',
        '  Why is the birthday of Kim Jong Un not a bigger deal in North Korea?',
        '  North Korean leader «Kim» Jong Un marked his 36th «birthday»',
        '',
        '2 Stories, best first',
      ].join('\n'),
    );
  });

  it('says so when nothing was found', () => {
    expect(formatFoundStories([], 'the')).toBe('no Story has the words "the"');
  });
});
