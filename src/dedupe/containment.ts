/**
 * How much two texts share, measured on their shingles:
 * - containment: the share of the shorter text found in the longer one. An
 *   excerpt lies almost whole inside its original, however much longer the
 *   original is, so this is the excerpt signal where resemblance is low;
 * - narrative containment: the same, counting only shingles that are not
 *   wholly inside quotation marks. Independent reports of one event quote the
 *   same statements word for word; what a copy shares beyond that is the
 *   writer's own sentences;
 * - resemblance (Jaccard): shared over all, high only for near-exact copies;
 * - the longest shared passage, and where it starts in each text.
 * Shingles a discount leaves out (site furniture, furniture.ts) count for
 * nothing: not shared, not in either text's size, never part of the passage.
 */
import type { Discount } from './furniture.js';

/** A text's shingles as the measures read them. */
export interface ShingledText {
  /** Shingle hashes in text order. */
  shingles: Int32Array;
  /** The distinct shingles wholly inside quotation marks. */
  quoted: ReadonlySet<number>;
}

export interface Overlap {
  /** Distinct shingles the two texts have in common. */
  shared: number;
  /** Distinct shingles of each text. */
  sizeA: number;
  sizeB: number;
  /** shared / the smaller of sizeA and sizeB. */
  containment: number;
  /** shared / |A ∪ B|. */
  resemblance: number;
  /** Distinct shingles outside quotes that both texts have outside quotes. */
  sharedNarrative: number;
  narrativeA: number;
  narrativeB: number;
  /** sharedNarrative / the smaller of narrativeA and narrativeB. */
  narrativeContainment: number;
  /** The longest run of consecutive shingles of A that B also has. */
  passage: { startA: number; startB: number; shingles: number };
  /** Of the shared shingles, those in text seen in other Stories (common, not furniture); null without text counts. */
  sharedCommon: number | null;
}

/**
 * A text's distinct shingles, sorted: what membership tests search. Cached per
 * shingle array, since a stored print is compared with many new Items.
 */
const sortedCache = new WeakMap<Int32Array, Int32Array>();

export function sortedShingles(shingles: Int32Array): Int32Array {
  const cached = sortedCache.get(shingles);
  if (cached) return cached;
  const sorted = Int32Array.from(shingles).sort();
  let size = 0;
  for (let i = 0; i < sorted.length; i += 1) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[size++] = sorted[i]!;
  const unique = sorted.subarray(0, size);
  sortedCache.set(shingles, unique);
  return unique;
}

/** Binary search in a sortedShingles array. */
export function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid]!;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/**
 * Measures on sorted typed arrays (a merge for the counts, binary search for
 * the passage): this runs for every candidate of every new Item, so it must
 * not build a map per comparison.
 */
export function overlap(a: ShingledText, b: ShingledText, discount: Discount | null = null): Overlap {
  const [sa, sb] = [sortedShingles(a.shingles), sortedShingles(b.shingles)];
  const ignore = discount?.ignore;
  let shared = 0;
  let sharedNarrative = 0;
  let sharedCommon = 0;
  for (let i = 0, j = 0; i < sa.length && j < sb.length; ) {
    if (sa[i]! < sb[j]!) i += 1;
    else if (sa[i]! > sb[j]!) j += 1;
    else {
      const value = sa[i]!;
      if (!ignore?.has(value)) {
        shared += 1;
        if (!a.quoted.has(value) && !b.quoted.has(value)) sharedNarrative += 1;
        if (discount?.common.has(value)) sharedCommon += 1;
      }
      i += 1;
      j += 1;
    }
  }
  let best = { startA: 0, startB: 0, shingles: 0 };
  let runStart = -1;
  for (let i = 0; i < a.shingles.length; i += 1) {
    if (!contains(sb, a.shingles[i]!) || ignore?.has(a.shingles[i]!)) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = i;
    if (i - runStart + 1 > best.shingles) best = { startA: runStart, startB: 0, shingles: i - runStart + 1 };
  }
  if (best.shingles > 0) best.startB = b.shingles.indexOf(a.shingles[best.startA]!);
  // Furniture is no part of either text: each is measured on its own journalism.
  let [sizeA, sizeB] = [sa.length, sb.length];
  let [narrativeA, narrativeB] = [sizeA - a.quoted.size, sizeB - b.quoted.size];
  for (const value of ignore ?? []) {
    if (contains(sa, value)) [sizeA, narrativeA] = [sizeA - 1, narrativeA - (a.quoted.has(value) ? 0 : 1)];
    if (contains(sb, value)) [sizeB, narrativeB] = [sizeB - 1, narrativeB - (b.quoted.has(value) ? 0 : 1)];
  }
  return {
    shared,
    sizeA,
    sizeB,
    containment: ratio(shared, Math.min(sizeA, sizeB)),
    resemblance: ratio(shared, sizeA + sizeB - shared),
    sharedNarrative,
    narrativeA,
    narrativeB,
    narrativeContainment: ratio(sharedNarrative, Math.min(narrativeA, narrativeB)),
    passage: best,
    sharedCommon: discount ? sharedCommon : null,
  };
}
