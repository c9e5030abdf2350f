import { describe, expect, it } from 'vitest';
import { overlap } from '../../../src/dedupe/containment.js';
import { discountFor } from '../../../src/dedupe/furniture.js';
import type { DedupePrint } from '../../../src/dedupe/print.js';
import { comparePrints, DEFAULT_DEDUPE } from '../../../src/dedupe/rules.js';
import { COOKIES, PAYWALL, RELATED } from '../../fixtures/dedupe/furniture.js';
import { printOf } from '../../helpers/articles.js';
import { newsGenerator } from '../../helpers/news-generator.js';

const generator = newsGenerator(4242);
const body = (n: number) => generator.articleAt(n).paragraphs;
const onSite = (site: string, id: string, paragraphs: string[]) =>
  printOf(id, `Article ${id} about the border`, paragraphs.join('\n\n'), { url: `https://${site}/${id}`, sourceId: site });
/** Two short sentences of article n: a paywalled teaser. */
const teaser = (n: number) => body(n).slice(0, 2).map((paragraph) => `${paragraph.split('. ')[0]!.replace(/\.$/, '')}.`);

/** Sets a print's text counts: `pages(hash index)` on its site, and overall the same plus `elsewhere`. */
function counted(print: DedupePrint, pages: (index: number) => number, elsewhere = 0, isCounted = true): DedupePrint {
  const size = print.paragraphs.length / 3;
  const site = Int32Array.from({ length: size }, (_, i) => pages(i));
  print.counted = isCounted;
  print.pages = { site, all: site.map((count) => count + elsewhere) };
  return print;
}

describe('site furniture by place (no counts yet)', () => {
  const long = onSite('paper.example', 'long', [COOKIES, ...body(1), PAYWALL]);
  const short = onSite('paper.example', 'short', [COOKIES, ...teaser(2), PAYWALL]);

  it('takes the notice two pages of one site share at their edges, and nothing else, for furniture', () => {
    // The premise: counted as evidence, the notice alone makes the short page a copy of the long one.
    expect(overlap(short, long).narrativeContainment).toBeGreaterThanOrEqual(DEFAULT_DEDUPE.containment);
    const discount = discountFor(short, long, DEFAULT_DEDUPE)!;
    expect(discount.notes).toEqual([expect.stringMatching(/^“we use cookies and similar technologies to improve …” at the same edge of both pages of paper\.example/)]);
    expect(overlap(short, long, discount).shared).toBe(0);
    expect(comparePrints(short, long, DEFAULT_DEDUPE)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('leaves the edges of pages on two sites alone (a syndicated copy is found by its whole text)', () => {
    const elsewhere = onSite('other.example', 'short', [COOKIES, ...teaser(2), PAYWALL]);
    expect(discountFor(elsewhere, long, DEFAULT_DEDUPE)).toBeNull();
  });

  it('leaves the edges of a page and its update at another address alone: they share their body too', () => {
    const paragraphs = body(3);
    const update = onSite('paper.example', 'update', [COOKIES, ...paragraphs.slice(0, -1), 'An added paragraph says what happened since the first report was published.', PAYWALL]);
    const first = onSite('paper.example', 'first', [COOKIES, ...paragraphs, PAYWALL]);
    expect(discountFor(update, first, DEFAULT_DEDUPE)).toBeNull();
    expect(comparePrints(update, first, DEFAULT_DEDUPE).verdict).toBe('same');
  });

  it('leaves a shared edge block alone when it is most of the longer page (a reprint of a short item is a copy)', () => {
    const a = onSite('paper.example', 'a', [COOKIES, teaser(4)[0]!]);
    const b = onSite('paper.example', 'b', [COOKIES, teaser(5)[0]!]);
    expect(discountFor(a, b, DEFAULT_DEDUPE)).toBeNull();
  });
});

describe('site furniture by count', () => {
  // A block in the middle of the text, where place says nothing: only the counts can tell.
  const middle = (n: number, id: string, site = 'paper.example') => onSite(site, id, [...body(n).slice(0, 2), RELATED, ...body(n).slice(2)]);
  /** RELATED's two paragraphs stand third and fourth. */
  const relatedAt = (_print: DedupePrint) => (i: number) => (i === 2 || i === 3 ? 1 : 0);

  it('leaves out a paragraph seen on furniturePages other pages of the site, but not the pair\'s own pages', () => {
    const [a, b] = [middle(6, 'a'), middle(7, 'b')];
    // b is stored and counted; the block is on 1 + furniturePages pages of the site counting b: furniture.
    counted(b, (i) => (relatedAt(b)(i) ? 1 + DEFAULT_DEDUPE.furniturePages : 1));
    counted(a, (i) => (relatedAt(a)(i) ? 1 + DEFAULT_DEDUPE.furniturePages : 0), 0, false);
    const discount = discountFor(a, b, DEFAULT_DEDUPE)!;
    expect(discount.notes).toEqual([
      expect.stringMatching(new RegExp(`^“sign up for our weekly newsletter .*” seen on ${1 + DEFAULT_DEDUPE.furniturePages} pages of paper\\.example$`)),
      expect.stringMatching(/^“our reporting depends on readers like you/),
    ]);
    expect(comparePrints(a, b, DEFAULT_DEDUPE).verdict).toBe('apart');

    // One page fewer: the same block counts as evidence (common text), not furniture.
    counted(b, (i) => (relatedAt(b)(i) ? DEFAULT_DEDUPE.furniturePages : 1));
    counted(a, (i) => (relatedAt(a)(i) ? DEFAULT_DEDUPE.furniturePages : 0), 0, false);
    const fewer = discountFor(a, b, DEFAULT_DEDUPE)!;
    expect(fewer.notes).toEqual([]);
    expect(fewer.common.size).toBeGreaterThan(0);
  });

  it('counts pages per site: the same paragraph on another site\'s pages is common text, not this site\'s furniture', () => {
    const [a, b] = [middle(8, 'a'), middle(9, 'b')];
    counted(b, () => 1, 10);
    counted(a, () => 0, 10, false);
    const discount = discountFor(a, b, DEFAULT_DEDUPE)!;
    expect(discount.ignore.size).toBe(0);
    expect(discount.common.size).toBeGreaterThan(0);
  });

  it('takes an edge paragraph for furniture from furnitureEdgePages other pages', () => {
    // The two share a paragraph of their bodies as well, so place alone does not call the block furniture.
    const quoted = body(12)[0]!;
    const a = onSite('paper.example', 'a', [...body(10), quoted, RELATED]);
    const b = onSite('paper.example', 'b', [quoted, ...body(11), RELATED]);
    const last = (print: DedupePrint) => (i: number) => (i >= print.paragraphs.length / 3 - 2 ? 1 : 0);
    counted(b, (i) => 1 + last(b)(i) * DEFAULT_DEDUPE.furnitureEdgePages);
    counted(a, (i) => last(a)(i) * (1 + DEFAULT_DEDUPE.furnitureEdgePages), 0, false);
    expect(discountFor(a, b, { ...DEFAULT_DEDUPE, furnitureEdgePages: 1000 })).toMatchObject({ notes: [] });
    expect(discountFor(a, b, DEFAULT_DEDUPE)!.notes).toEqual([expect.stringMatching(/^“sign up/), expect.stringMatching(/^“our reporting/)]);
  });
});

describe('an article\'s opening is not furniture by place', () => {
  it('keeps two pages of one site that share only their opening paragraphs as evidence (an excerpt with commentary)', () => {
    const opening = body(20).slice(0, 2);
    const quoting = onSite('paper.example', 'quoting', [...opening, ...body(21)]);
    const original = onSite('paper.example', 'original', [...opening, ...body(20).slice(2)]);
    expect(discountFor(quoting, original, DEFAULT_DEDUPE)).toBeNull();
  });
});
