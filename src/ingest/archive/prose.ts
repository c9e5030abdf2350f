/**
 * Whether archive text is prose: a post is written in sentences, and a page of
 * line noise (random short lines, words thrown together, a menu of links, a
 * table of numbers) is not, however the segmenter cut it into "posts".
 *
 * A sentence here is a run of text that ends like one (`.`, `!`, `?`, `…`, also
 * `。！？`) and is made of words: at least two, and words make most of its
 * tokens. A post needs eight words of sentences, one sentence of four words at
 * least: `Merry Christmas to all! We are back in January.` is prose. A word is
 * letters in one of the shapes written language uses
 * (`defectors`, `Seoul`, `UN`, `탈북자`, `don't`, `so-called`), with punctuation
 * around it; `eSIa8NuL`, `3.14` and `https://x.org/a` are not words. These are
 * properties of writing in general, not of any one page layout, so the check
 * does not move when the segmenter changes.
 */
import { cleanText } from './text.js';

/** Fewest words in a sentence (`Thank you.`), and in the longest sentence of a post (`We are back soon.`). */
const SENTENCE_WORDS = 2;
const LONGEST_WORDS = 4;
/** Share of a sentence's tokens that must be words (numbers, names with digits and symbols are the rest). */
const WORD_SHARE = 0.75;
/** Fewest words of sentences a post needs: two short sentences, or one of eight words. */
const POST_WORDS = 8;

const TERMINAL = /[.!?…。！？]["”’'»)\]]*$/u;
const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
/** Punctuation that may surround a word: quotes, brackets, commas and stops. */
const AROUND = /^[("“‘'«¿¡[*_-]+|[)"”’'»\],;:.!?…。！？*_-]+$/gu;
/** Letters (with their combining marks), parts joined by an apostrophe, hyphen or inner stop (`U.S`). */
const LETTERS = /^(?:\p{L}\p{M}*)+(?:['’.-](?:\p{L}\p{M}*)+)*$/u;

/** A word in a shape writing uses: lower case, Capitalised, ALL CAPS, or a script without case. */
function isWord(token: string): boolean {
  const core = token.replace(AROUND, '');
  if (!LETTERS.test(core)) return false;
  const lower = core.toLowerCase();
  const upper = core.toUpperCase();
  if (core === lower || core === upper) return true;
  // Capitalised by parts: `Seoul`, `Kim-Jong`, `O'Brien`; a capital inside a part (`eSIa`) is noise.
  return core.split(/['’.-]/).every((part) => part.slice(1) === part.slice(1).toLowerCase());
}

/** The word counts of the sentences in `text`; with `cut`, the text may end inside its last one. */
export function sentences(text: string, cut = false): number[] {
  const counts: number[] = [];
  // A stop before a lower-case word ends no sentence (`the U.S. embassy`, `e.g. this`).
  const parts = cleanText(text.replace(URL, ' ')).split(/(?<=[.!?…。！？]["”’'»)\]]*)\s+(?!\p{Ll})/u);
  for (const [at, sentence] of parts.entries()) {
    if (!TERMINAL.test(sentence) && !(cut && at === parts.length - 1)) continue;
    const tokens = sentence.split(' ').filter((token) => token !== '');
    const words = tokens.filter(isWord).length;
    if (words >= SENTENCE_WORDS && words >= tokens.length * WORD_SHARE) counts.push(words);
  }
  return counts;
}

/**
 * A post's paragraphs hold prose: eight words of sentences, one of them four
 * words long. A `cut` post (the stored page stops inside it, or the blog shows
 * an excerpt) may have lost its sentences to the cut: one sentence of four
 * words will do, the cut one at the end included (`The Arch of Reunification lo`).
 */
export function hasProse(paragraphs: readonly string[], options: { cut?: boolean } = {}): boolean {
  const needed = options.cut ? LONGEST_WORDS : POST_WORDS;
  let words = 0;
  let longest = 0;
  for (const [at, paragraph] of paragraphs.entries()) {
    for (const count of sentences(paragraph, options.cut && at === paragraphs.length - 1)) {
      words += count;
      longest = Math.max(longest, count);
    }
    if (words >= needed && longest >= LONGEST_WORDS) return true;
  }
  return false;
}

/** What a page without prose looks like, for the message that refuses it: `2000 lines, 3 words a line, no lines with a sentence`. */
export function describeNoise(text: string): string {
  const lines = text.split('\n').map(cleanText).filter((line) => line !== '');
  const words = lines.reduce((sum, line) => sum + line.split(' ').length, 0);
  const prose = lines.filter((line) => sentences(line).some((words) => words >= LONGEST_WORDS)).length;
  const perLine = lines.length === 0 ? 0 : Math.round(words / lines.length);
  return `${lines.length} lines, ${perLine} word${perLine === 1 ? '' : 's'} a line, ${prose === 0 ? 'no' : prose} line${prose === 1 ? '' : 's'} with a sentence`;
}
