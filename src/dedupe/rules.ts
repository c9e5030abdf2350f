/**
 * The decision rules: is a new Item the same piece of journalism as one already
 * seen? Checked in this order, the first that applies decides:
 *
 * 1. series-parts (apart): the titles name different parts of a series.
 * 2. exact-text (same): the same normalised body (a repost on another page or feed).
 * 3. same-url (same): the same canonical page address.
 * 4. time-window (apart): both are dated and further apart than `windowDays`
 *    (yearly stories on a recurring subject look alike).
 * 5. near-copy / containment (same): most of the shorter text's own sentences
 *    (outside quotation marks) are in the longer one; near-copy when the two
 *    are also alike as wholes. An excerpt, a syndicated or scraped copy, a
 *    copy-edited wire version.
 * 6. rewritten (same): a synonym-spun copy, whose shingles the spinner broke:
 *    the same skeleton of function words and the same facts in the same order
 *    (rewrite.ts).
 * 7. review: a weaker overlap, between `reviewFrom` and `containment`, that
 *    is more than one passage: not merged, queued for an editor. (One shared
 *    clause, quote or stock paragraph is what different reports have in common.)
 * Before 5-7 say same or review, facts-differ (apart, or review when unsure):
 * where the shared text is a template (the slots of shared sentences hold
 * different facts), the names, dates and numbers must agree (template.ts).
 * Before any text rule, site furniture (a paragraph the site prints on many
 * pages, by the text counts) is left out of both texts (furniture.ts).
 * Anything else is apart: other outlets' reports of the same event share names
 * and quotes, not their writers' sentences. No rule looks at a site, an
 * Outlet or a title's wording (beyond part numbers).
 */
import { overlap, type Overlap } from './containment.js';
import { discountFor, type Discount } from './furniture.js';
import type { DatedRange, DedupePrint, ShingleSettings } from './print.js';
import { factOrder, skeletonContainment, withoutParagraphs } from './rewrite.js';
import { differentParts, sameSeries } from './series.js';
import { checkFacts, commonShareOf, describeConflicts, judgeFacts, type FactCheck } from './template.js';

export interface DedupeSettings extends ShingleSettings {
  /** Dated Items further apart than this many days are never merged by their text. */
  windowDays: number;
  /** Narrative containment from which two Items are one Story. */
  containment: number;
  /** Narrative containment from which a pair below `containment` is queued for editors. */
  reviewFrom: number;
  /** Fewest shared shingles (outside quotes) for any text rule: a shared clause is not a story. */
  minShared: number;
  /** Resemblance from which a match is a near-exact copy rather than an excerpt. */
  copyResemblance: number;
  /** Below this many shingles outside quotes, a text is judged on all its shingles, quotes included. */
  minNarrative: number;
  /** Candidates compared with each new Item, most shared fingerprints first. */
  maxCandidates: number;
  /**
   * Weight of shared fingerprints a candidate needs (one for a short text; see
   * fingerprintWeight): a fingerprint no other Item holds is enough, one that
   * many hold is a phrase; a copied passage three times the winnowing guarantee
   * always gives three.
   */
  minSharedFingerprints: number;
  /**
   * A fingerprint held by more Items than this is stock text (a common phrase, a
   * wire's background paragraph): it suggests no candidate. Copies are indexed
   * once, so this counts different texts.
   */
  maxPostings: number;
  /**
   * Weight of conflicting facts (a name or date 1, a number 0.5) from which two
   * texts sharing a template are two Stories; from 1 to this they are queued for
   * editors.
   */
  factConflicts: number;
  /** Share of the aligned fact slots that conflict (or of the shared text that is common) from which the shared text is a template. */
  templateShare: number;
  /** Skeleton containment (function-word shingles) from which a text is a rewritten copy of another. */
  rewriteSkeleton: number;
  /** Fewest shared skeleton shingles for the rewritten rule. */
  minSkeleton: number;
  /** Share of the shorter text's facts found in the other in the same order, needed for the rewritten rule. */
  rewriteFacts: number;
  /** Other pages (Stories) of a site holding a paragraph, from which it is the site's furniture (furniture.ts). */
  furniturePages: number;
  /** The same for a paragraph at the edge of the text (first or last two), where notices and "related" blocks go. */
  furnitureEdgePages: number;
}

export const DEFAULT_DEDUPE: DedupeSettings = {
  shingleWords: 4,
  window: 24,
  windowDays: 120,
  containment: 0.27,
  reviewFrom: 0.15,
  minShared: 15,
  copyResemblance: 0.8,
  minNarrative: 20,
  maxCandidates: 30,
  minSharedFingerprints: 3,
  maxPostings: 50,
  factConflicts: 2,
  templateShare: 0.5,
  rewriteSkeleton: 0.3,
  minSkeleton: 12,
  rewriteFacts: 0.7,
  furniturePages: 3,
  furnitureEdgePages: 1,
};

export type SameRule = 'exact-text' | 'same-url' | 'near-copy' | 'containment' | 'rewritten';
export type ApartRule = 'series-parts' | 'time-window' | 'below-threshold' | 'facts-differ';

/** The figures behind a verdict, rounded for storage and display. */
export interface PairScores {
  containment: number;
  narrativeContainment: number;
  resemblance: number;
  sharedShingles: number;
  sharedNarrative: number;
  /** Words in the longest shared passage. */
  passageWords: number;
  /** Share of the function-word skeleton shared (the rewritten rule). */
  skeleton?: number;
  /** The facts that differ in the template's slots (`Busan ≠ Daegu`): why facts-differ kept two apart or queued them. */
  facts?: string[];
  /** Site furniture left out of the comparison, and why (`“subscribe …” seen on 37 pages of example.com`). */
  discounted?: string[];
}

export type PairVerdict =
  | { verdict: 'same'; rule: SameRule; scores: PairScores | null; passage: string | null }
  | { verdict: 'review'; rule: 'uncertain' | 'facts-differ'; scores: PairScores; passage: string | null }
  | { verdict: 'apart'; rule: ApartRule; scores: PairScores | null; series: boolean };

const round = (value: number) => Math.round(value * 1000) / 1000;

function scoresOf(o: Overlap, settings: DedupeSettings): PairScores {
  return {
    containment: round(o.containment),
    narrativeContainment: round(o.narrativeContainment),
    resemblance: round(o.resemblance),
    sharedShingles: o.shared,
    sharedNarrative: o.sharedNarrative,
    passageWords: o.passage.shingles === 0 ? 0 : o.passage.shingles + settings.shingleWords - 1,
  };
}

/** Days between two date ranges; 0 when they overlap. */
export function daysApart(a: DatedRange, b: DatedRange): number {
  const dayMs = 86_400_000;
  const gap = Math.max(Date.parse(b.from) - Date.parse(a.to), Date.parse(a.from) - Date.parse(b.to), 0);
  return gap / dayMs;
}

/** The shared passage, quoted from whichever print still has its words. */
function passageText(a: DedupePrint, b: DedupePrint, o: Overlap, settings: DedupeSettings): string | null {
  if (o.passage.shingles === 0) return null;
  const length = o.passage.shingles + settings.shingleWords - 1;
  const words = a.words ?? b.words;
  const start = a.words ? o.passage.startA : o.passage.startB;
  if (!words) return null;
  const passage = words.slice(start, start + length);
  return passage.length > 40 ? `${passage.slice(0, 40).join(' ')} …` : passage.join(' ');
}

/** The measure the thresholds apply to: narrative containment, or plain containment for texts made of quotes. */
function textMeasure(o: Overlap, settings: DedupeSettings): { value: number; shared: number } {
  const thin = Math.min(o.narrativeA, o.narrativeB) < settings.minNarrative;
  return thin ? { value: o.containment, shared: o.shared } : { value: o.narrativeContainment, shared: o.sharedNarrative };
}

/** Compares a new Item (a) with one already seen (b). */
export function comparePrints(a: DedupePrint, b: DedupePrint, settings: DedupeSettings): PairVerdict {
  if (differentParts(a.series, b.series)) {
    return { verdict: 'apart', rule: 'series-parts', scores: null, series: sameSeries(a.series, b.series) };
  }
  // Very short texts (a headline-only stub) all hash alike or nearly: only longer ones are reposts by their text.
  if (a.contentHash === b.contentHash && a.wordCount >= settings.minShared) {
    return { verdict: 'same', rule: 'exact-text', scores: null, passage: null };
  }
  if (a.url !== null && a.url === b.url) return { verdict: 'same', rule: 'same-url', scores: null, passage: null };
  if (a.dated && b.dated && daysApart(a.dated, b.dated) > settings.windowDays) {
    return { verdict: 'apart', rule: 'time-window', scores: null, series: false };
  }

  const discount = discountFor(a, b, settings);
  const o = overlap(a, b, discount);
  const scores = scoresOf(o, settings);
  if (discount && discount.notes.length > 0) scores.discounted = discount.notes;
  const measure = textMeasure(o, settings);
  const contained = measure.shared >= settings.minShared && measure.value >= settings.containment;
  const skeleton = contained ? null : rewriteSkeleton(a, b, discount, settings);
  if (skeleton !== null) scores.skeleton = round(skeleton.containment);
  const rewritten = skeleton !== null && skeleton.rewritten;
  const weak = measure.value >= settings.reviewFrom && measure.shared - o.passage.shingles >= settings.minShared;
  if (!contained && !rewritten && !weak) {
    // Apart by the furniture left out: where the whole texts would match, a template filled twice is still
    // named as one (editors see the two linked, with the facts that differ).
    const facts = discount && matchesWhole(a, b, settings) ? checkFacts(a, b, settings.shingleWords) : null;
    if (facts && judgeFacts(facts, commonShareOf(o), settings) === 'differ') {
      return { verdict: 'apart', rule: 'facts-differ', scores: withFacts(scores, facts), series: false };
    }
    return { verdict: 'apart', rule: 'below-threshold', scores, series: false };
  }

  // Whatever the wording says, a template filled with other facts is another story.
  const facts = checkFacts(a, b, settings.shingleWords);
  const judged = judgeFacts(facts, commonShareOf(o), settings);
  if (judged === 'differ') return { verdict: 'apart', rule: 'facts-differ', scores: withFacts(scores, facts), series: false };
  const passage = passageText(a, b, o, settings);
  if (judged === 'unsure') return { verdict: 'review', rule: 'facts-differ', scores: withFacts(scores, facts), passage };
  if (contained) return { verdict: 'same', rule: o.resemblance >= settings.copyResemblance ? 'near-copy' : 'containment', scores, passage };
  if (rewritten) return { verdict: 'same', rule: 'rewritten', scores, passage };
  return { verdict: 'review', rule: 'uncertain', scores, passage };
}

/** The texts would be one Story by containment with nothing left out. */
function matchesWhole(a: DedupePrint, b: DedupePrint, settings: DedupeSettings): boolean {
  const measure = textMeasure(overlap(a, b), settings);
  return measure.shared >= settings.minShared && measure.value >= settings.containment;
}

function withFacts(scores: PairScores, facts: FactCheck): PairScores {
  return { ...scores, facts: describeConflicts(facts.conflicts) };
}

/**
 * A synonym-spun copy: most of the smaller skeleton shared, and the facts in
 * the same order. Null when the texts are too short (or not English) to have skeletons.
 */
function rewriteSkeleton(a: DedupePrint, b: DedupePrint, discount: Discount | null, settings: DedupeSettings): { containment: number; rewritten: boolean } | null {
  // Site furniture is no part of either skeleton.
  const furniture = discount?.paragraphs ?? new Set<number>();
  const [skeletonA, skeletonB] = [withoutParagraphs(a.skeleton, furniture), withoutParagraphs(b.skeleton, furniture)];
  if (skeletonA.length < settings.minSkeleton || skeletonB.length < settings.minSkeleton) return null;
  const skeleton = skeletonContainment(skeletonA, skeletonB);
  const rewritten =
    skeleton.shared >= settings.minSkeleton && skeleton.containment >= settings.rewriteSkeleton && factOrder(a.facts, b.facts) >= settings.rewriteFacts;
  return { containment: skeleton.containment, rewritten };
}

/** The settings a run uses: the configured thresholds over the built-in defaults. */
export function dedupeSettings(configured: Partial<DedupeSettings> = {}): DedupeSettings {
  return { ...DEFAULT_DEDUPE, ...configured };
}
