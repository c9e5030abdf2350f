/**
 * Words as the tagger sees them: folded like dedupe's (Unicode, quotes, case,
 * British spellings), then reduced to their Porter stem, so `defections`,
 * `defection` and `defect` meet. Each distinct word is made once and shared
 * (a news vocabulary is small, and folding and stemming are the costly steps).
 */
import { stemmer } from 'stemmer';
import { foldWords } from '../dedupe/prepare.js';
import { termOf } from './features.js';

/** Most words and chunks kept: enough for a newsroom's vocabulary, bounded for a hostile one. */
const MAX_CACHED = 200_000;

/** The Porter stem of an English word; other words (other scripts, digits) stay as they are. */
export function stem(word: string): string {
  return /^[a-z]+$/.test(word) ? stemmer(word) : word;
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

/** One word as tagging reads it: folded (prefix phrases match this), its stem, and the model's term for it. */
export interface Word {
  folded: string;
  stem: string;
  /** termOf(stem): -1 for a stop word or a number. */
  term: number;
  /** The phrases of one taxonomy that can start at this word (and, with word vectors, those it is close to), kept here by the rule tagger (rules.ts). */
  startsPhrases?: { of: object; phrases: readonly unknown[]; close: readonly unknown[]; about: Float32Array | null };
}

/** A run of words in text order. Equal words are one shared object: a Story's words cost no allocation once seen. */
export interface WordRun {
  words: Word[];
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

const words = new Map<string, Word>();

function word(folded: string): Word {
  let known = words.get(folded);
  if (known === undefined) {
    const stemmed = stem(folded);
    known = { folded, stem: stemmed, term: termOf(stemmed) };
    if (words.size < MAX_CACHED) words.set(folded, known);
  }
  return known;
}

/** Chunks of text between white space, as the text has them, and the words each folds into (often one, maybe none). */
const tokens = new Map<string, Word[]>();

const WHITE_SPACE = /\s+/;

function tokenWords(raw: string): Word[] {
  let known = tokens.get(raw);
  if (known === undefined) {
    known = foldWords(raw).map(word);
    if (tokens.size < MAX_CACHED) tokens.set(raw, known);
  }
  return known;
}

/**
 * The words of a text: the same words as `foldWords(text)` (which never joins
 * across white space), with their stems, made chunk by chunk through a cache,
 * since tagging reads every word of every Story and most chunks (`said,`,
 * `North`) recur.
 */
export function wordRun(text: string): WordRun {
  const run: Word[] = [];
  for (const raw of text.split(WHITE_SPACE)) {
    const folded = tokenWords(raw);
    if (folded.length === 1) run.push(folded[0]!);
    else for (const w of folded) run.push(w);
  }
  return { words: run };
}

export function tagDocument(members: TagMember[]): TagDocument {
  const texts = members.map((member): TaggedText => {
    // Every word, furniture included: a caption or credit line weighs little among a story's words,
    // and reading line roles (as dedupe must) would cost more than the rest of tagging.
    return { title: wordRun(member.title), body: wordRun(member.text) };
  });
  return { members: texts, words: Math.max(0, ...texts.map((text) => text.body.words.length)) };
}
