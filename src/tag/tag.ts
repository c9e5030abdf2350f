/**
 * The tag stage: a Story's Topics from the rule tagger and the learned model,
 * combined per Topic and held to the Topic's threshold, then overruled by
 * editors' labels. The model's say grows with the labels it learned the Topic
 * from; without a model the rules decide alone. Every Topic given carries its
 * score and why.
 */
import { explainTopic, modelVector, topicProbabilities, type ModelPrediction, type TopicModel } from './model.js';
import { scoreRules, type PhraseMatch, type RuleScore } from './rules.js';
import type { Taxonomy } from './taxonomy.js';
import type { TagDocument } from './words.js';

/** Who gave a Topic. */
export type TagSource = 'rules' | 'rules+model' | 'editor';

export interface TopicExplanation {
  /** Phrases found, strongest first. */
  phrases: Pick<PhraseMatch, 'phrase' | 'title' | 'lead' | 'tail'>[];
  negative: Pick<PhraseMatch, 'phrase' | 'title' | 'lead' | 'tail'>[];
  rulesScore: number;
  /** Absent when no model knows the Topic. */
  modelScore?: number;
  /** The model's strongest terms. */
  features?: ModelPrediction['features'];
  /** Share of the combined score that is the model's. */
  modelShare: number;
  threshold: number;
  /** An editor's label decided it. */
  editor?: boolean;
}

export interface TopicScore {
  slug: string;
  score: number;
  source: TagSource;
  explanation: TopicExplanation;
}

export interface StoryTags {
  /** Topics given, strongest first. */
  topics: TopicScore[];
  /** Every Topic's score, given or not, in taxonomy order (for editors and the eval). */
  scores: TopicScore[];
}

/** Topics a Story can carry without an editor adding more: the main subjects only. */
export const MAX_TOPICS = 3;

/**
 * Positive labels at which the model and the rules count the same: a linear
 * model on TF-IDF words is already sharper than phrase lists from a few labels
 * (measured by cross-validation, README), so it takes over quickly, never wholly.
 */
export const EVEN_AT_EXAMPLES = 3;

const MAX_MODEL_SHARE = 0.75;
const PHRASES_KEPT = 8;

/** Share of its threshold at which the strongest Topic of a Story is given when no Topic reaches its own. */
export const CLOSE_TO_THRESHOLD = 0.6;

/** How much the model counts for a Topic: nothing untrained, more with more positive labels. */
export function modelShare(positives: number): number {
  return Math.min(MAX_MODEL_SHARE, positives / (positives + EVEN_AT_EXAMPLES));
}

function brief(matches: PhraseMatch[]): TopicExplanation['phrases'] {
  return matches.slice(0, PHRASES_KEPT).map(({ phrase, title, lead, tail }) => ({ phrase, title, lead, tail }));
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function combine(rules: RuleScore, probability: number | undefined, positives: number, threshold: number): TopicScore {
  const share = probability === undefined ? 0 : modelShare(positives);
  const score = probability === undefined ? rules.score : (1 - share) * rules.score + share * probability;
  const source: TagSource = probability === undefined ? 'rules' : 'rules+model';
  const explanation: TopicExplanation = {
    phrases: brief(rules.matches),
    negative: brief(rules.negative),
    rulesScore: round(rules.score),
    modelShare: round(share),
    threshold,
  };
  if (probability !== undefined) explanation.modelScore = round(probability);
  return { slug: rules.slug, score: round(score), source, explanation };
}

/**
 * The Topics given from every Topic's score: editors' labels first, then the
 * strongest at or above their threshold, at most MAX_TOPICS of those.
 */
export function pickTopics(scores: TopicScore[], labels: Map<string, boolean> = new Map()): TopicScore[] {
  const given = scores
    .filter((s) => labels.get(s.slug) === undefined && s.score >= s.explanation.threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_TOPICS);
  // Every story is about something: when no Topic reaches its threshold, the strongest is given if it comes close.
  if (given.length === 0) {
    const best = scores.filter((s) => labels.get(s.slug) === undefined).sort((a, b) => b.score - a.score)[0];
    if (best && best.score >= best.explanation.threshold * CLOSE_TO_THRESHOLD) given.push(best);
  }
  const byEditor = scores
    .filter((s) => labels.get(s.slug) === true)
    .map((s): TopicScore => ({ ...s, score: 1, source: 'editor', explanation: { ...s.explanation, editor: true } }));
  return [...byEditor, ...given];
}

/**
 * Tags one Story. `labels` are its editors' labels (slug -> carries it or not):
 * they win over rules and model, and are not counted against MAX_TOPICS.
 */
export function tagStory(
  document: TagDocument,
  taxonomy: Taxonomy,
  model: TopicModel | null,
  labels: Map<string, boolean> = new Map(),
  options: { explainAll?: boolean } = {},
): StoryTags {
  const rules = scoreRules(document, taxonomy);
  const x = model ? modelVector(model, document) : null;
  const probabilities = model && x ? topicProbabilities(model, x) : [];
  const modelTopic = new Map(model?.topics.map((t, i) => [t.slug, i]) ?? []);
  const scores = taxonomy.topics.map((topic, i) => {
    const t = modelTopic.get(topic.slug);
    return combine(rules[i]!, t === undefined ? undefined : probabilities[t], t === undefined ? 0 : model!.topics[t]!.positives, topic.threshold);
  });
  const topics = pickTopics(scores, labels);
  // The model's strongest terms, for the Topics given (or all, for an editor asking why): working them out
  // for every Topic of every Story would cost more than the rest of tagging.
  for (const score of options.explainAll ? [...scores, ...topics] : topics) {
    const t = modelTopic.get(score.slug);
    if (model && x && t !== undefined) score.explanation.features = explainTopic(model, x, t);
  }
  return { topics, scores };
}
