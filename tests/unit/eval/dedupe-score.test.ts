import { describe, expect, it } from 'vitest';
import type { DedupeLabels } from '../../../src/eval/dedupe-dataset.js';
import { closeClusters, scoreClustering } from '../../../src/eval/dedupe-score.js';

function labels(clusters: string[][], extra: Partial<DedupeLabels> = {}): DedupeLabels {
  return { clusters, mustNotMerge: [], siblings: [], sameSourceNoOverlap: [], hard: [], ambiguous: [], ...extra };
}

/** Predicted clusters as lists of ids, each keyed by its first id. */
function predicted(clusters: string[][]): Map<string, string> {
  return new Map(clusters.flatMap((cluster) => cluster.map((id) => [id, cluster[0]!] as [string, string])));
}

const gold = labels([['a', 'b', 'c'], ['d'], ['e', 'f']]);

describe('scoreClustering', () => {
  it('scores a perfect prediction 1', () => {
    const score = scoreClustering(gold, predicted([['a', 'b', 'c'], ['d'], ['e', 'f']]));
    expect(score.pairwise).toEqual({ precision: 1, recall: 1, f1: 1, truePairs: 4, predictedPairs: 4, goldPairs: 4 });
    expect(score.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(score.clusters).toBe(3);
    expect(score.mustNotMergeViolations).toEqual([]);
  });

  it('does not depend on the cluster keys', () => {
    const keys = new Map([['a', 'x'], ['b', 'x'], ['c', 'x'], ['d', 'y'], ['e', 'z'], ['f', 'z']]);
    expect(scoreClustering(gold, keys)).toEqual(scoreClustering(gold, predicted([['a', 'b', 'c'], ['d'], ['e', 'f']])));
  });

  it('lowers pairwise precision for a false merge', () => {
    const score = scoreClustering(gold, predicted([['a', 'b', 'c'], ['d', 'e', 'f']]));
    expect(score.pairwise).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, truePairs: 4, predictedPairs: 6, goldPairs: 4 });
    expect(score.clusters).toBe(2);
  });

  it('lowers pairwise recall for a missed merge', () => {
    const score = scoreClustering(gold, predicted([['a', 'b'], ['c'], ['d'], ['e', 'f']]));
    expect(score.pairwise).toMatchObject({ precision: 1, recall: 0.5, truePairs: 2, predictedPairs: 2, goldPairs: 4 });
    expect(score.pairwise.f1).toBe(0.6667);
  });

  it('leaves out the pairs between the clusters of an ambiguous entry', () => {
    const ambiguous = labels(gold.clusters, { ambiguous: [{ a: 'e', b: 'd' }] });
    const score = scoreClustering(ambiguous, predicted([['a', 'b', 'c'], ['d', 'e', 'f']]));
    expect(score.pairwise).toEqual({ precision: 1, recall: 1, f1: 1, truePairs: 4, predictedPairs: 4, goldPairs: 4 });
  });

  it('leaves out the ambiguous pairs when they are kept apart too', () => {
    const ambiguous = labels(gold.clusters, { ambiguous: [{ a: 'd', b: 'f' }] });
    const score = scoreClustering(ambiguous, predicted([['a', 'b', 'c'], ['d'], ['e', 'f']]));
    expect(score.pairwise).toMatchObject({ predictedPairs: 4, goldPairs: 4, truePairs: 4 });
  });

  it('ignores an ambiguous entry inside one gold cluster', () => {
    const ambiguous = labels(gold.clusters, { ambiguous: [{ a: 'a', b: 'b' }] });
    const score = scoreClustering(ambiguous, predicted([['a'], ['b', 'c'], ['d'], ['e', 'f']]));
    expect(score.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 2, goldPairs: 4, recall: 0.5 });
  });

  it('computes B-cubed for a merge of two gold clusters', () => {
    const score = scoreClustering(labels([['a', 'b'], ['c']]), predicted([['a', 'b', 'c']]));
    expect(score.bcubed).toEqual({ precision: 0.5556, recall: 1, f1: 0.7143 });
    expect(score.pairwise).toMatchObject({ precision: 0.3333, recall: 1, truePairs: 1, predictedPairs: 3, goldPairs: 1 });
  });

  it('computes B-cubed for clusters cut the wrong way', () => {
    const score = scoreClustering(labels([['a', 'b'], ['c']]), predicted([['a'], ['b', 'c']]));
    expect(score.bcubed).toEqual({ precision: 0.6667, recall: 0.6667, f1: 0.6667 });
    expect(score.pairwise).toMatchObject({ precision: 0, recall: 0, f1: 0, truePairs: 0 });
  });

  it('counts documents missing from the prediction as their own clusters in B-cubed', () => {
    const score = scoreClustering(labels([['a', 'b'], ['c']]), new Map([['a', 'x'], ['b', 'x']]));
    expect(score.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(score.clusters).toBe(2);
  });

  it('scores precision 1 when nothing is predicted together', () => {
    const score = scoreClustering(labels([['a', 'b'], ['c']]), predicted([['a'], ['b'], ['c']]));
    expect(score.pairwise).toMatchObject({ precision: 1, recall: 0, f1: 0, predictedPairs: 0 });
  });

  it('lists the mustNotMerge pairs a predicted cluster holds', () => {
    const withPairs = labels(gold.clusters, {
      mustNotMerge: [
        { a: 'd', b: 'e', reason: 'two yearly reports on defector numbers' },
        { a: 'a', b: 'f' },
      ],
    });
    const score = scoreClustering(withPairs, predicted([['a', 'b', 'c'], ['d', 'e', 'f']]));
    expect(score.mustNotMergeViolations).toEqual([{ a: 'd', b: 'e', reason: 'two yearly reports on defector numbers' }]);
  });
});

describe('closeClusters', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const relation = (pairs: [number, number][]) => (i: number, j: number) => pairs.some(([x, y]) => (x === i && y === j) || (x === j && y === i));

  it('joins a chain of pairs into one cluster keyed by its first id', () => {
    const clusters = closeClusters(ids, relation([[2, 4], [0, 2]]));
    expect(Object.fromEntries(clusters)).toEqual({ a: 'a', b: 'b', c: 'a', d: 'd', e: 'a' });
  });

  it('joins through a later member', () => {
    const clusters = closeClusters(ids, relation([[1, 3], [0, 3]]));
    expect(Object.fromEntries(clusters)).toEqual({ a: 'a', b: 'a', c: 'c', d: 'a', e: 'e' });
  });

  it('joins two clusters linked by one pair', () => {
    const clusters = closeClusters(ids, relation([[0, 1], [3, 4], [1, 4]]));
    expect(new Set(clusters.values())).toEqual(new Set(['a', 'c']));
    expect(clusters.get('d')).toBe('a');
  });

  it('leaves every id alone when nothing is the same', () => {
    expect(Object.fromEntries(closeClusters(ids, () => false))).toEqual({ a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' });
  });

  it('gives the same clusters for a relation and its transitive closure', () => {
    const chain = closeClusters(ids, relation([[0, 4], [4, 2]]));
    const closed = closeClusters(ids, relation([[0, 4], [4, 2], [0, 2]]));
    expect(chain).toEqual(closed);
    expect(chain.get('e')).toBe('a');
  });
});
