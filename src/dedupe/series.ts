/**
 * Parts of a series: `Extortion with an axe – Part 1`, `More on further mass
 * North Korean defections to follow – Part 2`, `Escape (2/3)`, `Part two:`.
 * Two parts of one series share an introduction or a theme, sometimes whole
 * sentences, yet are different texts: dedupe never merges two different parts,
 * and links them as one series instead.
 */
import { foldWords } from './prepare.js';

export interface SeriesPart {
  /** The part number the title names. */
  part: number;
  /** Title words without the part marker and `More on`, folded: what the parts of one series share. */
  baseWords: string[];
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, final: 0, last: 0,
  i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10,
};

const PART = /\b(?:part|pt\.?|episode|chapter)\s+(\d{1,3}|[a-z]+)\b(?:\s+of\s+(?:\d{1,3}|[a-z]+))?/i;
const FRACTION = /\((\d{1,2})\s*\/\s*\d{1,2}\)|\[(\d{1,2})\s*\/\s*\d{1,2}\]/;
const ORDINAL_PART = /\b(first|second|third|fourth|fifth|final|last)\s+(?:part|instalment|installment)\b/i;

function partNumber(token: string): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS[token.toLowerCase()] ?? null;
}

/** The part a title names, or null when it names none. */
export function seriesPart(title: string): SeriesPart | null {
  let part: number | null = null;
  let marker: RegExp | null = null;
  const named = PART.exec(title);
  if (named) [part, marker] = [partNumber(named[1]!), PART];
  if (part === null) {
    const fraction = FRACTION.exec(title);
    if (fraction) [part, marker] = [Number(fraction[1] ?? fraction[2]), FRACTION];
  }
  if (part === null) {
    const ordinal = ORDINAL_PART.exec(title);
    if (ordinal) [part, marker] = [partNumber(ordinal[1]!), ORDINAL_PART];
  }
  if (part === null || marker === null) return null;
  const base = title.replace(marker, ' ').replace(/^\s*(?:more on|more about|continued:?)\s+/i, '');
  return { part, baseWords: foldWords(base) };
}

/** Two titles naming different parts (a title without a part marker conflicts with none). */
export function differentParts(a: SeriesPart | null, b: SeriesPart | null): boolean {
  return a !== null && b !== null && a.part !== b.part;
}

/** Two parts of one series: their titles without the markers share most words. */
export function sameSeries(a: SeriesPart | null, b: SeriesPart | null): boolean {
  if (a === null || b === null) return false;
  const wordsA = new Set(a.baseWords);
  const wordsB = new Set(b.baseWords);
  const shared = [...wordsA].filter((word) => wordsB.has(word)).length;
  return shared / Math.max(1, Math.min(wordsA.size, wordsB.size)) >= 0.6;
}
