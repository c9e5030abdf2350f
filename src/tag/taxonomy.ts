/**
 * The Topic taxonomy: an editor-maintained YAML file (slug, label, description,
 * weighted phrases, negative phrases, required phrases, threshold), validated
 * once and compiled into stemmed word sequences the rule tagger matches. Its
 * version (a hash of what it means, not of its comments) tells the pipeline
 * when every Story must be tagged again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText } from '../config.js';
import { ConfigError, errorMessage } from '../errors.js';
import { withWordVectors, type TopicVectors } from './topic-vectors.js';
import { wordVectorsInUse } from './vectors.js';
import { phraseStems } from './words.js';

/** Editors' phrase list: `phrase: weight`. */
const phraseWeights = z
  .record(z.string().trim().min(1, 'a phrase must have words'), z.number({ error: 'expected a weight (a positive number)' }).positive('expected a weight (a positive number)'))
  .default({});

const topicSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected lower-case words joined by hyphens, e.g. "china-repatriation"'),
    label: z.string().trim().min(1, 'expected the name readers see'),
    description: z.string().default(''),
    phrases: phraseWeights.refine((phrases) => Object.keys(phrases).length > 0, 'list at least one phrase'),
    negative: phraseWeights,
    requires: z.array(z.string().trim().min(1, 'a phrase must have words')).default([]),
    threshold: z.number().gt(0, 'expected a score above 0').max(1, 'expected a score of at most 1').optional(),
  })
  .strict();

const taxonomySchema = z
  .object({ topics: z.array(topicSchema).min(1, 'list at least one topic') })
  .strict()
  .superRefine((taxonomy, ctx) => {
    const seen = new Set<string>();
    taxonomy.topics.forEach((topic, index) => {
      if (seen.has(topic.slug)) ctx.addIssue({ code: 'custom', path: ['topics', index, 'slug'], message: `duplicate slug "${topic.slug}"` });
      seen.add(topic.slug);
    });
  });

export type TopicConfig = z.infer<typeof topicSchema>;

/** A phrase as the tagger matches it: the editor's wording, its stems, its weight. */
export interface Phrase {
  text: string;
  stems: string[];
  weight: number;
}

export interface Topic {
  slug: string;
  label: string;
  description: string;
  phrases: Phrase[];
  negative: Phrase[];
  requires: Phrase[];
  /** Score (0-1) from which the Topic is given. */
  threshold: number;
}

export interface Taxonomy {
  /** Taxonomy order: how digest sections and topic lists are ordered. */
  topics: Topic[];
  /** Hash of the topics and their rules; changes when tagging would. */
  version: string;
  /** Word vectors for close words and prototypes (topic-vectors.ts); absent when the install step's file is missing. */
  vectors?: TopicVectors;
}

export const DEFAULT_THRESHOLD = 0.5;

/** No taxonomy configured: no Topics, nothing tagged. */
export const EMPTY_TAXONOMY: Taxonomy = { topics: [], version: 'none' };

/** Phrases that stem alike (`punish`, `punishment`) are one phrase: counted once, with the larger weight. */
function compile(phrases: Record<string, number>): Phrase[] {
  const byStems = new Map<string, Phrase>();
  for (const [text, weight] of Object.entries(phrases)) {
    const stems = phraseStems(text);
    const key = stems.join(' ');
    const seen = byStems.get(key);
    if (stems.length > 0 && (!seen || seen.weight < weight)) byStems.set(key, { text, stems, weight });
  }
  return [...byStems.values()];
}

/** Validated topics into matchable ones. */
export function compileTaxonomy(topics: TopicConfig[]): Taxonomy {
  const compiled = topics.map(
    (topic): Topic => ({
      slug: topic.slug,
      label: topic.label,
      description: topic.description,
      phrases: compile(topic.phrases),
      negative: compile(topic.negative),
      requires: compile(Object.fromEntries(topic.requires.map((text) => [text, 1]))),
      threshold: topic.threshold ?? DEFAULT_THRESHOLD,
    }),
  );
  const version = createHash('sha256').update(JSON.stringify(topics)).digest('hex').slice(0, 16);
  return { topics: compiled, version };
}

/** `topics.3.phrases.x` as editors read it: `topic "escape" (4th): phrases: "x"`. */
function issueKey(path: PropertyKey[], raw: unknown): string {
  if (path[0] !== 'topics' || typeof path[1] !== 'number') return path.map(String).join('.');
  const entry = (raw as { topics?: { slug?: unknown }[] }).topics?.[path[1]];
  const name = typeof entry?.slug === 'string' ? `topic "${entry.slug}"` : `topic ${path[1] + 1}`;
  const field = path.slice(2).map((part, i) => (i === 0 ? String(part) : `"${String(part)}"`)).join(': ');
  return field === '' ? name : `${name}: ${field}`;
}

/** Parses and validates taxonomy YAML; `file` names it in errors. */
export function parseTaxonomy(text: string, file: string): Taxonomy {
  const raw = parseYamlText(text, file);
  const result = taxonomySchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map((issue) => ({ key: issueKey(issue.path, raw), message: issue.message })));
  }
  const taxonomy = compileTaxonomy(result.data.topics);
  const empty = result.data.topics.flatMap((topic) =>
    Object.keys(topic.phrases).filter((text) => phraseStems(text).length === 0).map((text) => `topic "${topic.slug}": phrases: "${text}"`),
  );
  if (empty.length > 0) throw new ConfigError(file, empty.map((key) => ({ key, message: 'no letters or digits to match' })));
  return taxonomy;
}

/** The taxonomy file as tagging uses it: with the installed word vectors, when there are any (and not refused). */
export function loadTaxonomy(file: string, options: { vectors?: boolean } = {}): Taxonomy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ key: '', message: `cannot read the topic taxonomy: ${errorMessage(error)}` }], { cause: error });
  }
  const taxonomy = parseTaxonomy(text, file);
  return options.vectors === false ? taxonomy : withWordVectors(taxonomy, wordVectorsInUse());
}
