/**
 * `newsdesk eval tags`: the labelled Stories of a split (eval README, task C)
 * tagged as the pipeline tags them, scored three ways: the rule tagger alone,
 * the learned model alone, and the two combined. The model is trained (as
 * `tags train` trains it: trainTagger, shares measured per Topic) by k-fold
 * cross-validation on the split's own labels (each fold tagged by a model that
 * never saw it), or on another split's labels with `train`.
 *
 * Next to the k-fold figures, folds grouped by site and by Source (each site,
 * or Source, left out in turn: its Stories never on both sides). Stories of
 * one place share words and habits, so a plain k-fold flatters the model;
 * the grouped figure is what a new site's Stories can expect. A Story's site
 * and Source are its gold cluster's first document's.
 *
 * Stories are the gold clusters (each document made into the pipeline's Item
 * by the same normalize stages as `eval dedupe`), so tagging is measured apart
 * from dedupe's mistakes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.js';
import { predictTopics, type TopicModel } from '../tag/model.js';
import { pickTopics, tagStory, type TopicScore } from '../tag/tag.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { groupedFolds, trainTagger, type GroupedExample } from '../tag/topic-weights.js';
import { tagDocument, type TagDocument } from '../tag/words.js';
import { loadDedupeDataset } from './dedupe-dataset.js';
import { documentToItem, sourceOf } from './dedupe-items.js';
import { chooseRuleConstants, type ConstantsReport } from './tags-constants.js';
import { scoreTagging, type TaggingScore } from './tags-score.js';

/** A labelled Story: its gold cluster's representative id, members' text, gold Topics. */
export interface LabelledStory {
  key: string;
  title: string;
  document: TagDocument;
  topics: string[];
  /** Its gold cluster's first document's site, and the Source the eval reads that document from. */
  site: string;
  source: string;
}

export interface TagDataset {
  dir: string;
  stories: LabelledStory[];
}

export interface StoryOutcome {
  key: string;
  title: string;
  gold: string[];
  predicted: string[];
}

/** Folds grouped by site or by Source: each group left out in turn. */
export interface GroupedRun {
  by: 'site' | 'source';
  folds: number;
  rules: TaggingScore;
  modelAlone: TaggingScore;
  combined: TaggingScore;
}

/** A Topic's model share as training chose it, and the labels behind it. */
export interface TopicWeightRow {
  slug: string;
  positives: number;
  negatives: number;
  /** null: too few labels either way for a model of the Topic. */
  share: number | null;
  /** Out-of-fold F1 of the Topic on the training labels: rules alone, and with the share. */
  rulesF1: number | null;
  combinedF1: number | null;
}

export interface TagEvalReport {
  dataset: string;
  stories: number;
  taxonomy: { version: string; topics: string[] };
  /** `k-fold` (folds of the dataset's own labels) or the directory the model was trained on. */
  model: { trainedOn: string; folds: number | null; examples: number };
  rules: TaggingScore;
  modelAlone: TaggingScore;
  combined: TaggingScore;
  /** Leave-one-site-out and leave-one-Source-out (none when the model is trained on another split). */
  grouped: GroupedRun[];
  /** Each Topic's share in the model trained on every training label (the one `tags train` would store). */
  weights: TopicWeightRow[];
  /** The rule constants chosen by leave-one-site-out (none when the model is trained on another split). */
  constants: ConstantsReport | null;
  /** Stories where the combination differs from the gold labels. */
  misses: StoryOutcome[];
}

export const DEFAULT_FOLDS = 5;

const topicsSchema = z.record(z.string(), z.array(z.string()).min(1));

/** Reads a split's documents, clusters and Topic labels; every gold slug must be in the taxonomy. */
export async function loadTagDataset(dir: string, taxonomy: Taxonomy): Promise<TagDataset> {
  const { documents, labels } = await loadDedupeDataset(dir);
  const file = path.join(dir, 'topics.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError('eval', file, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  const parsed = topicsSchema.safeParse(raw);
  if (!parsed.success) throw new InputError('eval', file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const known = new Set(taxonomy.topics.map((t) => t.slug));
  const byId = new Map(documents.map((doc) => [doc.id, doc]));
  const clusterOf = new Map(labels.clusters.map((cluster) => [cluster[0]!, cluster]));
  const stories: LabelledStory[] = [];
  for (const [key, topics] of Object.entries(parsed.data)) {
    const unknown = topics.filter((slug) => !known.has(slug));
    if (unknown.length > 0) throw new InputError('eval', file, `${key}: topics not in the taxonomy: ${unknown.join(', ')}`);
    const cluster = clusterOf.get(key);
    if (!cluster) throw new InputError('eval', file, `${key}: not the first id of a cluster in labels.json`);
    const items = cluster.map((id) => documentToItem(byId.get(id)!));
    const first = byId.get(cluster[0]!)!;
    const document = tagDocument(items.map((item) => ({ title: item.title, text: item.contentText })));
    stories.push({ key, title: items[0]!.title, document, topics, site: first.site, source: sourceOf(first).id });
  }
  return { dir, stories };
}

/** Training examples grouped by Source (as `tags train` groups a store's labels), or by site. */
function examples(stories: LabelledStory[], slugs: string[], by: 'site' | 'source' = 'source'): GroupedExample[] {
  return stories.map((story) => ({ document: story.document, topics: new Map(slugs.map((slug) => [slug, story.topics.includes(slug)])), group: story[by] }));
}

/** The model's own choice: its probabilities held to the Topics' thresholds, as the combination is. */
function modelTopics(model: TopicModel, document: TagDocument, taxonomy: Taxonomy): string[] {
  const predictions = new Map(predictTopics(model, document).map((p) => [p.slug, p]));
  const scores = taxonomy.topics.flatMap((topic): TopicScore[] => {
    const p = predictions.get(topic.slug);
    if (!p) return [];
    const explanation = { phrases: [], negative: [], rulesScore: 0, modelScore: p.probability, modelShare: 1, threshold: topic.threshold };
    return [{ slug: topic.slug, score: p.probability, source: 'rules+model', explanation }];
  });
  return pickTopics(scores).map((s) => s.slug);
}

/** Fold of each Story: stable (a hash of its key), about even. */
function folds(stories: LabelledStory[], k: number): number[] {
  const hash = (key: string) => [...key].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const order = stories.map((s, i) => ({ i, h: hash(s.key) })).sort((a, b) => a.h - b.h);
  const fold = new Array<number>(stories.length);
  order.forEach(({ i }, rank) => (fold[i] = rank % k));
  return fold;
}

/** Model alone and rules + model for each Story, each fold tagged by a model trained on the other folds. */
function crossValidate(stories: LabelledStory[], taxonomy: Taxonomy, fold: number[], by: 'site' | 'source') {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const modelAlone = new Map<string, string[]>();
  const combined = new Map<string, string[]>();
  let trained = 0;
  for (let f = 0; f <= Math.max(-1, ...fold); f += 1) {
    const training = stories.filter((_, i) => fold[i] !== f);
    const model = trainTagger(examples(training, slugs, by), taxonomy);
    trained = Math.max(trained, model.examples);
    tagWith(model, stories.filter((_, i) => fold[i] === f), taxonomy, modelAlone, combined);
  }
  return { modelAlone, combined, trained };
}

function tagWith(model: TopicModel, stories: LabelledStory[], taxonomy: Taxonomy, modelAlone: Map<string, string[]>, combined: Map<string, string[]>): void {
  for (const story of stories) {
    modelAlone.set(story.key, modelTopics(model, story.document, taxonomy));
    combined.set(story.key, tagStory(story.document, taxonomy, model).topics.map((t) => t.slug));
  }
}

function weightRows(model: TopicModel, stories: LabelledStory[], slugs: string[]): TopicWeightRow[] {
  return slugs.map((slug) => {
    const topic = model.topics.find((t) => t.slug === slug);
    const positives = stories.filter((s) => s.topics.includes(slug)).length;
    return {
      slug,
      positives,
      negatives: stories.length - positives,
      share: topic?.share ?? null,
      rulesF1: topic?.outOfFold?.rules ?? null,
      combinedF1: topic?.outOfFold?.combined ?? null,
    };
  });
}

export async function evalTags(
  dataset: TagDataset,
  taxonomy: Taxonomy,
  options: { train?: TagDataset; folds?: number } = {},
): Promise<TagEvalReport> {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const gold = new Map(dataset.stories.map((s) => [s.key, s.topics]));
  const rules = new Map(dataset.stories.map((story) => [story.key, tagStory(story.document, taxonomy, null).topics.map((t) => t.slug)]));
  const score = (predicted: Map<string, string[]>) => scoreTagging(gold, predicted, slugs);

  const k = options.train ? null : Math.min(options.folds ?? DEFAULT_FOLDS, dataset.stories.length);
  let modelAlone = new Map<string, string[]>();
  let combined = new Map<string, string[]>();
  let trainedExamples = 0;
  let shipped: TopicModel;
  const grouped: GroupedRun[] = [];
  let constants: ConstantsReport | null = null;
  if (options.train) {
    shipped = trainTagger(examples(options.train.stories, slugs), taxonomy);
    trainedExamples = shipped.examples;
    tagWith(shipped, dataset.stories, taxonomy, modelAlone, combined);
  } else {
    ({ modelAlone, combined, trained: trainedExamples } = crossValidate(dataset.stories, taxonomy, folds(dataset.stories, k!), 'source'));
    shipped = trainTagger(examples(dataset.stories, slugs), taxonomy);
    constants = chooseRuleConstants(dataset.stories, taxonomy);
    for (const by of ['site', 'source'] as const) {
      const groups = dataset.stories.map((s) => s[by]);
      const fold = groupedFolds(groups, groups.length);
      const run = crossValidate(dataset.stories, taxonomy, fold, by);
      grouped.push({ by, folds: Math.max(...fold) + 1, rules: score(rules), modelAlone: score(run.modelAlone), combined: score(run.combined) });
    }
  }

  const misses = dataset.stories
    .map((s) => ({ key: s.key, title: s.title, gold: [...s.topics].sort(), predicted: [...(combined.get(s.key) ?? [])].sort() }))
    .filter((o) => o.gold.join() !== o.predicted.join());
  return {
    dataset: dataset.dir,
    stories: dataset.stories.length,
    taxonomy: { version: taxonomy.version, topics: slugs },
    model: { trainedOn: options.train ? options.train.dir : 'k-fold', folds: k, examples: trainedExamples },
    rules: score(rules),
    modelAlone: score(modelAlone),
    combined: score(combined),
    grouped,
    weights: weightRows(shipped, options.train ? options.train.stories : dataset.stories, slugs),
    constants,
    misses,
  };
}
