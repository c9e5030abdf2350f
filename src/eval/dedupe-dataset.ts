/**
 * The labelled repost-detection split on disk (eval README, task A):
 * `documents.jsonl` (one document per line) and `labels.json` (gold clusters
 * and labelled pairs). Every problem names the file and the line or field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.js';

const documentSchema = z.object({
  id: z.string().min(1),
  sourceKind: z.enum(['archive', 'feed']),
  site: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  outlet: z.string().nullable(),
});

const pairSchema = z.object({ a: z.string(), b: z.string(), reason: z.string().optional() });

const labelsSchema = z.object({
  clusters: z.array(z.array(z.string()).min(1)),
  mustNotMerge: z.array(pairSchema).default([]),
  siblings: z.array(pairSchema).default([]),
  sameSourceNoOverlap: z.array(pairSchema).default([]),
  hard: z.array(pairSchema.extend({ expected: z.enum(['same', 'different']) })).default([]),
  ambiguous: z.array(pairSchema).default([]),
});

export type DedupeDocument = z.infer<typeof documentSchema>;
export type DedupeLabels = z.infer<typeof labelsSchema>;
export type LabelledPair = z.infer<typeof pairSchema>;

export interface DedupeDataset {
  documents: DedupeDocument[];
  labels: DedupeLabels;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('eval', file, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ');
}

export async function loadDedupeDataset(dir: string): Promise<DedupeDataset> {
  const documentsFile = path.join(dir, 'documents.jsonl');
  const labelsFile = path.join(dir, 'labels.json');
  const documents: DedupeDocument[] = [];
  (await readText(documentsFile)).split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new InputError('eval', `${documentsFile}:${index + 1}`, `not JSON: ${errorMessage(error)}`);
    }
    const parsed = documentSchema.safeParse(raw);
    if (!parsed.success) throw new InputError('eval', `${documentsFile}:${index + 1}`, issues(parsed.error));
    documents.push(parsed.data);
  });

  let rawLabels: unknown;
  try {
    rawLabels = JSON.parse(await readText(labelsFile));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('eval', labelsFile, `not JSON: ${errorMessage(error)}`);
  }
  const labels = labelsSchema.safeParse(rawLabels);
  if (!labels.success) throw new InputError('eval', labelsFile, issues(labels.error));

  checkPartition(documents, labels.data, labelsFile);
  return { documents, labels: labels.data };
}

/** Every document in exactly one cluster, every pair naming known documents. */
function checkPartition(documents: DedupeDocument[], labels: DedupeLabels, file: string): void {
  const ids = new Set(documents.map((doc) => doc.id));
  if (ids.size !== documents.length) throw new InputError('eval', file, 'documents.jsonl repeats a document id');
  const clustered = new Set<string>();
  for (const id of labels.clusters.flat()) {
    if (!ids.has(id)) throw new InputError('eval', file, `clusters: unknown document "${id}"`);
    if (clustered.has(id)) throw new InputError('eval', file, `clusters: document "${id}" is in two clusters`);
    clustered.add(id);
  }
  const missing = [...ids].filter((id) => !clustered.has(id));
  if (missing.length > 0) throw new InputError('eval', file, `clusters: no cluster holds ${missing.slice(0, 3).join(', ')}`);
  for (const list of ['mustNotMerge', 'siblings', 'sameSourceNoOverlap', 'hard', 'ambiguous'] as const) {
    for (const pair of labels[list]) {
      for (const id of [pair.a, pair.b]) if (!ids.has(id)) throw new InputError('eval', file, `${list}: unknown document "${id}"`);
    }
  }
}
