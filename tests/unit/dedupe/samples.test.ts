/**
 * The bundled sample archive holds 45 different posts: no two share more than
 * one clause. The two Kim Jong Un birthday posts share one clause, the three
 * excerpts of one AP article on overseas workers share none, and the parts of
 * each series are different texts. Dedupe must keep all 45 apart.
 */
import { describe, expect, it } from 'vitest';
import { assignBatch } from '../../../src/dedupe/cluster.js';
import { overlap } from '../../../src/dedupe/containment.js';
import { makePrint, type DedupePrint } from '../../../src/dedupe/print.js';
import { comparePrints, DEFAULT_DEDUPE } from '../../../src/dedupe/rules.js';
import type { Item } from '../../../src/ingest/item.js';
import { readArchiveSource } from '../../../src/ingest/read-archive.js';
import type { SourceRow } from '../../../src/ingest/source.js';

const source = { id: 'archive', kind: 'archive', name: 'Archive', location: 'samples/archive', settings: { siteNames: ['Crossing Borders'] } } as unknown as SourceRow;
const { items } = await readArchiveSource(source, { outletAliases: {} });
const prints = new Map(items.map((item) => [item.id, makePrint(item, DEFAULT_DEDUPE)]));
const byTitle = (pattern: RegExp): Item => {
  const found = items.filter((item) => pattern.test(item.title));
  expect(found, String(pattern)).toHaveLength(1);
  return found[0]!;
};
const printOf = (item: Item): DedupePrint => prints.get(item.id)!;
const passageWords = (a: Item, b: Item) => {
  const shingles = overlap(printOf(a), printOf(b)).passage.shingles;
  return shingles === 0 ? 0 : shingles + DEFAULT_DEDUPE.shingleWords - 1;
};

describe('the sample archive', () => {
  it('has 45 Items, and dedupe keeps them 45 Stories', () => {
    expect(items).toHaveLength(45);
    const result = assignBatch(
      { items: [...prints.values()], stored: new Map(), candidates: new Map(), storyCreated: new Map(), apart: [], membership: new Map() },
      DEFAULT_DEDUPE,
    );
    expect(new Set(result.assignments.map((a) => a.storyId)).size).toBe(45);
    expect(result.merges).toEqual([]);
  });

  it('has no two posts sharing more than one clause, and no pair the rules call the same or uncertain', () => {
    let longest = { words: 0, pair: '' };
    for (const [i, a] of items.entries()) {
      for (const b of items.slice(i + 1)) {
        const verdict = comparePrints(printOf(a), printOf(b), DEFAULT_DEDUPE);
        expect(verdict.verdict, `${a.title} / ${b.title}`).toBe('apart');
        const o = overlap(printOf(a), printOf(b));
        // Beyond the longest shared passage, only scattered common phrases.
        expect(o.sharedNarrative - o.passage.shingles, `${a.title} / ${b.title}`).toBeLessThan(DEFAULT_DEDUPE.minShared);
        const words = passageWords(a, b);
        if (words > longest.words) longest = { words, pair: `${a.title} / ${b.title}` };
      }
    }
    // The longest shared passage in the whole archive is the birthday posts' clause: under a sentence's worth.
    expect(longest.pair).toMatch(/birthday.*Kim Jong Un turns 36|Kim Jong Un turns 36.*birthday/);
    expect(longest.words).toBeLessThan(30);
  });

  it('keeps the two Kim Jong Un birthday posts apart: they share one clause', () => {
    const [a, b] = [byTitle(/birthday of Kim Jong Un/), byTitle(/Kim Jong Un turns 36/)];
    expect(passageWords(a, b)).toBeGreaterThan(20);
    expect(comparePrints(printOf(a), printOf(b), DEFAULT_DEDUPE)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('keeps the three excerpts of the AP article on overseas workers apart: they share no passage', () => {
    const excerpts = [byTitle(/^Tales from North Koreans working abroad/), byTitle(/^Brutal work abroad/), byTitle(/vie and bribe/)];
    for (const [i, a] of excerpts.entries()) {
      for (const b of excerpts.slice(i + 1)) expect(passageWords(a, b), `${a.title} / ${b.title}`).toBeLessThan(8);
    }
  });

  it('keeps the parts of each series apart: different texts, linked as one series', () => {
    for (const [one, two] of [
      [/^Extortion with an axe – Part 1/, /^Extortion with an axe – Part 2/],
      [/^Further mass North Korean defections to follow – Part 1/, /^More on further mass North Korean defections to follow – Part 2/],
    ] as const) {
      const [a, b] = [byTitle(one), byTitle(two)];
      expect(passageWords(a, b)).toBeLessThan(8);
      expect(comparePrints(printOf(a), printOf(b), DEFAULT_DEDUPE)).toMatchObject({ verdict: 'apart', rule: 'series-parts', series: true });
    }
  });
});
