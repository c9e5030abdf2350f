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
 */

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
}

/** First position of each shingle in a text. */
export function positions(shingles: Int32Array): Map<number, number> {
  const at = new Map<number, number>();
  for (let i = 0; i < shingles.length; i += 1) if (!at.has(shingles[i]!)) at.set(shingles[i]!, i);
  return at;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** `bPositions` may be passed when B is compared with many texts (positions(b.shingles)). */
export function overlap(a: ShingledText, b: ShingledText, bPositions: Map<number, number> = positions(b.shingles)): Overlap {
  const seen = new Set<number>();
  let shared = 0;
  let sharedNarrative = 0;
  let narrativeA = 0;
  let best = { startA: 0, startB: 0, shingles: 0 };
  let runStart = -1;
  for (let i = 0; i < a.shingles.length; i += 1) {
    const hash = a.shingles[i]!;
    const inB = bPositions.has(hash);
    if (!seen.has(hash)) {
      seen.add(hash);
      const narrative = !a.quoted.has(hash);
      if (narrative) narrativeA += 1;
      if (inB) {
        shared += 1;
        if (narrative && !b.quoted.has(hash)) sharedNarrative += 1;
      }
    }
    if (inB) {
      if (runStart < 0) runStart = i;
      const length = i - runStart + 1;
      if (length > best.shingles) best = { startA: runStart, startB: bPositions.get(a.shingles[runStart]!)!, shingles: length };
    } else {
      runStart = -1;
    }
  }
  const sizeA = seen.size;
  const sizeB = bPositions.size;
  const narrativeB = sizeB - b.quoted.size;
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
  };
}
