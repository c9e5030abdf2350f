/**
 * `newsdesk eval tags`: the labelled Stories of a split (eval README, task C)
 * tagged as the pipeline tags them, scored three ways: the rule tagger alone,
 * the learned model alone, and the two combined. The model is trained by k-fold
 * cross-validation on the split's own labels (each fold tagged by a model that
 * never saw it), or on another split's labels with `train`.
 *
 * Stories are the gold clusters (each document made into the pipeline's Item
 * by the same normalize stages as `eval dedupe`), so tagging is measured apart
 * from dedupe's mistakes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.js';
import { DEFAULT_MODEL_OPTIONS, predictTopics, trainModel, type TopicModel, type TrainingExample } from '../tag/model.js';
import { pickTopics, tagStory, type TopicScore } from '../tag/tag.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { tagDocument, type TagDocument } from '../tag/words.js';
import { loadDedupeDataset } from './dedupe-dataset.js';
import { documentToItem } from './dedupe-items.js';
import { scoreTagging, type TaggingScore } from './tags-score.js';

/** A labelled Story: its gold cluster's representative id, members' text, gold Topics. */
export interface LabelledStory {
  key: string;
  title: string;
  document: TagDocument;
  topics: string[];
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

export interface TagEvalReport {
  dataset: string;
  stories: number;
  taxonomy: { version: string; topics: string[] };
  /** `k-fold` (folds of the dataset's own labels) or the directory the model was trained on. */
  model: { trainedOn: string; folds: number | null; examples: number };
  rules: TaggingScore;
  modelAlone: TaggingScore;
  combined: TaggingScore;
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
    stories.push({ key, title: items[0]!.title, document: tagDocument(items.map((item) => ({ title: item.title, text: item.contentText }))), topics });
  }
  return { dir, stories };
}

function examples(stories: LabelledStory[], slugs: string[]): TrainingExample[] {
  return stories.map((story) => ({ document: story.document, topics: new Map(slugs.map((slug) => [slug, story.topics.includes(slug)])) }));
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

export async function evalTags(
  dataset: TagDataset,
  taxonomy: Taxonomy,
  options: { train?: TagDataset; folds?: number } = {},
): Promise<TagEvalReport> {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const gold = new Map(dataset.stories.map((s) => [s.key, s.topics]));
  const rules = new Map<string, string[]>();
  const modelAlone = new Map<string, string[]>();
  const combined = new Map<string, string[]>();
  let trainedExamples = 0;

  const tagWith = (model: TopicModel, stories: LabelledStory[]) => {
    for (const story of stories) {
      modelAlone.set(story.key, modelTopics(model, story.document, taxonomy));
      combined.set(story.key, tagStory(story.document, taxonomy, model).topics.map((t) => t.slug));
    }
  };
  for (const story of dataset.stories) rules.set(story.key, tagStory(story.document, taxonomy, null).topics.map((t) => t.slug));

  const k = options.train ? null : Math.min(options.folds ?? DEFAULT_FOLDS, dataset.stories.length);
  if (options.train) {
    const model = trainModel(examples(options.train.stories, slugs), slugs, DEFAULT_MODEL_OPTIONS);
    trainedExamples = model.examples;
    tagWith(model, dataset.stories);
  } else {
    const fold = folds(dataset.stories, k!);
    for (let f = 0; f < k!; f += 1) {
      const training = dataset.stories.filter((_, i) => fold[i] !== f);
      const model = trainModel(examples(training, slugs), slugs, DEFAULT_MODEL_OPTIONS);
      trainedExamples = Math.max(trainedExamples, model.examples);
      tagWith(model, dataset.stories.filter((_, i) => fold[i] === f));
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
    rules: scoreTagging(gold, rules, slugs),
    modelAlone: scoreTagging(gold, modelAlone, slugs),
    combined: scoreTagging(gold, combined, slugs),
    misses,
  };
}
