/**
 * Evidence that survives a synonym spinner. A spinner swaps content words
 * (`rescued` -> `saved`, `boat` -> `vessel`) and so breaks nearly every
 * 4-word shingle; it leaves alone what carries no meaning to swap:
 * - the small function words, in their order: the text's skeleton. Runs of
 *   consecutive function words (`of the`, `had been`, `to the`) hashed in
 *   groups are as particular to one writer's sentences as shingles are, and a
 *   rewrite keeps them (stop-word n-grams: Stamatatos, "Plagiarism detection
 *   using stopword n-grams", JASIST 62(12), 2011);
 * - the names and numbers, in their order (an LCS over the facts);
 * - the title, which a content farm keeps to be found by the same searches.
 * Other outlets' reports of one event share the names and numbers, and often
 * a similar title, but not the skeleton of their sentences; quoted words are
 * left out of it, since those reports quote the same statements.
 */
import { commonSubsequence } from './alignment.js';
import { sameFact, type Fact } from './facts.js';
import { foldWords } from './prepare.js';
import { shinglesOf, wordHash } from './shingles.js';

/**
 * The function words of English that a spinner never swaps. Short on purpose:
 * with more words the skeleton takes in the content words that carry meaning.
 */
const FUNCTION_WORDS = new Set(
  ('the a an of to in on at by for from with into over after before about as than that which who whom whose ' +
    'this these those it its he she they them his her their we our you your and or but if so not no nor ' +
    'is are was were be been being has have had do does did will would can could may might must should shall ' +
    'there here then when where while what how all some any each both more most such only also just very')
    .split(' '),
);

/** Function words per skeleton shingle: long enough that two writers' sentences rarely share one by chance. */
export const SKELETON_WORDS = 8;

/** The function words by their hashes: the text's words are hashed once, for its shingles and this. */
const FUNCTION_HASHES = new Set([...FUNCTION_WORDS].map(wordHash));

export interface Skeleton {
  /** The distinct skeleton shingles, sorted. */
  skeleton: Int32Array;
  /**
   * For each, the paragraph (its hash, print.ts) its first function word is in,
   * 0 for none: so the shingles of a paragraph found to be site furniture can
   * be left out (furniture.ts), as its shingles are.
   */
  owners: Int32Array;
}

/**
 * The text's skeleton shingles (function words outside quotes, in order).
 * `hashes` are the words' hashes (wordHashes); `paragraphOf` each word's paragraph hash.
 */
export function skeletonOf(hashes: ArrayLike<number>, quoted: readonly boolean[], paragraphOf: ArrayLike<number>): Skeleton {
  const skeleton: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < hashes.length; i += 1) {
    if (quoted[i] || !FUNCTION_HASHES.has(hashes[i]!)) continue;
    skeleton.push(hashes[i]!);
    at.push(i);
  }
  if (skeleton.length < SKELETON_WORDS) return { skeleton: new Int32Array(0), owners: new Int32Array(0) };
  const shingles = shinglesOf(skeleton, SKELETON_WORDS);
  // Each shingle's paragraph is that of its first occurrence, in text order.
  const ownerOf = new Map<number, number>();
  for (let i = 0; i < shingles.length; i += 1) if (!ownerOf.has(shingles[i]!)) ownerOf.set(shingles[i]!, paragraphOf[at[i]!] ?? 0);
  const sorted = Int32Array.from(ownerOf.keys()).sort();
  return { skeleton: sorted, owners: sorted.map((shingle) => ownerOf.get(shingle)!) };
}

/** The skeleton without the shingles owned by `paragraphs` (site furniture). */
export function withoutParagraphs(skeleton: Skeleton, paragraphs: ReadonlySet<number>): Int32Array {
  if (paragraphs.size === 0) return skeleton.skeleton;
  return skeleton.skeleton.filter((_, i) => !paragraphs.has(skeleton.owners[i]!));
}

/** Shared distinct skeleton shingles over the smaller text's (both sorted). */
export function skeletonContainment(a: Int32Array, b: Int32Array): { shared: number; containment: number } {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i += 1;
    else if (a[i]! > b[j]!) j += 1;
    else {
      shared += 1;
      i += 1;
      j += 1;
    }
  }
  const smaller = Math.min(a.length, b.length);
  return { shared, containment: smaller === 0 ? 0 : shared / smaller };
}

/** Facts that are in the text's own running order: names, numbers and dates (weekdays repeat too often to order anything). */
const ordered = (facts: readonly Fact[]) => facts.filter((fact) => fact.kind !== 'weekday');

/** The share of the shorter list of facts found in the other in the same order. */
export function factOrder(a: readonly Fact[], b: readonly Fact[]): number {
  const [x, y] = [ordered(a), ordered(b)];
  const shorter = Math.min(x.length, y.length);
  return shorter === 0 ? 0 : commonSubsequence(x, y, sameFact) / shorter;
}

/**
 * The key a title is found by: its folded words, when it has enough of them
 * to say something (makePrint gives an untitled page's none).
 */
export function titleKey(title: string): string | null {
  const words = foldWords(title);
  return words.length >= 4 ? words.join(' ') : null;
}
