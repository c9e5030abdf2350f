/**
 * The tag stage: a Story's Topics from the rule tagger and the learned model,
 * combined per Topic and held to the Topic's threshold, then overruled by
 * editors' labels. The model's say in a Topic is the weight training measured
 * for it (topic-weights.ts: its out-of-fold gain over the rules, 0 when it
 * gains nothing); without a model the rules decide alone. Every Topic given
 * carries its score and why.
 */
import { explainTopic, modelVector, topicProbabilities, type ModelPrediction, type TopicModel, type TopicWeights } from './model.js';
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
  /**
   * Where that share comes from: `measured` (the Topic's out-of-fold gain at training, topic-weights.ts),
   * or `unmeasured` (a model stored before shares were measured: 0 until `tags train` measures them).
   */
  modelShareFrom?: 'measured' | 'unmeasured';
  /** Labelled Stories the model learned the Topic from that carry it. */
  modelLabels?: number;
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

const PHRASES_KEPT = 8;

/**
 * Share of its threshold at which the strongest Topic of a Story is given when
 * no Topic reaches its own. 1: never below the threshold. The folds grouped by
 * site chose 1 over 0.5-0.7 (a Story that reaches no threshold is more often
 * about something outside the taxonomy than about its strongest Topic);
 * `eval tags` keeps trying the lower values.
 */
export const CLOSE_TO_THRESHOLD = 1;

/**
 * How much the model counts for one of its Topics: the share measured when it
 * was trained. A model stored before shares were measured counts for nothing:
 * its share grew with its labels whatever it did on Stories it had not seen,
 * and on held-back Stories that made tagging worse than the rules alone (issue
 * 18). The next `tags train` measures the shares.
 */
export function topicShare(topic: TopicWeights): { share: number; from: 'measured' | 'unmeasured' } {
  return topic.share === undefined ? { share: 0, from: 'unmeasured' } : { share: topic.share, from: 'measured' };
}

function brief(matches: PhraseMatch[]): TopicExplanation['phrases'] {
  return matches.slice(0, PHRASES_KEPT).map(({ phrase, title, lead, tail }) => ({ phrase, title, lead, tail }));
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** What the model says of one Topic of a Story, and how much it counts. */
export interface ModelSay {
  probability: number;
  share: number;
  from: 'measured' | 'unmeasured';
  positives: number;
}

/** One Topic's score: the rules', moved toward the model's probability by the model's share. */
export function combine(rules: RuleScore, model: ModelSay | undefined, threshold: number): TopicScore {
  const share = model?.share ?? 0;
  const score = model === undefined ? rules.score : (1 - share) * rules.score + share * model.probability;
  // A model that counts for nothing did not give the Topic: the rules did.
  const source: TagSource = share > 0 ? 'rules+model' : 'rules';
  const explanation: TopicExplanation = {
    phrases: brief(rules.matches),
    negative: brief(rules.negative),
    rulesScore: round(rules.score),
    modelShare: round(share),
    threshold,
  };
  if (model !== undefined) Object.assign(explanation, { modelScore: round(model.probability), modelShareFrom: model.from, modelLabels: model.positives });
  return { slug: rules.slug, score: round(score), source, explanation };
}

/**
 * The Topics given from every Topic's score: editors' labels first, then the
 * strongest at or above their threshold, at most MAX_TOPICS of those.
 */
export function pickTopics(scores: TopicScore[], labels: Map<string, boolean> = new Map(), closeTo: number = CLOSE_TO_THRESHOLD): TopicScore[] {
  const given = scores
    .filter((s) => labels.get(s.slug) === undefined && s.score >= s.explanation.threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_TOPICS);
  // Every story is about something: when no Topic reaches its threshold, the strongest is given if it comes close.
  if (given.length === 0) {
    const best = scores.filter((s) => labels.get(s.slug) === undefined).sort((a, b) => b.score - a.score)[0];
    if (best && best.score >= best.explanation.threshold * closeTo) given.push(best);
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
    if (t === undefined) return combine(rules[i]!, undefined, topic.threshold);
    const learned = model!.topics[t]!;
    return combine(rules[i]!, { probability: probabilities[t]!, ...topicShare(learned), positives: learned.positives }, topic.threshold);
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

export interface StoredTopic {
  slug: string;
  score: number;
  source: TopicScore['source'];
  explanation: TopicScore['explanation'];
}
