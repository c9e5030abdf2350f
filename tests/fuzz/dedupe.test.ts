/**
 * Property tests (fast-check) of the dedupe measures: shingles, winnowed
 * fingerprints, the overlap of two texts, prints and the pair rules, on any
 * words. Iterations: NEWSDESK_FUZZ_RUNS (default 200), see arbitraries.ts.
 *
 * - shingling is deterministic, gives one shingle per run of `size` words (one
 *   for a shorter text), and is local: a passage's shingles are a slice of the
 *   whole text's, whatever surrounds it;
 * - winnowing picks a sorted set of the text's own shingles with one in every
 *   window, so two texts sharing a passage of window + size - 1 words always
 *   share a fingerprint;
 * - overlap: a text compared with itself shares everything (containment and
 *   resemblance 1, the passage all of it); shared counts within the sizes,
 *   resemblance never above containment, the passage a real run of shared shingles;
 * - prints do not change with the whitespace inside lines, are deterministic,
 *   and keep their quoted shingles and fingerprints among their shingles;
 * - an excerpt (whole consecutive lines of a text) is contained in it with
 *   ratio 1, narrative containment 1, and is judged the same Story once it has
 *   `minShared` shingles of its own words;
 * - a print compared with itself is never apart, and the same Story once it
 *   has `minShared` words;
 * - series parts: differentParts and sameSeries symmetric; daysApart
 *   symmetric, never negative, 0 for a range with itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlap } from '../../src/dedupe/containment.js';
import { foldWords } from '../../src/dedupe/prepare.js';
import { datedRange, makePrint, type PrintSource } from '../../src/dedupe/print.js';
import { comparePrints, daysApart, DEFAULT_DEDUPE } from '../../src/dedupe/rules.js';
import { differentParts, sameSeries, seriesPart } from '../../src/dedupe/series.js';
import { shingleHashes, winnow } from '../../src/dedupe/shingles.js';
import { contentHash } from '../../src/ingest/item.js';
import { runs, shingled, word } from './arbitraries.js';

const words = (max: number) => fc.array(word, { maxLength: max });
const size = fc.integer({ min: 1, max: 6 });

/** A text made of lines, each opened by its own label (so no line repeats a neighbour, as a doubled caption would). */
function pageText(lines: string[][], separators: string[] = []): string {
  let next = 0;
  const sep = () => separators[next++ % Math.max(1, separators.length)] ?? ' ';
  return lines.map((line, i) => [`l${i}x`, ...line].map((w) => `${w}${sep()}`).join('').replace(/^/, sep())).join('\n');
}

function printOf(title: string, text: string, id = 'it_a') {
  const item: PrintSource = { id, sourceId: 'fuzz', title, contentText: text, contentHash: contentHash(text), url: null, publishedAt: null, archiveMonth: null };
  return makePrint(item, DEFAULT_DEDUPE);
}

describe('properties: shingles and fingerprints', () => {
  it('shingling is deterministic, one shingle per run of `size` words', () => {
    fc.assert(
      fc.property(words(40), size, (text, n) => {
        const hashes = shingleHashes(text, n);
        expect(hashes.length).toBe(text.length === 0 ? 0 : Math.max(1, text.length - n + 1));
        expect(shingleHashes([...text], n)).toEqual(hashes);
      }),
      { numRuns: runs * 2 },
    );
  });

  it("shingling is local: a passage's shingles are a slice of the whole text's", () => {
    fc.assert(
      fc.property(words(20), words(30), words(20), size, (before, passage, after, n) => {
        fc.pre(passage.length >= n);
        const whole = shingleHashes([...before, ...passage, ...after], n);
        expect(shingleHashes(passage, n)).toEqual(whole.slice(before.length, before.length + passage.length - n + 1));
      }),
      { numRuns: runs * 2 },
    );
  });

  it('winnowing picks a sorted set of the shingles, one in every window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (hashes, window) => {
        const shingles = Int32Array.from(hashes);
        const picked = winnow(shingles, window);
        expect(picked).toEqual([...new Set(picked)].sort((a, b) => a - b));
        for (const value of picked) expect(hashes).toContain(value);
        const set = new Set(picked);
        for (let start = 0; start + window <= hashes.length; start += 1) {
          expect(hashes.slice(start, start + window).some((h) => set.has(h))).toBe(true);
        }
        if (hashes.length > 0) expect(picked.length).toBeGreaterThan(0);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('two texts sharing a passage of window + size - 1 words share a fingerprint', () => {
    fc.assert(
      fc.property(words(30), words(30), words(30), words(30), words(60), size, fc.integer({ min: 1, max: 12 }), (a1, a2, b1, b2, passage, n, window) => {
        fc.pre(passage.length >= window + n - 1);
        const fa = winnow(shingleHashes([...a1, ...passage, ...a2], n), window);
        const fb = new Set(winnow(shingleHashes([...b1, ...passage, ...b2], n), window));
        expect(fa.some((f) => fb.has(f))).toBe(true);
      }),
      { numRuns: runs * 2 },
    );
  });
});

describe('properties: overlap', () => {
  it('a text compared with itself shares everything', () => {
    fc.assert(
      fc.property(shingled, (a) => {
        const o = overlap(a, { shingles: Int32Array.from(a.shingles), quoted: new Set(a.quoted) });
        const empty = a.shingles.length === 0;
        expect(o.shared).toBe(o.sizeA);
        expect(o.containment).toBe(empty ? 0 : 1);
        expect(o.resemblance).toBe(empty ? 0 : 1);
        expect(o.narrativeContainment).toBe(o.narrativeA === 0 ? 0 : 1);
        expect(o.passage).toEqual({ startA: 0, startB: 0, shingles: a.shingles.length });
      }),
      { numRuns: runs * 5 },
    );
  });

  it('shared counts stay within the sizes, resemblance within containment, the passage is a run of shared shingles', () => {
    fc.assert(
      fc.property(shingled, shingled, (a, b) => {
        const o = overlap(a, b);
        expect(o.shared).toBeLessThanOrEqual(Math.min(o.sizeA, o.sizeB));
        expect(o.sizeA).toBe(new Set(a.shingles).size);
        expect(o.sharedNarrative).toBeLessThanOrEqual(o.shared);
        expect(o.resemblance).toBeLessThanOrEqual(o.containment);
        const inB = new Set(b.shingles);
        const { startA, startB, shingles } = o.passage;
        for (let i = startA; i < startA + shingles; i += 1) expect(inB.has(a.shingles[i]!)).toBe(true);
        if (shingles > 0) expect(b.shingles[startB]).toBe(a.shingles[startA]);
        // No longer run exists.
        let run = 0;
        let longest = 0;
        for (const h of a.shingles) longest = Math.max(longest, (run = inB.has(h) ? run + 1 : 0));
        expect(shingles).toBe(longest);
      }),
      { numRuns: runs * 5 },
    );
  });
});

describe('properties: prints and rules', () => {
  const line = fc.array(word, { minLength: 1, maxLength: 14 });
  const lines = fc.array(line, { minLength: 1, maxLength: 12 });
  const title = fc.array(word, { maxLength: 8 }).map((w) => w.join(' '));
  const space = fc.constantFrom(' ', '  ', '\t', '\u00a0', '\u2003', ' \u00a0 ', '\u3000');

  // A word ending in a UTF-8 lead byte read as Latin-1 (U+00C2-U+00F4, say `Â`) before a no-break space
  // is a mis-decoded character, which prints repair on purpose (src/dedupe/encoding.ts): with a plain
  // space the same word is a word. Those words are not this property's business.
  const undecodedLead = /[\u00c2-\u00f4]$/;
  const spacedLines = fc.array(fc.array(word.filter((w) => !undecodedLead.test(w)), { minLength: 1, maxLength: 14 }), { minLength: 1, maxLength: 12 });

  it('prints do not change with the whitespace inside lines', () => {
    fc.assert(
      fc.property(title, spacedLines, fc.array(space, { minLength: 1, maxLength: 40 }), (t, body, separators) => {
        const plain = printOf(t, pageText(body));
        const spaced = printOf(t, pageText(body, separators));
        expect(spaced.shingles).toEqual(plain.shingles);
        expect(spaced.quoted).toEqual(plain.quoted);
        expect(spaced.fingerprints).toEqual(plain.fingerprints);
        expect(spaced.wordCount).toBe(plain.wordCount);
        expect(spaced.contentHash).toBe(plain.contentHash);
      }),
      { numRuns: runs },
    );
  });

  it('prints are deterministic and keep quoted shingles and fingerprints among their shingles', () => {
    fc.assert(
      fc.property(title, lines, (t, body) => {
        const text = pageText(body);
        const print = printOf(t, text);
        const again = printOf(t, text);
        expect(again.shingles).toEqual(print.shingles);
        expect(again.fingerprints).toEqual(print.fingerprints);
        const all = new Set(print.shingles);
        for (const q of print.quoted) expect(all.has(q)).toBe(true);
        for (const f of print.fingerprints) expect(all.has(f)).toBe(true);
        expect(print.wordCount).toBe(print.words?.length);
      }),
      { numRuns: runs },
    );
  });

  it('an excerpt of whole consecutive lines is contained in its text and judged the same Story', () => {
    fc.assert(
      fc.property(title, lines, fc.nat(), fc.nat(), (t, body, from, length) => {
        const start = from % body.length;
        const end = start + 1 + (length % (body.length - start));
        const original = printOf(t, pageText(body), 'it_original');
        // The excerpt keeps each line's label, as a copy of those lines would.
        const excerptText = pageText(body).split('\n').slice(start, end).join('\n');
        const excerpt = printOf(t, excerptText, 'it_excerpt');
        fc.pre(excerpt.wordCount >= DEFAULT_DEDUPE.shingleWords);
        const o = overlap(excerpt, original);
        expect(o.containment).toBe(1);
        expect(o.shared).toBe(o.sizeA);
        if (o.narrativeA > 0) expect(o.narrativeContainment).toBe(1);
        expect(o.passage.shingles).toBe(excerpt.shingles.length);
        if (o.sharedNarrative >= DEFAULT_DEDUPE.minShared) expect(comparePrints(excerpt, original, DEFAULT_DEDUPE).verdict).toBe('same');
      }),
      { numRuns: runs },
    );
  });

  it('a print compared with itself is never apart, and the same Story once it has minShared words', () => {
    fc.assert(
      fc.property(title, lines, (t, body) => {
        const print = printOf(t, pageText(body));
        const verdict = comparePrints(print, { ...print, itemId: 'it_other' }, DEFAULT_DEDUPE);
        if (verdict.verdict === 'apart') expect(verdict.rule).toBe('below-threshold');
        if (print.wordCount >= DEFAULT_DEDUPE.minShared) expect(verdict.verdict).toBe('same');
      }),
      { numRuns: runs },
    );
  });

  it('series parts and date distances are symmetric; a range is 0 days from itself', () => {
    const seriesTitle = fc
      .tuple(title, fc.constantFrom('Part 1', 'part two', 'Pt. 3', '(2/3)', '[1/2]', 'final part', 'Chapter iv of x', 'Episode 12', ''), title)
      .map(([a, marker, b]) => `${a} ${marker} ${b}`);
    const range = fc
      .tuple(fc.option(fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }), { nil: null }), fc.option(fc.constantFrom('2016-04', '2020-02', '2024-12', '0000-01'), { nil: null }))
      .map(([publishedAt, archiveMonth]) => datedRange({ publishedAt, archiveMonth }));
    fc.assert(
      fc.property(seriesTitle, seriesTitle, range, range, (ta, tb, ra, rb) => {
        const [a, b] = [seriesPart(ta), seriesPart(tb)];
        expect(differentParts(a, b)).toBe(differentParts(b, a));
        expect(sameSeries(a, b)).toBe(sameSeries(b, a));
        if (a !== null) expect(differentParts(a, a)).toBe(false);
        if (ra !== null) {
          expect(ra.from <= ra.to).toBe(true);
          expect(daysApart(ra, ra)).toBe(0);
        }
        if (ra !== null && rb !== null) {
          expect(daysApart(ra, rb)).toBe(daysApart(rb, ra));
          expect(daysApart(ra, rb)).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: runs * 2 },
    );
  });

  it('folded words do not change with whitespace', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.array(fc.oneof(space, fc.constantFrom('\n', '\n\n', ' \r\n')), { minLength: 1, maxLength: 31 }), (ws, separators) => {
        const spaced = ws.map((w, i) => `${separators[i % separators.length]}${w}`).join('');
        expect(foldWords(spaced)).toEqual(foldWords(ws.join(' ')));
      }),
      { numRuns: runs * 2 },
    );
  });
});
