import { describe, expect, it } from 'vitest';
import { foldWords } from '../../../src/dedupe/prepare.js';
import { shingleHashes, winnow } from '../../../src/dedupe/shingles.js';
import { ARRIVALS, BOAT, randomWords, seeded } from '../../helpers/articles.js';

const SIZE = 4;
const WINDOW = 12;

describe('shingleHashes', () => {
  it('gives one shingle per run of size words', () => {
    const words = foldWords(ARRIVALS);
    expect(shingleHashes(words, SIZE)).toHaveLength(words.length - SIZE + 1);
  });

  it('gives the same hashes for the same words', () => {
    const a = shingleHashes(foldWords(ARRIVALS), SIZE);
    const b = shingleHashes(foldWords(ARRIVALS.replace(/"/g, '“').toUpperCase()), SIZE);
    expect([...b]).toEqual([...a]);
  });

  it('gives the hash of a run wherever it stands', () => {
    const run = ['defectors', 'reached', 'south', 'korea'];
    const [alone] = shingleHashes(run, SIZE);
    const inside = shingleHashes(['last', 'year', ...run, 'again'], SIZE);
    expect(inside[2]).toBe(alone);
  });

  it('tells runs of the same words in another order apart', () => {
    const [a] = shingleHashes(['kim', 'left', 'for', 'seoul'], SIZE);
    const [b] = shingleHashes(['seoul', 'left', 'for', 'kim'], SIZE);
    expect(a).not.toBe(b);
  });

  it('shares the hashes of a shared passage', () => {
    const passage = foldWords(ARRIVALS).slice(20, 50);
    const a = shingleHashes([...foldWords(BOAT).slice(0, 40), ...passage], SIZE);
    const b = shingleHashes([...passage, ...foldWords(BOAT).slice(60, 90)], SIZE);
    const inB = new Set(b);
    const shared = new Set([...a].filter((hash) => inB.has(hash)));
    expect(shared.size).toBeGreaterThanOrEqual(passage.length - SIZE + 1);
    expect([...a.slice(40, 40 + passage.length - SIZE + 1)]).toEqual([...b.slice(0, passage.length - SIZE + 1)]);
  });

  it('gives a text shorter than the shingle size one shingle', () => {
    expect(shingleHashes(['defectors', 'arrive'], SIZE)).toHaveLength(1);
    expect(shingleHashes(['defectors', 'arrive'], SIZE)[0]).not.toBe(shingleHashes(['defectors', 'leave'], SIZE)[0]);
  });

  it('gives no shingle for no words', () => {
    expect(shingleHashes([], SIZE)).toHaveLength(0);
  });

  it('gives signed 32-bit integers', () => {
    for (const hash of shingleHashes(foldWords(ARRIVALS), SIZE)) {
      expect(Number.isInteger(hash)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(hash).toBeLessThan(2 ** 31);
    }
  });
});

describe('winnow', () => {
  const random = seeded(20240611);
  const texts = Array.from({ length: 25 }, () => randomWords(random, 40 + Math.floor(random() * 260)));

  it('picks sorted distinct fingerprints that are shingles of the text', () => {
    for (const words of texts) {
      const shingles = shingleHashes(words, SIZE);
      const fingerprints = winnow(shingles, WINDOW);
      const all = new Set(shingles);
      expect(fingerprints).toEqual([...new Set(fingerprints)].sort((a, b) => a - b));
      for (const fingerprint of fingerprints) expect(all.has(fingerprint)).toBe(true);
    }
  });

  it('picks at most one fingerprint per window', () => {
    for (const words of texts) {
      const shingles = shingleHashes(words, SIZE);
      const fingerprints = winnow(shingles, WINDOW);
      expect(fingerprints.length).toBeGreaterThan(0);
      expect(fingerprints.length).toBeLessThanOrEqual(shingles.length - WINDOW + 1);
    }
  });

  it('picks the minimum of every window', () => {
    for (const words of texts) {
      const shingles = shingleHashes(words, SIZE);
      const fingerprints = new Set(winnow(shingles, WINDOW));
      for (let start = 0; start + WINDOW <= shingles.length; start += 1) {
        expect(fingerprints.has(Math.min(...shingles.slice(start, start + WINDOW)))).toBe(true);
      }
    }
  });

  it('gives two texts sharing a passage of window + size - 1 words a common fingerprint', () => {
    const length = WINDOW + SIZE - 1;
    for (let trial = 0; trial < 40; trial += 1) {
      const passage = randomWords(random, length);
      const a = [...randomWords(random, Math.floor(random() * 120)), ...passage, ...randomWords(random, Math.floor(random() * 120))];
      const b = [...randomWords(random, Math.floor(random() * 120)), ...passage, ...randomWords(random, Math.floor(random() * 120))];
      const inB = new Set(winnow(shingleHashes(b, SIZE), WINDOW));
      const common = winnow(shingleHashes(a, SIZE), WINDOW).filter((fingerprint) => inB.has(fingerprint));
      expect(common.length, `trial ${trial}`).toBeGreaterThan(0);
    }
  });

  it('picks the smallest shingle of a text no longer than the window', () => {
    const shingles = shingleHashes(foldWords('Two men crossed the maritime border on a wooden boat.'), SIZE);
    expect(shingles.length).toBeLessThanOrEqual(WINDOW);
    expect(winnow(shingles, WINDOW)).toEqual([Math.min(...shingles)]);
  });

  it('picks nothing from no shingles', () => {
    expect(winnow(new Int32Array(0), WINDOW)).toEqual([]);
  });

  it('indexes a long text by a small share of its shingles', () => {
    const shingles = shingleHashes(foldWords([ARRIVALS, BOAT].join(' ')), SIZE);
    expect(winnow(shingles, WINDOW).length).toBeLessThan(shingles.length / 3);
  });
});
