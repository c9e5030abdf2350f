/**
 * The rule tagger: each Topic's phrases found in a Story, weighted by where
 * they stand (a phrase in the title says more than one in the tail) and, in
 * the tail, by how densely the Topic's mentions sit there (about, not
 * mentioned), repeated mentions counting less and less, negative phrases
 * subtracted, and the Topic dropped when it requires a phrase that is absent. The score says how
 * much of the Story is about the Topic, relative to its strongest Topic;
 * `matches` say why.
 *
 * Matching goes from the text to the phrases, not the other way: every
 * distinct word of the Story is looked up once in an index of phrases by their
 * first word (or, for prefix phrases, by their first two letters), so the cost
 * does not grow with the size of the taxonomy.
 *
 * With word vectors (topic-vectors.ts), two more kinds of match, each worked
 * out once per distinct word as the phrases are: a Topic whose prototype the
 * Story's words sit nearer to than to its average Topic gains points ("about
 * 'Faith and ministry': ..."), and, when the settings turn them on, a Story
 * word close to a Topic's one-word phrase counts as a weaker match of it
 * ("close to 'repatriation': deported (0.71)").
 */
import { foldWords } from '../dedupe/prepare.js';
import type { Phrase, Taxonomy } from './taxonomy.js';
import { aboutMatches, aboutTopics, closeExplanation, type TopicVectors } from './topic-vectors.js';
import { rowSimilarity } from './vectors.js';
import { LEAD_WORDS, type TagDocument, type Word, type WordRun, type Zone } from './words.js';

/** How much a mention counts, by where it stands. */
export const ZONE_WEIGHT: Record<Zone, number> = { title: 3, lead: 2, tail: 1 };

export interface PhraseMatch {
  phrase: string;
  /** Mentions by zone, the most any one member has (copies do not add up). */
  title: number;
  lead: number;
  tail: number;
  /** What the phrase added to (or, for a negative phrase, took from) the raw score. */
  points: number;
}

export interface RuleScore {
  slug: string;
  /** Sum of the phrases' points: 0 when nothing matched or a required phrase is missing. */
  raw: number;
  /** In [0, 1): raw saturated, scaled down when far behind the Story's strongest Topic. */
  score: number;
  matches: PhraseMatch[];
  negative: PhraseMatch[];
  /** A `requires` phrase was listed and none occurs. */
  missingRequired: boolean;
}

/*
 * The constants below were chosen by folds grouped by site (`eval tags`: each
 * site's Stories tagged with the setting chosen on the other sites;
 * docs/testing-and-performance.md, Measurements), not by the development score alone.
 */

/** Raw points at which a Story's strongest Topic scores 0.5: one strong phrase in the title, or one and a half in the lead. */
export const HALF_SCORE_POINTS = 4;

/** Share of the strongest Topic's points from which a Topic counts in full as a main subject. */
export const MAIN_SHARE = 0.65;

/**
 * Words of the tail one mention of a Topic speaks for: a Topic mentioned in
 * the tail at least once every ABOUT_SPAN words keeps its tail points in full;
 * sparser, they shrink in proportion (one `war` in a long history story is not
 * a story about war). Title and lead mentions always count in full: they say
 * what a story is about. 0 turns the discount off.
 */
export const ABOUT_SPAN = 50;

/** The constants of the final scoring, as one object so `eval tags` can try others on grouped folds. */
export interface RuleSettings {
  halfScorePoints: number;
  mainShare: number;
  aboutSpan: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = { halfScorePoints: HALF_SCORE_POINTS, mainShare: MAIN_SHARE, aboutSpan: ABOUT_SPAN };

type PhraseKind = 'phrases' | 'negative' | 'requires';

interface IndexedPhrase {
  /** Position in the flat list of every phrase of the taxonomy. */
  at: number;
  phrase: Phrase;
}

/** A Topic's one-word phrase that a Story word is close to (one per Topic and word: the closest). */
interface ClosePhrase {
  at: number;
  similarity: number;
  /** The Story word as the vectors' source spells it (`expelled`, folded `expeled`), with the cosine: `expelled (0.66)`. */
  label: string;
}

interface PhraseIndex {
  all: { topic: number; kind: PhraseKind; phrase: Phrase }[];
  /** Phrases by their first stem. */
  byFirst: Map<string, IndexedPhrase[]>;
  /** Prefix phrases (`탈북*`) by headKey of the prefix's first two UTF-16 code units (or its only one). */
  byHead: Map<number, IndexedPhrase[]>;
  /** With word vectors: the one-word phrases that have one (its row), which Story words can be close to. */
  vectors?: TopicVectors & { phrases: { at: number; topic: number; row: number }[] };
}

/**
 * By taxonomy version, which changes whenever tagging would: each command or
 * test that loads the same taxonomy file gets a new Taxonomy object, and the
 * per-word lookups kept on the words (closePhrases: a similarity to every
 * one-word phrase) are then reused instead of made again. A few versions at
 * most: a long-lived worker sees an edited taxonomy now and then.
 */
const indexes = new Map<string, PhraseIndex>();
const KEPT_INDEXES = 4;

/** Two code units as one small integer: looked up for every word, so no string is sliced for it. */
const headKey = (text: string, units: 1 | 2): number => (units === 1 ? text.charCodeAt(0) : text.charCodeAt(0) * 65536 + text.charCodeAt(1));

function add<K>(map: Map<K, IndexedPhrase[]>, key: K, entry: IndexedPhrase): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function phraseIndex(taxonomy: Taxonomy): PhraseIndex {
  const cached = indexes.get(taxonomy.version);
  if (cached) return cached;
  const index: PhraseIndex = { all: [], byFirst: new Map(), byHead: new Map() };
  taxonomy.topics.forEach((topic, t) => {
    for (const kind of ['phrases', 'negative', 'requires'] as const) {
      for (const phrase of topic[kind]) {
        const entry = { at: index.all.length, phrase };
        index.all.push({ topic: t, kind, phrase });
        const first = phrase.stems[0]!;
        if (first.endsWith('*')) add(index.byHead, headKey(first, first.length > 2 ? 2 : 1), entry);
        else add(index.byFirst, first, entry);
      }
    }
  });
  if (taxonomy.vectors) {
    const { words, settings } = taxonomy.vectors;
    const phrases = index.all.flatMap(({ topic, kind, phrase }, at) => {
      const lends = settings.closeWeight > 0 && kind === 'phrases' && !phrase.stems[0]!.endsWith('*') && phrase.weight >= settings.closeMinWeight;
      const folded = lends ? foldWords(phrase.text) : [];
      const row = folded.length === 1 ? words.rows.get(folded[0]!) : undefined;
      return row === undefined ? [] : [{ at, topic, row }];
    });
    index.vectors = { ...taxonomy.vectors, phrases };
  }
  if (indexes.size >= KEPT_INDEXES) indexes.delete(indexes.keys().next().value!);
  indexes.set(taxonomy.version, index);
  return index;
}

/** A phrase word ending in `*` matches any folded word that starts with it (`탈북*`, `asyl*`); others match stems. */
function tokenMatches(token: string, run: WordRun, at: number): boolean {
  const word = run.words[at];
  if (word === undefined) return false;
  return token.endsWith('*') ? word.folded.startsWith(token.slice(0, -1)) : word.stem === token;
}

function phraseAt(phrase: Phrase, run: WordRun, start: number): boolean {
  for (let k = 1; k < phrase.stems.length; k += 1) if (!tokenMatches(phrase.stems[k]!, run, start + k)) return false;
  return true;
}

/**
 * The one-word phrases this word is close to, at most one per Topic (the
 * closest), none for a Topic that one of the word's own phrases already
 * matches: a word is credited once per Topic. Stop words and the most
 * frequent words have no say.
 */
function closePhrases(word: Word, index: PhraseIndex, exact: readonly IndexedPhrase[]): ClosePhrase[] {
  const vectors = index.vectors;
  const row = vectors && word.term >= 0 ? vectors.words.rows.get(word.folded) : undefined;
  if (vectors === undefined || row === undefined || vectors.words.ranks[row]! < vectors.settings.closeMinRank) return [];
  const matched = new Set(exact.filter((entry) => entry.phrase.stems.length === 1).map((entry) => index.all[entry.at]!.topic));
  const closest = new Map<number, ClosePhrase>();
  for (const phrase of vectors.phrases) {
    if (matched.has(phrase.topic)) continue;
    const similarity = rowSimilarity(vectors.words, row, phrase.row);
    if (similarity < vectors.settings.closeFrom || (closest.get(phrase.topic)?.similarity ?? 0) >= similarity) continue;
    closest.set(phrase.topic, { at: phrase.at, similarity, label: '' });
  }
  // Labelled once per word, not per Story: explanations are made for every Story.
  for (const entry of closest.values()) entry.label = `${vectors.words.words[row]!} (${entry.similarity.toFixed(2)})`;
  return [...closest.values()];
}

interface WordPhrases {
  phrases: readonly IndexedPhrase[];
  close: readonly ClosePhrase[];
  about: Float32Array | null;
}

/** The phrases whose first word is this word, and those it is close to: looked up once per distinct word and taxonomy, then kept on the word. */
function phrasesStartingAt(word: Word, index: PhraseIndex): WordPhrases {
  const kept = word.startsPhrases;
  if (kept !== undefined && kept.of === index) return kept as WordPhrases;
  const phrases = [...(index.byFirst.get(word.stem) ?? [])];
  const { folded } = word;
  for (const entry of (folded.length > 1 ? index.byHead.get(headKey(folded, 2)) : undefined) ?? []) {
    if (folded.startsWith(entry.phrase.stems[0]!.slice(0, -1))) phrases.push(entry);
  }
  phrases.push(...(index.byHead.get(headKey(folded, 1)) ?? []));
  const found = { of: index, phrases, close: closePhrases(word, index, phrases), about: aboutTopics(word, index.vectors) };
  word.startsPhrases = found;
  return found;
}

/** Mentions by zone: [title, lead, tail]. */
type Zones = [number, number, number];

/**
 * Mentions of the phrases found in one run of words, by zone: at -> zones.
 * Close words count under `index.all.length + at`, and each is kept in
 * `closeWords` (at -> the words) to say which words they were.
 */
function countRun(run: WordRun, index: PhraseIndex, title: boolean, counts: Map<number, Zones>, closeWords: Map<number, ClosePhrase[]>, near: Float64Array): void {
  const mention = (key: number, i: number) => {
    let zones = counts.get(key);
    if (zones === undefined) counts.set(key, (zones = [0, 0, 0]));
    zones[title ? 0 : i < LEAD_WORDS ? 1 : 2] += 1;
  };
  for (let i = 0; i < run.words.length; i += 1) {
    const word = run.words[i]!;
    const { phrases, close, about } = phrasesStartingAt(word, index);
    for (const entry of phrases) if (phraseAt(entry.phrase, run, i)) mention(entry.at, i);
    if (about !== null) {
      const zone = title ? ZONE_WEIGHT.title : i < LEAD_WORDS ? ZONE_WEIGHT.lead : ZONE_WEIGHT.tail;
      for (let t = 0; t < about.length; t += 1) near[t] = near[t]! + zone * about[t]!;
    }
    for (const entry of close) {
      mention(index.all.length + entry.at, i);
      const words = closeWords.get(entry.at);
      if (words === undefined) closeWords.set(entry.at, [entry]);
      else if (!words.includes(entry)) words.push(entry);
    }
  }
}

const weighted = (title: number, lead: number, tail: number) => title * ZONE_WEIGHT.title + lead * ZONE_WEIGHT.lead + tail * ZONE_WEIGHT.tail;

/**
 * How densely a Topic's tail mentions sit: 1 when at least one in every
 * `span` words of the tail (a short story's one mention is dense enough), less
 * in proportion when sparser.
 */
function tailDensity(matches: PhraseMatch[], words: number, span: number): number {
  if (span <= 0) return 1;
  const mentions = matches.reduce((total, m) => total + m.tail, 0);
  return Math.min(1, (mentions * span) / Math.max(1, words - LEAD_WORDS));
}

/** A match's points with its tail share scaled by `density`: title and lead mentions count in full. */
function aboutPoints(match: PhraseMatch, density: number): number {
  if (density >= 1 || match.tail === 0) return match.points;
  const tailShare = match.tail / weighted(match.title, match.lead, match.tail);
  return match.points * (1 - tailShare * (1 - density));
}

/** Every Topic's rule score for one Story, in taxonomy order. */
export function scoreRules(document: TagDocument, taxonomy: Taxonomy, settings: RuleSettings = DEFAULT_RULE_SETTINGS): RuleScore[] {
  const index = phraseIndex(taxonomy);
  // For each phrase found, the member that mentions it most (weighted): copies of one text do not add up.
  const best = new Map<number, Zones>();
  const closeWords = new Map<number, ClosePhrase[]>();
  // Weighted sums of the words' nearness to each Topic's prototype, and of their weights (last).
  const near = new Float64Array(index.vectors ? taxonomy.topics.length + 1 : 0);
  for (const member of document.members) {
    const counts = document.members.length === 1 ? best : new Map<number, Zones>();
    countRun(member.title, index, true, counts, closeWords, near);
    countRun(member.body, index, false, counts, closeWords, near);
    if (counts === best) continue;
    for (const [at, zones] of counts) {
      const seen = best.get(at);
      if (seen === undefined || weighted(...zones) > weighted(...seen)) best.set(at, zones);
    }
  }

  const scores: RuleScore[] = taxonomy.topics.map((topic) => ({ slug: topic.slug, raw: 0, score: 0, matches: [], negative: [], missingRequired: topic.requires.length > 0 }));
  for (const [key, [title, lead, tail]] of best) {
    const close = key >= index.all.length;
    const at = close ? key - index.all.length : key;
    const { topic, kind, phrase } = index.all[at]!;
    const score = scores[topic]!;
    if (kind === 'requires') {
      score.missingRequired = false;
      continue;
    }
    // A phrase's points: its weight times the square root of its weighted mentions (the fourth mention adds less than the first).
    const points = phrase.weight * Math.sqrt(weighted(title, lead, tail));
    if (close) {
      const closeWeight = index.vectors!.settings.closeWeight;
      score.matches.push({ phrase: closeExplanation(phrase.text, closeWords.get(at)!), title, lead, tail, points: points * closeWeight });
      continue;
    }
    score[kind === 'phrases' ? 'matches' : 'negative'].push({ phrase: phrase.text, title, lead, tail, points });
  }
  if (index.vectors) aboutMatches(near, index.vectors, taxonomy, scores);
  for (const score of scores) {
    // About, not mentioned: a Topic's tail mentions count as densely as they sit (ABOUT_SPAN).
    const density = tailDensity(score.matches, document.words, settings.aboutSpan);
    for (const match of score.matches) match.points = aboutPoints(match, density);
    score.matches.sort((a, b) => b.points - a.points);
    score.negative.sort((a, b) => b.points - a.points);
    const sum = score.matches.reduce((total, m) => total + m.points, 0) - score.negative.reduce((total, m) => total + m.points, 0);
    score.raw = score.missingRequired ? 0 : Math.max(0, sum);
  }
  // A main subject, not a passing mention: a Topic far behind the Story's strongest counts for less.
  const strongest = Math.max(0, ...scores.map((s) => s.raw));
  for (const s of scores) {
    const share = strongest === 0 ? 0 : s.raw / strongest;
    s.score = (s.raw / (s.raw + settings.halfScorePoints)) * Math.min(1, share / settings.mainShare);
  }
  return scores;
}
