/**
 * The learned tagger: one logistic regression per Topic (one-vs-rest) on
 * TF-IDF word and word-pair features, trained from editors' labels by
 * stochastic gradient descent with L2 regularisation. Small enough to read,
 * deterministic (fixed visiting order), and kept in the store as JSON so every
 * worker tags with the same model.
 */
import { termCounts, termHash, tfidf, type SparseVector } from './features.js';
import type { TagDocument } from './words.js';

export interface TopicWeights {
  slug: string;
  /** One weight per vocabulary term. */
  weights: number[];
  bias: number;
  /** Labelled Stories it was trained on that carry the Topic, and that do not. */
  positives: number;
  negatives: number;
  /**
   * How much the model counts against the rules for this Topic (0-1), measured
   * by trainTagger (topic-weights.ts). Absent in models stored before it was
   * measured: tag.ts then falls back to a share by positive labels.
   */
  share?: number;
  /** The Topic's F1 on the training labels' held-out folds: rules alone, and with the chosen share. */
  outOfFold?: { rules: number; combined: number; folds: number };
}

export interface TopicModel {
  vocabulary: string[];
  idf: number[];
  topics: TopicWeights[];
  /** Labelled Stories it was trained on. */
  examples: number;
}

/** One labelled Story: its text and, per Topic slug, whether it carries the Topic. */
export interface TrainingExample {
  document: TagDocument;
  topics: Map<string, boolean>;
}

export interface ModelOptions {
  /** Most terms kept (by document frequency). */
  maxTerms: number;
  /** Terms must occur in at least this many labelled Stories. */
  minDocuments: number;
  /** A Topic needs this many positive and negative examples to get a model. */
  minExamples: number;
  epochs: number;
  /** L2 regularisation strength. */
  lambda: number;
  learningRate: number;
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = { maxTerms: 20_000, minDocuments: 2, minExamples: 2, epochs: 40, lambda: 1e-3, learningRate: 0.5 };

export interface ModelPrediction {
  slug: string;
  probability: number;
  /** The terms that pushed the probability up most, with their contribution to the log-odds. */
  features: { term: string; weight: number }[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function vocabularyOf(counts: Map<number, number>[], names: Map<number, string>, options: ModelOptions): { vocabulary: string[]; idf: number[] } {
  const df = new Map<number, number>();
  for (const document of counts) for (const term of document.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = [...df]
    .map(([term, n]) => [names.get(term)!, n] as const)
    .filter(([, n]) => n >= options.minDocuments)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms);
  const n = counts.length;
  return { vocabulary: kept.map(([term]) => term), idf: kept.map(([, d]) => Math.log((1 + n) / (1 + d)) + 1) };
}

/** A fixed pseudo-random visiting order per epoch, so training gives the same model every time. */
function order(n: number, epoch: number): number[] {
  const indices = Array.from({ length: n }, (_, i) => i);
  let seed = (epoch + 1) * 2654435761;
  for (let i = n - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices;
}

function dot(weights: Float64Array, x: SparseVector): number {
  let sum = 0;
  for (let k = 0; k < x.index.length; k += 1) sum += weights[x.index[k]!]! * x.value[k]!;
  return sum;
}

/**
 * Logistic regression by SGD (Bottou's schedule); L2 kept exact with the
 * scaled-weights trick so each step touches only the example's own terms.
 * Classes are weighted to balance: rare Topics are not drowned by the rest.
 */
function trainTopic(xs: SparseVector[], ys: boolean[], dimensions: number, options: ModelOptions): { weights: number[]; bias: number } {
  const positives = ys.filter(Boolean).length;
  const negatives = ys.length - positives;
  const classWeight = { true: ys.length / (2 * positives), false: ys.length / (2 * negatives) };
  const v = new Float64Array(dimensions);
  let scale = 1;
  let bias = 0;
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const i of order(xs.length, epoch)) {
      const rate = options.learningRate / (1 + options.learningRate * options.lambda * t);
      t += 1;
      const x = xs[i]!;
      const p = sigmoid(scale * dot(v, x) + bias);
      const gradient = (p - (ys[i] ? 1 : 0)) * classWeight[ys[i] ? 'true' : 'false'];
      scale *= 1 - rate * options.lambda;
      for (let k = 0; k < x.index.length; k += 1) v[x.index[k]!]! -= (rate * gradient * x.value[k]!) / scale;
      bias -= rate * gradient;
      if (scale < 1e-6) {
        for (let j = 0; j < dimensions; j += 1) v[j]! *= scale;
        scale = 1;
      }
    }
  }
  return { weights: Array.from(v, (w) => Math.round(w * scale * 1e6) / 1e6), bias: Math.round(bias * 1e6) / 1e6 };
}

/** Trains one model per Topic that has enough labelled examples either way; `slugs` in taxonomy order. */
export function trainModel(examples: TrainingExample[], slugs: string[], options: ModelOptions = DEFAULT_MODEL_OPTIONS): TopicModel {
  const names = new Map<number, string>();
  const counts = examples.map((example) => termCounts(example.document, names));
  const { vocabulary, idf } = vocabularyOf(counts, names, options);
  const at = new Map(vocabulary.map((term, i) => [termHash(term), i]));
  const vectors = counts.map((c) => tfidf(c, at, idf));
  const topics: TopicWeights[] = [];
  for (const slug of slugs) {
    const labelled = examples.flatMap((example, i) => (example.topics.has(slug) ? [{ x: vectors[i]!, y: example.topics.get(slug)! }] : []));
    const positives = labelled.filter((l) => l.y).length;
    const negatives = labelled.length - positives;
    if (positives < options.minExamples || negatives < options.minExamples) continue;
    const trained = trainTopic(labelled.map((l) => l.x), labelled.map((l) => l.y), vocabulary.length, options);
    topics.push({ slug, ...trained, positives, negatives });
  }
  return { vocabulary, idf, topics, examples: examples.length };
}

/** What prediction needs of a model, built once per model (it is read from JSON): the term index, weights as typed arrays. */
interface ModelTables {
  at: Map<number, number>;
  weights: Float64Array[];
}

const tables = new WeakMap<TopicModel, ModelTables>();

function tablesOf(model: TopicModel): ModelTables {
  let built = tables.get(model);
  if (!built) {
    built = { at: new Map(model.vocabulary.map((term, i) => [termHash(term), i])), weights: model.topics.map((t) => Float64Array.from(t.weights)) };
    tables.set(model, built);
  }
  return built;
}

const TOP_FEATURES = 5;

/** The terms of `x` that push topic `t` up most, strongest first. */
function topFeatures(model: TopicModel, weights: Float64Array, x: SparseVector): ModelPrediction['features'] {
  const top: { at: number; weight: number }[] = [];
  for (let k = 0; k < x.index.length; k += 1) {
    const weight = weights[x.index[k]!]! * x.value[k]!;
    if (weight <= 0 || (top.length === TOP_FEATURES && weight <= top[TOP_FEATURES - 1]!.weight)) continue;
    let i = Math.min(top.length, TOP_FEATURES - 1);
    while (i > 0 && top[i - 1]!.weight < weight) i -= 1;
    top.splice(i, 0, { at: x.index[k]!, weight });
    if (top.length > TOP_FEATURES) top.pop();
  }
  return top.map((c) => ({ term: model.vocabulary[c.at]!, weight: Math.round(c.weight * 1000) / 1000 }));
}

/** A Story as the model reads it: its TF-IDF vector over the model's vocabulary. */
export function modelVector(model: TopicModel, document: TagDocument): SparseVector {
  return tfidf(termCounts(document), tablesOf(model).at, model.idf);
}

/** The model's probability for each of its Topics (model.topics order). */
export function topicProbabilities(model: TopicModel, x: SparseVector): number[] {
  const { weights } = tablesOf(model);
  return model.topics.map((topic, t) => {
    const w = weights[t]!;
    let logit = topic.bias;
    for (let k = 0; k < x.index.length; k += 1) logit += w[x.index[k]!]! * x.value[k]!;
    return sigmoid(logit);
  });
}

/** The terms that push the model's Topic `t` (model.topics index) up most for this Story. */
export function explainTopic(model: TopicModel, x: SparseVector, t: number): ModelPrediction['features'] {
  return topFeatures(model, tablesOf(model).weights[t]!, x);
}

/** The model's probability for each Topic it was trained on, with the terms that count most. */
export function predictTopics(model: TopicModel, document: TagDocument): ModelPrediction[] {
  const x = modelVector(model, document);
  const probabilities = topicProbabilities(model, x);
  return model.topics.map((topic, t) => ({ slug: topic.slug, probability: probabilities[t]!, features: explainTopic(model, x, t) }));
}
