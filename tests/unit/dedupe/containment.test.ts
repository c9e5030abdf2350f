import { describe, expect, it } from 'vitest';
import { overlap, sortedShingles, type ShingledText } from '../../../src/dedupe/containment.js';
import { foldWords } from '../../../src/dedupe/prepare.js';
import { shingleHashes } from '../../../src/dedupe/shingles.js';
import {
  ARRIVALS,
  ARRIVALS_TITLE,
  BOAT,
  BOAT_TITLE,
  ROUNDUP,
  ROUNDUP_TITLE,
  SCHOOL,
  SCHOOL_TITLE,
  UN_APPEAL,
  UN_APPEAL_TITLE,
  UN_REBUFF,
  UN_REBUFF_TITLE,
  firstParagraphs,
  printOf,
} from '../../helpers/articles.js';

const original = printOf('orig', ARRIVALS_TITLE, ARRIVALS);
const excerpt = printOf('exc', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2));
const roundup = printOf('round', ROUNDUP_TITLE, ROUNDUP);
const appeal = printOf('appeal', UN_APPEAL_TITLE, UN_APPEAL);
const rebuff = printOf('rebuff', UN_REBUFF_TITLE, UN_REBUFF);
const boat = printOf('boat', BOAT_TITLE, BOAT);
const school = printOf('school', SCHOOL_TITLE, SCHOOL);

const pairs: [string, ShingledText, ShingledText][] = [
  ['an excerpt and its original', excerpt, original],
  ['a roundup and the article it borrows from', roundup, original],
  ['two reports sharing a quote', appeal, rebuff],
  ['two unrelated articles', boat, school],
  ['a text and itself', original, original],
];

function plain(words: string[]): ShingledText {
  return { shingles: shingleHashes(words, 4), quoted: new Set() };
}

const distinct = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('overlap measures', () => {
  it.each(pairs)('are symmetric for %s', (_, a, b) => {
    const ab = overlap(a, b);
    const ba = overlap(b, a);
    expect(ba.shared).toBe(ab.shared);
    expect(ba.sharedNarrative).toBe(ab.sharedNarrative);
    expect(ba.containment).toBeCloseTo(ab.containment, 12);
    expect(ba.resemblance).toBeCloseTo(ab.resemblance, 12);
    expect(ba.narrativeContainment).toBeCloseTo(ab.narrativeContainment, 12);
    expect([ba.sizeA, ba.sizeB, ba.narrativeA, ba.narrativeB]).toEqual([ab.sizeB, ab.sizeA, ab.narrativeB, ab.narrativeA]);
  });

  it.each(pairs)('lie between 0 and 1 for %s', (_, a, b) => {
    const o = overlap(a, b);
    for (const value of [o.containment, o.resemblance, o.narrativeContainment]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(o.resemblance).toBeLessThanOrEqual(o.containment);
  });

  it('counts distinct shingles of each text', () => {
    const o = overlap(original, excerpt);
    expect(o.sizeA).toBe(new Set(original.shingles).size);
    expect(o.sizeB).toBe(new Set(excerpt.shingles).size);
    expect(o.narrativeA).toBe(o.sizeA - original.quoted.size);
  });

  it('gives a text and itself full containment and resemblance', () => {
    const o = overlap(original, original);
    expect([o.containment, o.resemblance, o.narrativeContainment]).toEqual([1, 1, 1]);
  });

  it('finds an excerpt wholly contained in its original, with low resemblance', () => {
    const o = overlap(excerpt, original);
    expect(o.containment).toBe(1);
    expect(o.narrativeContainment).toBe(1);
    expect(o.shared).toBe(o.sizeA);
    expect(o.resemblance).toBeCloseTo(o.sizeA / o.sizeB, 12);
    expect(o.resemblance).toBeLessThan(0.5);
  });

  it('finds next to nothing shared by unrelated articles', () => {
    const o = overlap(boat, school);
    expect(o.containment).toBeLessThan(0.05);
    expect(o.narrativeContainment).toBeLessThan(0.05);
  });

  it('does not count a shared quote as narrative', () => {
    const o = overlap(appeal, rebuff);
    const quoteShingles = foldWords('The international community must not look away while people who only wanted to survive are handed back to the state they fled').length - 3;
    expect(o.shared).toBeGreaterThanOrEqual(quoteShingles);
    expect(o.sharedNarrative).toBeLessThan(o.shared / 4);
    expect(o.narrativeContainment).toBeLessThan(0.05);
    expect(o.containment).toBeGreaterThan(o.narrativeContainment);
  });

  it('gives no overlap for empty texts', () => {
    const o = overlap(plain([]), plain(foldWords(BOAT)));
    expect([o.shared, o.containment, o.resemblance, o.narrativeContainment]).toEqual([0, 0, 0, 0]);
    expect(o.passage.shingles).toBe(0);
  });
});

describe('overlap passage', () => {
  it('says where the shared passage starts in each text and how long it is', () => {
    const passage = distinct('p', 20);
    const a = plain([...distinct('a', 10), ...passage, ...distinct('a', 5).map((w) => `${w}x`)]);
    const b = plain([...distinct('b', 3), ...passage, ...distinct('b', 7).map((w) => `${w}x`)]);
    expect(overlap(a, b).passage).toEqual({ startA: 10, startB: 3, shingles: 17 });
    expect(overlap(b, a).passage).toEqual({ startA: 3, startB: 10, shingles: 17 });
  });

  it('is the longest of several shared passages', () => {
    const short = distinct('s', 8);
    const long = distinct('l', 20);
    const a = plain([...short, ...distinct('a', 6), ...long]);
    const b = plain([...long, ...distinct('b', 6), ...short]);
    expect(overlap(a, b).passage).toEqual({ startA: 14, startB: 0, shingles: 17 });
    expect(overlap(a, b).shared).toBe(5 + 17);
  });

  it('is empty when nothing is shared', () => {
    expect(overlap(plain(distinct('a', 30)), plain(distinct('b', 30))).passage.shingles).toBe(0);
  });

  it('finds a borrowed sentence in the roundup', () => {
    const o = overlap(roundup, original);
    const sentence = foldWords('China forcibly returned about 600 North Koreans in October alone, according to rights groups, and those sent back face interrogation, labour camps or worse.');
    expect(o.passage.shingles).toBe(sentence.length - 3);
    expect(roundup.words!.slice(o.passage.startA, o.passage.startA + sentence.length)).toEqual(sentence);
    expect(original.words!.slice(o.passage.startB, o.passage.startB + sentence.length)).toEqual(sentence);
  });
});

describe('sortedShingles', () => {
  it('gives the distinct shingles in order', () => {
    const words = ['kim', 'left', 'for', 'seoul', 'kim', 'left', 'for', 'seoul'];
    const shingles = shingleHashes(words, 4);
    const sorted = sortedShingles(shingles);
    expect(sorted.length).toBe(4);
    expect([...sorted]).toEqual([...new Set(shingles)].sort((x, y) => x - y));
    expect(sortedShingles(shingles)).toBe(sorted);
  });
});
