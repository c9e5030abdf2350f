/**
 * Text preparation for dedupe: an Item's text reduced to the running words that
 * identify the journalism. Page furniture is dropped (attribution lines like
 * `[NK News]`, `Posted on by`, bylines, datelines, captions, image names, comment
 * forms, the headline printed again above the body, menu words), then words are
 * folded (Unicode compatibility forms, quotes, dashes, case, British -ise/-our
 * spellings) so a syndicated copy reads the same as its original. Numbers and
 * names are kept: they are what tells two look-alike stories apart.
 */
import { readPageLines, type PageLine } from '../ingest/archive/lines.js';
import { wordCount } from '../ingest/archive/text.js';
import { normalizeText } from '../html/text.js';

export interface DedupeText {
  /** Folded words of the body, in order: what shingles are made of. */
  words: string[];
  /** Folded words of the title. */
  titleWords: string[];
  /** For each body word: it stands inside quotation marks (someone's words, which other reports quote too). */
  quoted: boolean[];
  /** Where each body line's words end in `words` (exclusive): the paragraphs whose recurrence is counted (print.ts). */
  lineEnds: number[];
}

/** Line roles that are never the journalism itself (see ingest/archive/lines.ts). */
const FURNITURE = new Set<PageLine['role']>([
  'postedOnBy', 'bracketed', 'image', 'separator', 'nbsp', 'caption', 'byline', 'dateline', 'readMore', 'footer', 'comments',
]);

/**
 * Web page chrome that the archive roles do not know: share bars, paywall
 * prompts, `More: ...` links, `Published 2020-01-04` stamps. Single words only
 * when they are the whole line, so prose that starts `Close to 1,000 ...` stays.
 */
const CHROME = [
  /^(?:advertisement|share|tweet|email|print|comments?|close|menu|search|home|next|previous)[.:!]?$/i,
  /^(?:share this(?: article| story| post)?|related (?:articles|stories|posts)|read (?:also|next|more)|click here|sign up|subscribe (?:to|now|for)|filed under|all rights reserved)\b/i,
  /^(?:more|see also|photo|video|image|source|tags?|topics?|related):/i,
  /^(?:published|updated|posted|first published)\b.{0,40}\d/i,
  /^(?:copyright|©)/i,
];

/**
 * Scripts written without spaces: each character is a word, so their shingles
 * are character runs and never collide with an English text's.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** Those scripts start at U+2E80: a plain range test spares most words the script lookup. */
const MAYBE_UNSPACED = /[\u2e80-\uffff]/;

/** Lines that belong to the text: running prose, subheadings, quotes. `titleKey` is headlineKey(title). */
function isBodyLine(line: PageLine, titleKey: string): boolean {
  if (FURNITURE.has(line.role)) return false;
  const words = wordCount(line.text);
  if (words <= 20 && CHROME.some((pattern) => pattern.test(line.text))) return false;
  // A menu entry, a section name, a one-word credit (`AP`, `World`, `CLOSE`).
  // Chinese and Japanese prose has no spaces: one long "word" that is a sentence.
  if (words < 4 && !/[.!?…"”。！？」]$/.test(line.text) && !(UNSPACED.test(line.text) && line.text.length >= 12)) return false;
  // The headline printed again above the body (pages print it once or twice, with or without a suffix).
  // (A line over twice the title's length cannot shrink to it by losing punctuation: skip the costly key.)
  if (titleKey !== '' && words <= 40 && line.folded.length <= 2 * (titleKey.length + HEADLINE_SUFFIX) && sameHeadline(headlineKey(line.folded), titleKey)) {
    return false;
  }
  return true;
}

/** Folded text with punctuation gone: how a headline printed above the body is compared with the title. */
function headlineKey(folded: string): string {
  return folded.replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/ +/g, ' ').trim();
}

/** Longest dateline or source suffix a headline printed above the body may carry. */
const HEADLINE_SUFFIX = 25;

/** A line that is the title, or the title with a dateline or source suffix (`...: activists`). */
function sameHeadline(a: string, b: string): boolean {
  if (a === '') return false;
  return a === b || (a.startsWith(b) && a.length - b.length <= HEADLINE_SUFFIX) || (b.startsWith(a) && b.length - a.length <= HEADLINE_SUFFIX);
}

/** British endings that syndicated copies change (`organisation`, `labour`, `travelled`). */
const BRITISH_ENDING = /(?:is(?:e|ed|es|ing|ation|ations)|our(?:s|ed|ing)?|ll(?:ed|ing|er|ers))$/;

/** American spelling for a British ending; most words have none, and are returned after one test. */
function foldSpelling(word: string): string {
  if (word.length < 6 || !BRITISH_ENDING.test(word)) return word;
  return word
    .replace(/is(e|ed|es|ing|ation|ations)$/, 'iz$1')
    .replace(/our(s|ed|ing)?$/, 'or$1')
    .replace(/ll(ed|ing|er|ers)$/, 'l$1');
}

/** Folded words of a text: letters and digits, apostrophes dropped (`don't` -> `dont`), hyphens split. */
export function foldWords(text: string): string[] {
  // foldLine's words without its quote marks: tagging folds every word of every Story, so this is kept lean.
  const words: string[] = [];
  for (const part of normalizeText(text).replace(/'/g, '').match(WORD) ?? []) {
    if (MAYBE_UNSPACED.test(part) && UNSPACED.test(part)) for (const char of part) words.push(char);
    else words.push(foldSpelling(part));
  }
  return words;
}

const WORD = /[\p{L}\p{N}]+/gu;
const WORD_OR_QUOTE = /"|[\p{L}\p{N}]+/gu;

/**
 * Folded words of one line (already normalizeText-ed), each marked when it stands between double quotes.
 * A quote left open runs to the end of the line: newspapers open every
 * paragraph of a long quote and close only the last.
 */
function foldLine(folded: string): { words: string[]; quoted: boolean[] } {
  const words: string[] = [];
  const quoted: boolean[] = [];
  let inQuote = false;
  for (const [part] of folded.replace(/'/g, '').matchAll(WORD_OR_QUOTE)) {
    if (part === '"') {
      inQuote = !inQuote;
    } else if (MAYBE_UNSPACED.test(part) && UNSPACED.test(part)) {
      for (const char of part) {
        words.push(char);
        quoted.push(inQuote);
      }
    } else {
      words.push(foldSpelling(part));
      quoted.push(inQuote);
    }
  }
  return { words, quoted };
}

/** The lines of an Item's text that are the journalism: furniture, page chrome and the headline printed again left out. */
export function bodyLines(title: string, text: string): PageLine[] {
  const titleKey = headlineKey(normalizeText(title));
  return readPageLines(text).filter((line) => isBodyLine(line, titleKey));
}

/** The body words and title words of an Item's plain text. */
export function prepareText(title: string, text: string): DedupeText {
  return prepareLines(title, bodyLines(title, text));
}

/** prepareText on body lines already read (the print reads its facts from the same lines). */
export function prepareLines(title: string, lines: readonly PageLine[]): DedupeText {
  const words: string[] = [];
  const quoted: boolean[] = [];
  const lineEnds: number[] = [];
  for (const line of lines) {
    const folded = foldLine(line.folded);
    words.push(...folded.words);
    quoted.push(...folded.quoted);
    lineEnds.push(words.length);
  }
  return { words, titleWords: foldWords(title), quoted, lineEnds };
}
