/**
 * Training that never makes tagging worse: the model, and for each Topic the
 * share it gets against the rules, measured rather than assumed. The labelled
 * Stories are split into folds by where they came from (one Source's, or one
 * site's, Stories never on both sides: Stories of one place resemble each
 * other, and a fold that mixes them flatters the model); a model trained on
 * the other folds scores each fold; each Topic's share is the one of
 * MODEL_SHARES whose combination with the rules gives that Topic the best F1
 * on the held-out folds, and 0 unless it beats the rules alone (by MIN_GAIN).
 * With few labels, labels from one place only, or a model that adds nothing,
 * the share stays 0 and the rules decide. `tags train` and `eval tags` both
 * train through here.
 */
import { DEFAULT_MODEL_OPTIONS, modelVector, topicProbabilities, trainModel, type ModelOptions, type TopicModel, type TrainingExample } from './model.js';
import { scoreRules, type RuleScore } from './rules.js';
import { combine, pickTopics } from './tag.js';
import type { Taxonomy } from './taxonomy.js';

/** A labelled Story and where it came from (its Source, or its site): the unit the folds keep together. */
export interface GroupedExample extends TrainingExample {
  group: string;
}

/** The model shares tried per Topic. At most 0.75: the rules always keep a say (editors can read and fix them). */
export const MODEL_SHARES = [0, 0.25, 0.5, 0.75] as const;

/**
 * Out-of-fold F1 a share must add over the rules alone to be used (beyond
 * beating them at all: ties keep 0). Chosen by `eval tags`' folds grouped by
 * site and by Source among 0, 0.02, 0.05 and 0.1: each larger margin lowered
 * both grouped figures, and 0.1 took rules + model below the rules alone
 * (docs/testing-and-performance.md, Measurements).
 */
export const MIN_GAIN = 0;

/** Folds of the training labels the shares are measured on (fewer when there are fewer groups). */
export const INNER_FOLDS = 5;

export interface WeightSettings {
  minGain: number;
  folds: number;
}

export const DEFAULT_WEIGHT_SETTINGS: WeightSettings = { minGain: MIN_GAIN, folds: INNER_FOLDS };

const hash = (key: string): number => [...key].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);

/**
 * Fold of each item, whole groups at a time: groups largest first (ties by a
 * hash of the name, so the order is stable), each into the fold holding the
 * fewest items so far. With k at least the number of groups, each group is
 * its own fold (leave one group out).
 */
export function groupedFolds(groups: string[], k: number): number[] {
  const sizes = new Map<string, number>();
  for (const group of groups) sizes.set(group, (sizes.get(group) ?? 0) + 1);
  const ordered = [...sizes].sort((a, b) => b[1] - a[1] || hash(a[0]) - hash(b[0]) || (a[0] < b[0] ? -1 : 1));
  const load = new Array<number>(Math.max(1, Math.min(k, ordered.length))).fill(0);
  const foldOf = new Map<string, number>();
  for (const [group, size] of ordered) {
    const fold = load.indexOf(Math.min(...load));
    foldOf.set(group, fold);
    load[fold]! += size;
  }
  return groups.map((group) => foldOf.get(group)!);
}

const f1 = (tp: number, fp: number, fn: number): number => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

/** What the folds say of each Topic: the rules' scores and each held-out model's probability, per Story. */
interface OutOfFold {
  rules: RuleScore[][];
  /** [story][taxonomy topic]: undefined where the fold's model did not learn the Topic. */
  probabilities: (number | undefined)[][];
  folds: number;
}

function outOfFold(examples: GroupedExample[], taxonomy: Taxonomy, options: ModelOptions, k: number): OutOfFold {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const at = new Map(slugs.map((slug, i) => [slug, i]));
  const fold = groupedFolds(examples.map((e) => e.group), k);
  const folds = Math.max(...fold) + 1;
  const probabilities = examples.map(() => new Array<number | undefined>(slugs.length).fill(undefined));
  for (let f = 0; f < folds; f += 1) {
    const model = trainModel(examples.filter((_, i) => fold[i] !== f), slugs, options);
    examples.forEach((example, i) => {
      if (fold[i] !== f) return;
      const p = topicProbabilities(model, modelVector(model, example.document));
      model.topics.forEach((topic, t) => (probabilities[i]![at.get(topic.slug)!] = p[t]));
    });
  }
  return { rules: examples.map((e) => scoreRules(e.document, taxonomy)), probabilities, folds };
}

/** One Topic's F1 over the Stories labelled for it, when the Topics are given with these shares. */
function topicF1(examples: GroupedExample[], taxonomy: Taxonomy, seen: OutOfFold, shares: number[], t: number): number {
  const slug = taxonomy.topics[t]!.slug;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  examples.forEach((example, i) => {
    const label = example.topics.get(slug);
    if (label === undefined) return;
    const scores = taxonomy.topics.map((topic, u) => {
      const probability = seen.probabilities[i]![u];
      const say = probability === undefined ? undefined : { probability, share: shares[u]!, from: 'measured' as const, positives: 0 };
      return combine(seen.rules[i]![u]!, say, topic.threshold);
    });
    const given = pickTopics(scores).some((s) => s.slug === slug);
    if (given && label) tp += 1;
    else if (given) fp += 1;
    else if (label) fn += 1;
  });
  return f1(tp, fp, fn);
}

/**
 * Trains the model on every example and gives each of its Topics the share
 * measured on grouped folds (`share`, with the out-of-fold F1s behind it).
 * Shares are chosen one Topic at a time in taxonomy order, the others at the
 * shares already chosen (Topics compete for a Story's few places).
 */
export function trainTagger(
  examples: GroupedExample[],
  taxonomy: Taxonomy,
  options: ModelOptions = DEFAULT_MODEL_OPTIONS,
  settings: WeightSettings = DEFAULT_WEIGHT_SETTINGS,
): TopicModel {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const model = trainModel(examples, slugs, options);
  const groups = new Set(examples.map((e) => e.group)).size;
  // Labels from one place cannot say how the model does elsewhere: it stays quiet.
  if (groups < 2 || model.topics.length === 0) {
    for (const topic of model.topics) topic.share = 0;
    return model;
  }
  const seen = outOfFold(examples, taxonomy, options, Math.min(settings.folds, groups));
  const shares = slugs.map(() => 0);
  const learned = new Map(model.topics.map((topic) => [topic.slug, topic]));
  slugs.forEach((slug, t) => {
    const topic = learned.get(slug);
    if (!topic) return;
    const rules = topicF1(examples, taxonomy, seen, shares, t);
    let best = { share: 0, f1: rules };
    for (const share of MODEL_SHARES) {
      if (share === 0) continue;
      shares[t] = share;
      const f = topicF1(examples, taxonomy, seen, shares, t);
      if (f > best.f1) best = { share, f1: f };
    }
    shares[t] = best.f1 >= rules + settings.minGain ? best.share : 0;
    topic.share = shares[t]!;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    topic.outOfFold = { rules: round(rules), combined: round(shares[t] === 0 ? rules : best.f1), folds: seen.folds };
  });
  return model;
}
