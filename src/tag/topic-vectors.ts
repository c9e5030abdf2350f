/**
 * A taxonomy seen through word vectors (vectors.ts): each Topic's one-word
 * phrases as vectors, for the rule tagger's close-word matches, and each
 * Topic's prototype (the mean of its description's and phrases' words), for
 * how near a Story's words sit to the Topic as a whole. Attached to the
 * taxonomy, so every stage that tags with it uses the same vectors, and its
 * version changes with them (every Story is tagged again).
 */
import { foldWords } from '../dedupe/prepare.js';
import { termOf } from './features.js';
import type { RuleScore } from './rules.js';
import type { Taxonomy } from './taxonomy.js';
import { rowVector, type WordVectors } from './vectors.js';
import { stem, type Word } from './words.js';

export interface VectorSettings {
  /** Cosine from which a Story word counts as close to a one-word phrase. */
  closeFrom: number;
  /** A close word's points as a share of the phrase's own (0: close words unused). */
  closeWeight: number;
  /**
   * Story words among the source's most frequent (rank below this) are not
   * close words: `people`, `world`, `korea` sit near many phrases (`children`,
   * `europe`, `japan`) without meaning them.
   */
  closeMinRank: number;
  /**
   * Only phrases weighted at least this lend their points to close words: a
   * phrase weighted low is broad (`japan`, `beijing`, `children`), and the
   * words near it (`korea`, `seoul`, `people`) broader still.
   */
  closeMinWeight: number;
  /** How far above the Story's mean over Topics its words' nearness to a Topic's prototype must be to count. */
  aboutFrom: number;
  /** Points per 0.1 of nearness beyond aboutFrom (0: prototypes unused). */
  aboutWeight: number;
}

/**
 * Chosen by leave-one-site-out over the development Stories (`newsdesk eval
 * tags --tune-vectors`; docs/dedupe-and-tagging.md, Topic tagging). Close words on: with tail
 * mentions counted by how densely they sit, they lift the held-out sites'
 * micro and macro F1. Prototypes off: no fold's gain held on its held-out site
 * (a relative nearness gives some Topic points in every Story, on-topic or not).
 */
export const VECTOR_SETTINGS: VectorSettings = { closeFrom: 0.75, closeWeight: 0.75, closeMinRank: 0, closeMinWeight: 0, aboutFrom: 0, aboutWeight: 0 };

export interface TopicVectors {
  words: WordVectors;
  settings: VectorSettings;
  /** Per Topic (taxonomy order): its prototype, unit length; null when none of its words has a vector. */
  prototypes: (Float32Array | null)[];
}

/** A Story word's weight in its mean: rare words say more (smooth inverse frequency, from the source's frequency rank). */
function wordWeight(words: WordVectors, row: number): number {
  // Zipf: a word of rank r has frequency about 1 / ((r + 1) * ln(vocabulary)); a / (a + p) as in SIF embeddings.
  const p = 1 / ((words.ranks[row]! + 1) * 13);
  return 1e-4 / (1e-4 + p);
}

function prototype(texts: { text: string; weight: number }[], words: WordVectors): Float32Array | null {
  const sum = new Float32Array(words.dimensions);
  let any = false;
  for (const { text, weight } of texts) {
    const rows = foldWords(text)
      .filter((word) => termOf(stem(word)) >= 0)
      .map((word) => words.rows.get(word))
      .filter((row): row is number => row !== undefined);
    // A phrase's words share its weight: `forced repatriation` counts once, as `repatriation` does.
    for (const row of rows) {
      const v = rowVector(words, row);
      for (let i = 0; i < v.length; i += 1) sum[i] = sum[i]! + (v[i]! * weight) / rows.length;
      any = true;
    }
  }
  if (!any) return null;
  const norm = Math.hypot(...sum) || 1;
  for (let i = 0; i < sum.length; i += 1) sum[i] = sum[i]! / norm;
  return sum;
}

/** The taxonomy with these vectors attached (a new object: the rule tagger's caches are per taxonomy). */
export function withWordVectors(taxonomy: Taxonomy, words: WordVectors | null, settings: VectorSettings = VECTOR_SETTINGS): Taxonomy {
  if (words === null) return taxonomy;
  const prototypes = taxonomy.topics.map((topic) =>
    prototype([{ text: topic.description, weight: 1 }, ...topic.phrases.map((p) => ({ text: p.text, weight: p.weight }))], words),
  );
  const tuned = `${settings.closeFrom},${settings.closeWeight},${settings.closeMinRank},${settings.closeMinWeight},${settings.aboutFrom},${settings.aboutWeight}`;
  return { ...taxonomy, vectors: { words, settings, prototypes }, version: `${taxonomy.version}+${words.digest}:${tuned}` };
}

/**
 * How near the word is to each Topic's prototype (cosine), times the word's
 * weight, which is the last number: for a Story's weighted mean nearness.
 */
export function aboutTopics(word: Word, vectors: TopicVectors | undefined): Float32Array | null {
  if (vectors === undefined || vectors.settings.aboutWeight === 0 || word.term < 0) return null;
  const row = vectors.words.rows.get(word.folded);
  if (row === undefined) return null;
  const weight = wordWeight(vectors.words, row);
  const v = rowVector(vectors.words, row);
  const near = new Float32Array(vectors.prototypes.length + 1);
  vectors.prototypes.forEach((prototype, t) => {
    let dot = 0;
    for (let i = 0; prototype !== null && i < v.length; i += 1) dot += v[i]! * prototype[i]!;
    near[t] = dot * weight;
  });
  near[vectors.prototypes.length] = weight;
  return near;
}

/** Close words shown in an explanation, closest first. */
const CLOSE_WORDS_SHOWN = 3;

/** "close to 'repatriation': deported (0.71), expelled (0.66)": the words' labels, closest first. */
export function closeExplanation(phrase: string, words: { similarity: number; label: string }[]): string {
  const shown = words.length === 1 ? words : [...words].sort((a, b) => b.similarity - a.similarity).slice(0, CLOSE_WORDS_SHOWN);
  return `close to '${phrase}': ${shown.map((w) => w.label).join(', ')}`;
}

/**
 * Prototype evidence: a Topic whose prototype the Story's words sit nearer to
 * than to the Story's average Topic, by more than aboutFrom, gains points for
 * the difference (a match with no mentions, saying so).
 */
export function aboutMatches(near: Float64Array, vectors: TopicVectors, taxonomy: Taxonomy, scores: RuleScore[]): void {
  const { aboutFrom, aboutWeight } = vectors.settings;
  const total = near[taxonomy.topics.length]!;
  if (aboutWeight === 0 || !(total > 0)) return;
  const topics = vectors.prototypes.flatMap((prototype, t) => (prototype === null ? [] : [t]));
  const mean = topics.reduce((sum, t) => sum + near[t]! / total, 0) / topics.length;
  for (const t of topics) {
    const above = near[t]! / total - mean;
    if (above <= aboutFrom) continue;
    const phrase = `about '${taxonomy.topics[t]!.label}': its words ${above.toFixed(2)} nearer than to the average Topic`;
    scores[t]!.matches.push({ phrase, title: 0, lead: 0, tail: 0, points: (aboutWeight * (above - aboutFrom)) / 0.1 });
  }
}
