import { describe, expect, it } from 'vitest';
import { assignBatch, storyIdFor, type BatchInput, type BatchResult, type StoredPrint } from '../../../src/dedupe/cluster.js';
import type { DedupePrint } from '../../../src/dedupe/print.js';
import { DEFAULT_DEDUPE } from '../../../src/dedupe/rules.js';
import {
  ARRIVALS,
  ARRIVALS_TITLE,
  BOAT,
  BOAT_TITLE,
  REPATRIATION,
  ROUNDUP,
  ROUNDUP_TITLE,
  SCHOOL,
  SCHOOL_TITLE,
  UN_APPEAL,
  UN_APPEAL_TITLE,
  UN_REBUFF,
  UN_REBUFF_TITLE,
  firstParagraphs,
  paragraphRange,
  paragraphs,
  printOf,
  replaceParagraph,
  seeded,
} from '../../helpers/articles.js';

const original = printOf('it_orig', ARRIVALS_TITLE, ARRIVALS);
const head = printOf('it_head', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2));
const middle = printOf('it_middle', ARRIVALS_TITLE, paragraphRange(ARRIVALS, 2, 4));
const edited = printOf('it_edited', ARRIVALS_TITLE, replaceParagraph(ARRIVALS, 5, 'The ministry plans to spend more on housing for new arrivals in 2024.'));
const roundup = printOf('it_roundup', ROUNDUP_TITLE, ROUNDUP);
const boat = printOf('it_boat', BOAT_TITLE, BOAT);
const school = printOf('it_school', SCHOOL_TITLE, SCHOOL);
const part1 = printOf('it_part1', 'Extortion with an axe – Part 1', REPATRIATION);
const part2 = printOf('it_part2', 'Extortion with an axe – Part 2', REPATRIATION);

function run(items: DedupePrint[], stored: [DedupePrint, string, number][] = [], extra: Partial<BatchInput> = {}): BatchResult {
  const storedMap = new Map<string, StoredPrint>(stored.map(([print, storyId]) => [print.itemId, { print, storyId }]));
  const ids = stored.map(([print]) => print.itemId);
  return assignBatch(
    {
      items,
      stored: storedMap,
      candidates: new Map(items.map((print) => [print.itemId, ids])),
      storyCreated: new Map(stored.map(([, storyId, at]) => [storyId, at])),
      apart: [],
      membership: new Map(stored.map(([print, storyId]) => [print.itemId, storyId])),
      ...extra,
    },
    DEFAULT_DEDUPE,
  );
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const storyOf = (result: BatchResult, itemId: string) => result.assignments.find((a) => a.itemId === itemId)!.storyId;

function partition(result: BatchResult): string[][] {
  const groups = new Map<string, string[]>();
  for (const a of result.assignments) groups.set(a.storyId, [...(groups.get(a.storyId) ?? []), a.itemId]);
  return [...groups.values()].map((ids) => ids.sort()).sort((x, y) => x[0]!.localeCompare(y[0]!));
}

describe('storyIdFor', () => {
  it('derives a stable id from the Item id', () => {
    expect(storyIdFor('it_orig')).toBe(storyIdFor('it_orig'));
    expect(storyIdFor('it_orig')).toMatch(/^st_[0-9a-f]{20}$/);
    expect(storyIdFor('it_orig')).not.toBe(storyIdFor('it_head'));
  });
});

describe('assignBatch', () => {
  it('starts a new Story for an Item that matches nothing', () => {
    const result = run([boat, school]);
    expect(result.assignments).toEqual([
      { itemId: 'it_boat', storyId: storyIdFor('it_boat'), createdStory: storyIdFor('it_boat'), reason: { rule: 'first-seen' } },
      { itemId: 'it_school', storyId: storyIdFor('it_school'), createdStory: storyIdFor('it_school'), reason: { rule: 'first-seen' } },
    ]);
    expect([result.merges, result.reviews, result.links]).toEqual([[], [], []]);
  });

  it('joins an excerpt to the stored Story of its original', () => {
    const result = run([head], [[original, 'st_orig', 100]]);
    expect(result.assignments).toHaveLength(1);
    expect(result.assignments[0]).toMatchObject({
      itemId: 'it_head', storyId: 'st_orig', createdStory: null, reason: { rule: 'containment', matched: 'it_orig' },
    });
    expect(result.merges).toEqual([]);
  });

  it('ignores candidates that are not among the stored prints', () => {
    const result = run([head], [], { candidates: new Map([['it_head', ['it_orig']]]) });
    expect(result.assignments[0]).toMatchObject({ storyId: storyIdFor('it_head'), reason: { rule: 'first-seen' } });
  });

  it('finds a match among the earlier Items of its own batch', () => {
    const result = run([original, edited, head]);
    expect(result.assignments.map((a) => a.storyId)).toEqual(Array(3).fill(storyIdFor('it_orig')));
    expect(result.assignments[1]!.reason).toMatchObject({ rule: 'near-copy', matched: 'it_orig' });
    expect(result.assignments[2]!.reason).toMatchObject({ rule: 'containment' });
  });

  it.each([
    ['the second candidate', 200, 100, 'st_middle', 'st_head'],
    ['the first candidate', 100, 200, 'st_head', 'st_middle'],
  ])('merges two Stories an Item matches into the older, %s', (_, headAt, middleAt, into, from) => {
    const result = run([original], [[head, 'st_head', headAt], [middle, 'st_middle', middleAt]]);
    expect(result.merges).toEqual([
      expect.objectContaining({ from, into, byItem: 'it_orig', reason: expect.objectContaining({ rule: 'containment' }) }),
    ]);
    expect(storyOf(result, 'it_orig')).toBe(into);
    expect(result.reviews).toEqual([]);
  });

  it('names the surviving Story in every assignment after a merge in the batch', () => {
    const result = run([head, middle, original]);
    const survivor = storyIdFor('it_head');
    expect(result.assignments.map((a) => a.storyId)).toEqual([survivor, survivor, survivor]);
    expect(result.assignments[1]!.createdStory).toBe(storyIdFor('it_middle'));
    expect(result.merges).toEqual([expect.objectContaining({ from: storyIdFor('it_middle'), into: survivor, byItem: 'it_orig' })]);
  });

  it('blocks a merge an editor keeps apart and queues it as blocked', () => {
    const result = run([original], [[head, 'st_head', 100], [middle, 'st_middle', 200]], { apart: [{ a: 'it_middle', b: 'it_head' }] });
    expect(result.merges).toEqual([]);
    const joined = result.assignments[0]!;
    expect(joined.reason.rule).toBe('containment');
    const matched = joined.reason.rule === 'first-seen' ? null : joined.reason.matched;
    expect(joined.storyId).toBe(matched === 'it_head' ? 'st_head' : 'st_middle');
    expect(result.reviews).toEqual([
      expect.objectContaining({ itemId: 'it_orig', otherItemId: matched === 'it_head' ? 'it_middle' : 'it_head', kind: 'blocked' }),
    ]);
    expect(result.reviews[0]!.scores).not.toBeNull();
  });

  it('lets an apart decision on other Stories not block a merge', () => {
    const result = run([original], [[head, 'st_head', 100], [middle, 'st_middle', 200], [boat, 'st_boat', 50]], {
      apart: [{ a: 'it_boat', b: 'it_head' }],
      candidates: new Map([['it_orig', ['it_head', 'it_middle']]]),
    });
    expect(result.merges).toEqual([expect.objectContaining({ from: 'st_middle', into: 'st_head' })]);
  });

  it('links the parts of a series instead of merging them', () => {
    const result = run([part2], [[part1, 'st_part1', 100]]);
    expect(result.assignments[0]).toMatchObject({ storyId: storyIdFor('it_part2'), reason: { rule: 'first-seen' } });
    expect(result.links).toEqual([{ itemId: 'it_part2', otherItemId: 'it_part1', kind: 'series' }]);
  });

  it('links the parts of a series within one batch', () => {
    const result = run([part1, part2]);
    expect(partition(result)).toEqual([['it_part1'], ['it_part2']]);
    expect(result.links).toEqual([{ itemId: 'it_part2', otherItemId: 'it_part1', kind: 'series' }]);
  });

  it('never puts two parts of a series in one Story, even through an Item matching both', () => {
    const intro = paragraphs(REPATRIATION)[0]!;
    const first = printOf('it_p1', 'Extortion with an axe – Part 1', [intro, ...paragraphs(REPATRIATION).slice(1, 3)].join('\n\n'));
    const second = printOf('it_p2', 'Extortion with an axe – Part 2', [intro, ...paragraphs(REPATRIATION).slice(3)].join('\n\n'));
    const teaser = printOf('it_teaser', 'Extortion with an axe', intro);
    const result = run([teaser], [[first, 'st_p1', 100], [second, 'st_p2', 200]]);
    expect(result.merges).toEqual([]);
  });

  it('queues a pair in the uncertain band for review without merging', () => {
    const result = run([roundup], [[original, 'st_orig', 100]]);
    expect(result.assignments[0]).toMatchObject({ storyId: storyIdFor('it_roundup'), reason: { rule: 'first-seen' } });
    expect(result.reviews).toEqual([expect.objectContaining({ itemId: 'it_roundup', otherItemId: 'it_orig', kind: 'uncertain' })]);
    expect(result.merges).toEqual([]);
  });

  it('does not queue for review a pair that ends up in one Story', () => {
    const tail = printOf('it_tail', ARRIVALS_TITLE, paragraphRange(ARRIVALS, 4, 6));
    const result = run([roundup], [[original, 'st_orig', 100], [tail, 'st_orig', 100]]);
    expect(result.assignments[0]).toMatchObject({ storyId: 'st_orig', reason: { rule: 'containment', matched: 'it_tail' } });
    expect(result.reviews).toEqual([]);
  });

  it('gives the same partition whatever the order of the batch', () => {
    const items = [original, head, middle, edited, roundup, boat, school, part1, part2, printOf('it_appeal', UN_APPEAL_TITLE, UN_APPEAL), printOf('it_rebuff', UN_REBUFF_TITLE, UN_REBUFF)];
    const expected = [
      ['it_appeal'], ['it_boat'], ['it_edited', 'it_head', 'it_middle', 'it_orig'], ['it_part1'], ['it_part2'], ['it_rebuff'], ['it_roundup'], ['it_school'],
    ];
    const random = seeded(7);
    for (let trial = 0; trial < 12; trial += 1) {
      const order = shuffle(items, random);
      expect(partition(run(order)), order.map((p) => p.itemId).join(',')).toEqual(expected);
    }
  });
});
