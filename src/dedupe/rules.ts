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
 * 6. review: a weaker overlap, between `reviewFrom` and `containment`, that
 *    is more than one passage: not merged, queued for an editor. (One shared
 *    clause, quote or stock paragraph is what different reports have in common.)
 * Anything else is apart: other outlets' reports of the same event share names
 * and quotes, not their writers' sentences. No rule looks at a site, an
 * Outlet or a title's wording (beyond part numbers).
 */
import { overlap, type Overlap } from './containment.js';
import type { DatedRange, DedupePrint, ShingleSettings } from './print.js';
import { differentParts, sameSeries } from './series.js';

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
};

export type SameRule = 'exact-text' | 'same-url' | 'near-copy' | 'containment';
export type ApartRule = 'series-parts' | 'time-window' | 'below-threshold';

/** The figures behind a verdict, rounded for storage and display. */
export interface PairScores {
  containment: number;
  narrativeContainment: number;
  resemblance: number;
  sharedShingles: number;
  sharedNarrative: number;
  /** Words in the longest shared passage. */
  passageWords: number;
}

export type PairVerdict =
  | { verdict: 'same'; rule: SameRule; scores: PairScores | null; passage: string | null }
  | { verdict: 'review'; rule: 'uncertain'; scores: PairScores; passage: string | null }
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

  const o = overlap(a, b);
  const scores = scoresOf(o, settings);
  const measure = textMeasure(o, settings);
  if (measure.shared >= settings.minShared && measure.value >= settings.containment) {
    const rule = o.resemblance >= settings.copyResemblance ? 'near-copy' : 'containment';
    return { verdict: 'same', rule, scores, passage: passageText(a, b, o, settings) };
  }
  if (measure.value >= settings.reviewFrom && measure.shared - o.passage.shingles >= settings.minShared) {
    return { verdict: 'review', rule: 'uncertain', scores, passage: passageText(a, b, o, settings) };
  }
  return { verdict: 'apart', rule: 'below-threshold', scores, series: false };
}

/** The settings a run uses: the configured thresholds over the built-in defaults. */
export function dedupeSettings(configured: Partial<DedupeSettings> = {}): DedupeSettings {
  return { ...DEFAULT_DEDUPE, ...configured };
}
