/**
 * Words as the tagger sees them: folded like dedupe's (Unicode, quotes, case,
 * British spellings), then reduced to their Porter stem, so `defections`,
 * `defection` and `defect` meet. Stems are cached: a news vocabulary is small
 * and stemming is the costly step.
 */
import { stemmer } from 'stemmer';
import { foldWords } from '../dedupe/prepare.js';
import { termOf } from './features.js';

const stems = new Map<string, string>();
const MAX_CACHED = 200_000;

export function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    stemmed = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    if (stems.size < MAX_CACHED) stems.set(word, stemmed);
  }
  return stemmed;
}

/** Stems of a title or a text. */
export function stemWords(text: string): string[] {
  return foldWords(text).map(stem);
}

/**
 * Stems of an editor's phrase. A word ending in `*` stays a prefix (folded,
 * not stemmed, the `*` kept): it matches any folded word that starts with it,
 * for languages whose endings the stemmer does not know.
 */
export function phraseStems(phrase: string): string[] {
  return phrase
    .trim()
    .split(/\s+/)
    .flatMap((token) => {
      const prefix = token.endsWith('*');
      const words = foldWords(prefix ? token.slice(0, -1) : token);
      if (!prefix) return words.map(stem);
      // `sanction*` -> `sanction*`; a prefix that folds into several words (`연좌*` in unspaced script) keeps the last open.
      return words.map((word, i) => (i === words.length - 1 ? `${word}*` : stem(word)));
    });
}

/** One member Item of a Story, as tagging reads it. */
export interface TagMember {
  title: string;
  text: string;
}

/** Where in an Item a word stands: the title and the lead say what a story is about. */
export type Zone = 'title' | 'lead' | 'tail';

/** Body words that make the lead. */
export const LEAD_WORDS = 60;

/** A run of words, stemmed and as folded (prefix phrases match the folded words), with the model's term for each. */
export interface WordRun {
  stems: string[];
  folded: string[];
  /** termOf(stem) of each word: -1 for a stop word or a number. */
  terms: number[];
}

export interface TaggedText {
  title: WordRun;
  body: WordRun;
}

/** A Story as tagging reads it: every member's stems (copies add nothing; excerpts and originals add their own text). */
export interface TagDocument {
  members: TaggedText[];
  /** Running words of the longest member. */
  words: number;
}

/** Folded words and stems of one raw token, as `foldWords` and `stem` make them. */
interface TokenWords {
  folded: string[];
  stems: string[];
  terms: number[];
}

const tokens = new Map<string, TokenWords>();

/** Runs of letters, digits, combining marks and apostrophes: what `foldWords` folds into one or more words. */
const RAW_TOKEN = /[\p{L}\p{N}\p{M}'’‘`´]+/gu;

function tokenWords(raw: string): TokenWords {
  let words = tokens.get(raw);
  if (words === undefined) {
    const folded = foldWords(raw);
    const stems = folded.map(stem);
    words = { folded, stems, terms: stems.map(termOf) };
    if (tokens.size < MAX_CACHED) tokens.set(raw, words);
  }
  return words;
}

/**
 * The words of a text, folded and stemmed: the same words as
 * `foldWords(text).map(stem)`, made token by token through a cache, since
 * tagging reads every word of every Story and most tokens recur.
 */
export function wordRun(text: string): WordRun {
  const folded: string[] = [];
  const stems: string[] = [];
  const terms: number[] = [];
  for (const raw of text.toLowerCase().match(RAW_TOKEN) ?? []) {
    const words = tokenWords(raw);
    for (let i = 0; i < words.folded.length; i += 1) {
      folded.push(words.folded[i]!);
      stems.push(words.stems[i]!);
      terms.push(words.terms[i]!);
    }
  }
  return { stems, folded, terms };
}

export function tagDocument(members: TagMember[]): TagDocument {
  const texts = members.map((member): TaggedText => {
    // Every word, furniture included: a caption or credit line weighs little among a story's words,
    // and reading line roles (as dedupe must) would cost more than the rest of tagging.
    return { title: wordRun(member.title), body: wordRun(member.text) };
  });
  return { members: texts, words: Math.max(0, ...texts.map((text) => text.body.stems.length)) };
}
