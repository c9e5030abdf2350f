/**
 * Scoring a clustering against the gold labels (eval README, task A):
 * pairwise precision/recall/F1 over all unordered pairs of documents, leaving
 * out the pairs between the two clusters of every `ambiguous` entry; B-cubed
 * precision/recall/F1 per document; and every `mustNotMerge` pair that a
 * predicted cluster holds.
 */
import type { DedupeLabels, LabelledPair } from './dedupe-dataset.js';

export interface PairwiseScore {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  goldPairs: number;
}

export interface BcubedScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClusteringScore {
  pairwise: PairwiseScore;
  bcubed: BcubedScore;
  clusters: number;
  mustNotMergeViolations: LabelledPair[];
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** `predicted` maps every document id to the key of its predicted cluster. */
export function scoreClustering(labels: DedupeLabels, predicted: ReadonlyMap<string, string>): ClusteringScore {
  const gold = new Map<string, number>();
  labels.clusters.forEach((cluster, index) => cluster.forEach((id) => gold.set(id, index)));
  const excluded = new Set<string>();
  for (const pair of labels.ambiguous) {
    const [a, b] = [gold.get(pair.a)!, gold.get(pair.b)!];
    if (a !== b) excluded.add(a < b ? `${a}|${b}` : `${b}|${a}`);
  }

  const ids = [...gold.keys()];
  let truePairs = 0;
  let predictedPairs = 0;
  let goldPairs = 0;
  for (let i = 0; i < ids.length; i += 1) {
    for (let j = i + 1; j < ids.length; j += 1) {
      const [ga, gb] = [gold.get(ids[i]!)!, gold.get(ids[j]!)!];
      if (excluded.has(ga < gb ? `${ga}|${gb}` : `${gb}|${ga}`)) continue;
      const same = ga === gb;
      const together = (predicted.get(ids[i]!) ?? `unclustered:${ids[i]}`) === (predicted.get(ids[j]!) ?? `unclustered:${ids[j]}`);
      if (same) goldPairs += 1;
      if (together) predictedPairs += 1;
      if (same && together) truePairs += 1;
    }
  }
  const precision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
  const recall = goldPairs === 0 ? 1 : truePairs / goldPairs;

  const byPredicted = new Map<string, string[]>();
  for (const id of ids) {
    const key = predicted.get(id) ?? `unclustered:${id}`;
    byPredicted.set(key, [...(byPredicted.get(key) ?? []), id]);
  }
  let bp = 0;
  let br = 0;
  for (const id of ids) {
    const mine = byPredicted.get(predicted.get(id) ?? `unclustered:${id}`)!;
    const goldCluster = labels.clusters[gold.get(id)!]!;
    const both = mine.filter((other) => gold.get(other) === gold.get(id)).length;
    bp += both / mine.length;
    br += both / goldCluster.length;
  }
  const bcubedP = bp / ids.length;
  const bcubedR = br / ids.length;

  return {
    pairwise: { precision: round(precision), recall: round(recall), f1: round(f1(precision, recall)), truePairs, predictedPairs, goldPairs },
    bcubed: { precision: round(bcubedP), recall: round(bcubedR), f1: round(f1(bcubedP, bcubedR)) },
    clusters: byPredicted.size,
    mustNotMergeViolations: labels.mustNotMerge.filter((pair) => predicted.has(pair.a) && predicted.get(pair.a) === predicted.get(pair.b)),
  };
}

/** Clusters as the transitive closure of a pairwise "same" relation (union-find), keyed by their first id. */
export function closeClusters(ids: readonly string[], same: (a: number, b: number) => boolean): Map<string, string> {
  const parent = ids.map((_, index) => index);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let i = 0; i < ids.length; i += 1) {
    for (let j = i + 1; j < ids.length; j += 1) {
      if (find(i) !== find(j) && same(i, j)) parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
    }
  }
  return new Map(ids.map((id, index) => [id, ids[find(index)]!]));
}
