/**
 * Site furniture: a paragraph a site prints on page after page (a subscription
 * or comment box, a newsletter prompt, a "related stories" block, a standard
 * paragraph of an office's releases) is no evidence that two of its pages are
 * one piece of journalism. The text counts (store/text-counts.ts) say on how
 * many pages of each site a paragraph was seen, once per Story; for a pair,
 * the pages counted are those besides the two compared (a paragraph the two
 * share is not furniture because they share it).
 *
 * - furniture: seen on `furniturePages` other pages of the page's site, or on
 *   `furnitureEdgePages` when it stands at the edge of the text (among its
 *   first or last `EDGE` paragraphs, where notices go). Left out of the
 *   comparison: not shared, not counted in either text's size, not quoted to editors.
 * - furniture by place, before any count: two pages of one site whose only
 *   shared text is a block at the foot of both (their last `EDGE`
 *   paragraphs), with or without one at the top (their first), no bigger than half the longer page, each page having
 *   text of its own besides. A site's chrome is smaller than its articles and
 *   is all two of its articles share; a copy or an update at another address
 *   shares its body too (or is mostly the block), and an excerpt is wholly it. Without this, a site's first pages would join each other through
 *   the notice, and a Story's later pages are never counted.
 * - common: seen in another Story, on any site, but not furniture. Still
 *   evidence, but the facts must agree where most of the shared text is
 *   common (template.ts).
 */
import { contains, sortedShingles } from './containment.js';
import type { DedupePrint } from './print.js';

export interface FurnitureSettings {
  shingleWords: number;
  /** Shared shingles that are a shared body (furniture by place needs fewer outside the edge block). */
  minShared: number;
  /** Other pages of a site holding a paragraph, from which it is that site's furniture. */
  furniturePages: number;
  /** The same, for a paragraph among the first or last paragraphs of the text. */
  furnitureEdgePages: number;
}

/** Paragraphs at each end of a text that count as its edge. */
export const EDGE = 2;

export interface Discount {
  /** Shingles left out of the comparison: furniture of either page's site. */
  ignore: Set<number>;
  /** The furniture paragraphs, by hash: their skeleton shingles are left out too (rewrite.ts). */
  paragraphs: Set<number>;
  /** Shingles of paragraphs seen in other Stories that are not furniture. */
  common: Set<number>;
  /** What was left out and why, for editors: `“subscribe to read …” seen on 37 pages of example.com`. */
  notes: string[];
}

function paragraphAt(print: DedupePrint, hash: number): number {
  for (let i = 0; i < print.paragraphs.length; i += 3) if (print.paragraphs[i] === hash) return i / 3;
  return -1;
}

/** The paragraph's opening words, from whichever print has its words (prints read from the store have none). */
function quote(x: DedupePrint, i: number, y: DedupePrint): string | null {
  const at = (print: DedupePrint, index: number) => print.words?.slice(print.paragraphs[3 * index + 1]!, print.paragraphs[3 * index + 2]!);
  const other = paragraphAt(y, x.paragraphs[3 * i]!);
  const words = at(x, i) ?? (other >= 0 ? at(y, other) : undefined);
  return words ? opening(words) : null;
}

/** A paragraph's first eight words: enough for an editor to recognise a notice. */
function opening(words: readonly string[]): string {
  return words.length > 8 ? `${words.slice(0, 8).join(' ')} …` : words.join(' ');
}

/** Paragraph `index` of `count`, on `onSite` other pages of its site, is furniture by the counts. */
export function isFurniture(onSite: number, index: number, count: number, settings: Omit<FurnitureSettings, 'shingleWords' | 'minShared'>): boolean {
  const edge = index < EDGE || index >= count - EDGE;
  return onSite >= settings.furniturePages || (edge && onSite >= settings.furnitureEdgePages);
}

/**
 * The paragraphs of a stored print that are its site's furniture by the counts
 * now (its own page not counted), as editors read them: `“…” seen on 37 pages of example.com`.
 * `words` are the print's body words (prepareText), to quote them.
 */
export function furnitureOf(print: Pick<DedupePrint, 'paragraphs' | 'site' | 'counted' | 'pages'>, words: readonly string[], settings: Omit<FurnitureSettings, 'shingleWords' | 'minShared'>): string[] {
  const notes: string[] = [];
  const count = print.paragraphs.length / 3;
  for (let i = 0; i < count && print.pages; i += 1) {
    const onSite = print.pages.site[i]! - (print.counted ? 1 : 0);
    if (!isFurniture(onSite, i, count, settings)) continue;
    notes.push(`“${opening(words.slice(print.paragraphs[3 * i + 1]!, print.paragraphs[3 * i + 2]!))}” seen on ${print.pages.site[i]} pages of ${print.site}`);
  }
  return notes;
}

/** Paragraph indexes at the start and at the end of a print. */
function edges(print: DedupePrint): [number[], number[]] {
  const count = print.paragraphs.length / 3;
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return [range(0, Math.min(EDGE, count)), range(Math.max(0, count - EDGE), count)];
}

/**
 * The shingles of these paragraphs of a print: those inside each, and those
 * spanning two of them that follow one another (a notice of two paragraphs).
 */
function shinglesOfParagraphs(into: Set<number>, print: DedupePrint, indexes: Iterable<number>, shingleWords: number): void {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  for (let k = 0; k < sorted.length; ) {
    const start = print.paragraphs[3 * sorted[k]! + 1]!;
    let end = print.paragraphs[3 * sorted[k]! + 2]!;
    for (k += 1; k < sorted.length && print.paragraphs[3 * sorted[k]! + 1] === end; k += 1) end = print.paragraphs[3 * sorted[k]! + 2]!;
    for (let s = start; s + shingleWords <= end; s += 1) into.add(print.shingles[s]!);
  }
}

/** Furniture by place (see above): the edge block two pages of one site share and nothing else. */
function furnitureByPlace(
  a: DedupePrint,
  b: DedupePrint,
  settings: FurnitureSettings,
): { block: Set<number>; paragraphs: Set<number>; first: number } | null {
  const [leadA, tailA] = edges(a);
  const [leadB, tailB] = edges(b);
  const hashes = (print: DedupePrint, indexes: number[]) => new Set(indexes.map((i) => print.paragraphs[3 * i]!));
  const [inLeadB, inTailB] = [hashes(b, leadB), hashes(b, tailB)];
  const foot = tailA.filter((i) => inTailB.has(a.paragraphs[3 * i]!));
  // Notices stand at the foot (paywall, newsletter, related stories), or frame the page at both ends; a
  // block at the top alone is an article's opening, which is what excerpts and quotes take.
  if (foot.length === 0) return null;
  const blockAt = [...leadA.filter((i) => inLeadB.has(a.paragraphs[3 * i]!)), ...foot];
  const block = new Set<number>();
  shinglesOfParagraphs(block, a, blockAt, settings.shingleWords);
  let blockWords = 0;
  for (const i of new Set(blockAt)) blockWords += a.paragraphs[3 * i + 2]! - a.paragraphs[3 * i + 1]!;
  // Chrome is smaller than the articles it frames, and each page has text of its own besides it: an
  // excerpt that is its original's opening paragraphs (a `Read more` teaser) is wholly the block.
  if (2 * blockWords > Math.max(a.wordCount, b.wordCount)) return null;
  if (Math.min(a.wordCount, b.wordCount) - blockWords < settings.minShared) return null;
  // A shared body beyond the block: a copy or an update, whose edges are its own.
  const sb = sortedShingles(b.shingles);
  let body = 0;
  for (const shingle of sortedShingles(a.shingles)) {
    if (!block.has(shingle) && contains(sb, shingle)) body += 1;
    if (body >= settings.minShared) return null;
  }
  return { block, paragraphs: new Set(blockAt.map((i) => a.paragraphs[3 * i]!)), first: blockAt[0]! };
}

/** The furniture and common text of a pair; null when there is none (most pairs). */
export function discountFor(a: DedupePrint, b: DedupePrint, settings: FurnitureSettings): Discount | null {
  let discount: Discount | null = null;
  const noted = new Set<number>();
  if (a.site === b.site && a.paragraphs.length > 0 && b.paragraphs.length > 0) {
    const place = furnitureByPlace(a, b, settings);
    if (place) {
      discount = { ignore: place.block, paragraphs: place.paragraphs, common: new Set(), notes: [] };
      for (const hash of place.paragraphs) noted.add(hash);
      const words = quote(a, place.first, b);
      discount.notes.push(`${words ? `“${words}”` : 'a paragraph'} at the same edge of both pages of ${a.site}, and all they share`);
    }
  }
  for (const [x, y] of [[a, b], [b, a]] as const) {
    if (!x.pages) continue;
    const [furnitureAt, commonAt] = [[] as number[], [] as number[]];
    const count = x.paragraphs.length / 3;
    const self = x.counted ? 1 : 0;
    for (let i = 0; i < count; i += 1) {
      if (x.pages.all[i]! - self <= 0) continue;
      const hash = x.paragraphs[3 * i]!;
      const otherHolds = y.counted && paragraphAt(y, hash) >= 0 ? 1 : 0;
      const elsewhere = x.pages.all[i]! - self - otherHolds;
      if (elsewhere <= 0) continue;
      const onSite = x.pages.site[i]! - self - (y.site === x.site ? otherHolds : 0);
      const furniture = isFurniture(onSite, i, count, settings);
      discount ??= { ignore: new Set(), paragraphs: new Set(), common: new Set(), notes: [] };
      if (furniture) discount.paragraphs.add(hash);
      (furniture ? furnitureAt : commonAt).push(i);
      if (furniture && !noted.has(hash)) {
        noted.add(hash);
        const words = quote(x, i, y);
        discount.notes.push(`${words ? `“${words}”` : 'a paragraph'} seen on ${x.pages.site[i]} pages of ${x.site}`);
      }
    }
    if (discount) {
      shinglesOfParagraphs(discount.ignore, x, furnitureAt, settings.shingleWords);
      shinglesOfParagraphs(discount.common, x, commonAt, settings.shingleWords);
    }
  }
  return discount;
}
