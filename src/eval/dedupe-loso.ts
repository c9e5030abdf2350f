/**
 * Leave-one-site-out for `eval dedupe`: how the rules do on a site whose pages
 * the constants were not chosen on. For each site, the constants are chosen
 * by a small grid on the other sites' documents alone, then the site's pairs
 * are scored with them. A dev figure far above this one means the constants
 * fit the pages at hand.
 *
 * - Fast: the prints (and the candidates they find) do not depend on the
 *   thresholds, so they are made once; the clustering (assignBatch, pure) is
 *   replayed in memory per setting, with each pair's verdict computed once
 *   per setting for all folds.
 * - Choosing: lexicographic, on the training pairs: pairwise F1 of the merged
 *   pairs first; then F1 counting the pairs queued for editors as found
 *   (reviewFrom moves only the queue); among settings that tie, the middle of
 *   the plateau (each constant's middle tied value), not its edge. Stage 1 chooses containment and
 *   reviewFrom; stage 2, with those, factConflicts, rewriteSkeleton and
 *   furniturePages. Each print carries the text counts the pipeline compared
 *   it with (eval/dedupe.ts), so site furniture is judged as in a run.
 * - Scoring: the held-out site's documents are clustered together with all the
 *   others (as they would arrive in a store holding them), with the fold's
 *   constants. A pair within the site counts in its fold; a pair between two
 *   sites is held out in both folds and counts half in each, so every pair
 *   counts once in the totals. A mustNotMerge pair counts as merged when either
 *   of its folds merges it.
 */
import { assignBatch } from '../dedupe/cluster.js';
import type { DedupePrint } from '../dedupe/print.js';
import { comparePrints, type DedupeSettings, type PairVerdict } from '../dedupe/rules.js';
import type { DedupeLabels } from './dedupe-dataset.js';

/** The constants chosen per fold, and the values tried. */
export const LOSO_GRID = {
  containment: [0.18, 0.21, 0.24, 0.27, 0.3, 0.33, 0.36, 0.4],
  reviewFrom: [0.1, 0.12, 0.15, 0.18],
  factConflicts: [1.5, 2, 3],
  rewriteSkeleton: [0.2, 0.3, 0.4, 0.5],
  furniturePages: [2, 3, 5],
} as const;

type Tuned = keyof typeof LOSO_GRID;

export interface LosoFold {
  site: string;
  documents: number;
  chosen: Pick<DedupeSettings, Tuned>;
}

export interface LosoReport {
  sites: number;
  pairwise: { precision: number; recall: number; f1: number; truePairs: number; predictedPairs: number; goldPairs: number };
  mustNotMergeViolations: number;
  /** Per constant: the values the folds chose, with how many folds chose each. */
  spread: Record<Tuned, Record<string, number>>;
  folds: LosoFold[];
  /** The same in-memory replay with the shipped settings on every document: should equal the pipeline's figure. */
  replayAtDefaults: { precision: number; recall: number; f1: number };
}

/** One document as the LOSO sees it: its Item's print (shared by documents of one Item), site and gold cluster. */
export interface LosoDocument {
  id: string;
  site: string;
  itemId: string;
}

interface Counts {
  truePairs: number;
  predictedPairs: number;
  goldPairs: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

function rates(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.predictedPairs === 0 ? 1 : c.truePairs / c.predictedPairs;
  const recall = c.goldPairs === 0 ? 1 : c.truePairs / c.goldPairs;
  return { precision, recall, f1: f1(precision, recall) };
}

/** Gold cluster of each document, and the pairs of clusters left out of scoring (ambiguous). */
function goldOf(labels: DedupeLabels): { cluster: Map<string, number>; excluded: Set<string> } {
  const cluster = new Map<string, number>();
  labels.clusters.forEach((ids, index) => ids.forEach((id) => cluster.set(id, index)));
  const excluded = new Set<string>();
  for (const pair of labels.ambiguous) {
    const [a, b] = [cluster.get(pair.a)!, cluster.get(pair.b)!];
    if (a !== b) excluded.add(`${Math.min(a, b)}|${Math.max(a, b)}`);
  }
  return { cluster, excluded };
}

/** Replays the clustering of `prints` (in order) under `settings`; each Item's Story, and the Item pairs queued for editors. */
function replay(prints: DedupePrint[], settings: DedupeSettings, compare: typeof comparePrints): { story: Map<string, string>; queued: [string, string][] } {
  const result = assignBatch(
    { items: prints, stored: new Map(), candidates: new Map(), storyCreated: new Map(), apart: [], membership: new Map() },
    settings,
    compare,
  );
  const story = new Map(result.assignments.map((a) => [a.itemId, a.storyId]));
  const queued = result.reviews.filter((r) => r.kind === 'uncertain').map((r): [string, string] => [r.itemId, r.otherItemId]);
  return { story, queued };
}

export function leaveOneSiteOut(
  documents: LosoDocument[],
  prints: DedupePrint[],
  labels: DedupeLabels,
  shipped: DedupeSettings,
): LosoReport {
  const gold = goldOf(labels);
  const sites = [...new Set(documents.map((doc) => doc.site))].sort();
  // Each pair's verdict once per setting, shared by every fold and stage.
  const verdicts = new Map<string, Map<string, PairVerdict>>();
  const compareFor = (key: string) => {
    let cache = verdicts.get(key);
    if (!cache) verdicts.set(key, (cache = new Map()));
    return (a: DedupePrint, b: DedupePrint, settings: DedupeSettings): PairVerdict => {
      const pair = `${a.itemId}\u0000${b.itemId}`;
      let verdict = cache.get(pair);
      if (!verdict) cache.set(pair, (verdict = comparePrints(a, b, settings)));
      return verdict;
    };
  };
  const keyOf = (settings: DedupeSettings) => (Object.keys(LOSO_GRID) as Tuned[]).map((name) => settings[name]).join('/');

  /** Weighted pair counts over document pairs, merged (and merged-or-queued). */
  const count = (story: Map<string, string>, queued: [string, string][], weight: (a: LosoDocument, b: LosoDocument) => number) => {
    const queuedSet = new Set(queued.map(([a, b]) => (a < b ? `${a}|${b}` : `${b}|${a}`)));
    const merged: Counts = { truePairs: 0, predictedPairs: 0, goldPairs: 0 };
    const withQueue: Counts = { truePairs: 0, predictedPairs: 0, goldPairs: 0 };
    for (let i = 0; i < documents.length; i += 1) {
      for (let j = i + 1; j < documents.length; j += 1) {
        const [a, b] = [documents[i]!, documents[j]!];
        const w = weight(a, b);
        if (w === 0) continue;
        const [ga, gb] = [gold.cluster.get(a.id)!, gold.cluster.get(b.id)!];
        if (gold.excluded.has(`${Math.min(ga, gb)}|${Math.max(ga, gb)}`)) continue;
        const same = ga === gb;
        const [sa, sb] = [story.get(a.itemId), story.get(b.itemId)];
        const together = sa !== undefined && sa === sb;
        const asked = together || queuedSet.has(a.itemId < b.itemId ? `${a.itemId}|${b.itemId}` : `${b.itemId}|${a.itemId}`);
        for (const [counts, positive] of [[merged, together], [withQueue, asked]] as const) {
          if (same) counts.goldPairs += w;
          if (positive) counts.predictedPairs += w;
          if (same && positive) counts.truePairs += w;
        }
      }
    }
    return { merged, withQueue };
  };

  /** The grid point chosen on the documents outside `site`, over the names in `stage`, from `base`. */
  const choose = (site: string, base: DedupeSettings, stage: Tuned[]): DedupeSettings => {
    const training = prints.filter((print) => documents.some((doc) => doc.itemId === print.itemId && doc.site !== site));
    const points: DedupeSettings[] = [];
    const expand = (at: number, settings: DedupeSettings) => {
      if (at === stage.length) return void points.push(settings);
      for (const value of LOSO_GRID[stage[at]!]) expand(at + 1, { ...settings, [stage[at]!]: value });
    };
    expand(0, base);
    const scored = points
      .filter((settings) => settings.reviewFrom <= settings.containment)
      .map((settings) => {
        const { story, queued } = replay(training, settings, compareFor(keyOf(settings)));
        const { merged, withQueue } = count(story, queued, (a, b) => (a.site !== site && b.site !== site ? 1 : 0));
        return { settings, merged: round(rates(merged).f1), withQueue: round(rates(withQueue).f1) };
      });
    const best = scored.reduce((top, s) => (s.merged > top.merged || (s.merged === top.merged && s.withQueue > top.withQueue) ? s : top));
    const tied = scored.filter((s) => s.merged === best.merged && s.withQueue === best.withQueue).map((s) => s.settings);
    // The middle of the plateau: each constant's middle tied value (the lower of two), else the tied point nearest it.
    const middle = Object.fromEntries(stage.map((name) => {
      const values = [...new Set(tied.map((settings) => settings[name]))].sort((x, y) => x - y);
      return [name, values[Math.floor((values.length - 1) / 2)]!];
    }));
    const distance = (settings: DedupeSettings) =>
      stage.reduce((sum, name) => sum + Math.abs(LOSO_GRID[name].indexOf(settings[name] as never) - LOSO_GRID[name].indexOf(middle[name] as never)), 0);
    return tied.reduce((near, settings) => (distance(settings) < distance(near) ? settings : near));
  };

  const total = { merged: { truePairs: 0, predictedPairs: 0, goldPairs: 0 } as Counts };
  const mergedIn = new Map<string, boolean>();
  const folds: LosoFold[] = [];
  for (const site of sites) {
    const stage1 = choose(site, shipped, ['containment', 'reviewFrom']);
    const chosen = choose(site, stage1, ['factConflicts', 'rewriteSkeleton', 'furniturePages']);
    const { story, queued } = replay(prints, chosen, compareFor(keyOf(chosen)));
    const inFold = (a: LosoDocument, b: LosoDocument) => (a.site === site && b.site === site ? 1 : a.site === site || b.site === site ? 0.5 : 0);
    const { merged } = count(story, queued, inFold);
    total.merged.truePairs += merged.truePairs;
    total.merged.predictedPairs += merged.predictedPairs;
    total.merged.goldPairs += merged.goldPairs;
    const siteOf = new Map(documents.map((doc) => [doc.id, doc]));
    for (const pair of labels.mustNotMerge) {
      const [a, b] = [siteOf.get(pair.a)!, siteOf.get(pair.b)!];
      if (a.site !== site && b.site !== site) continue;
      const key = `${pair.a}|${pair.b}`;
      mergedIn.set(key, (mergedIn.get(key) ?? false) || story.get(a.itemId) === story.get(b.itemId));
    }
    folds.push({
      site,
      documents: documents.filter((doc) => doc.site === site).length,
      chosen: Object.fromEntries((Object.keys(LOSO_GRID) as Tuned[]).map((name) => [name, chosen[name]])) as LosoFold['chosen'],
    });
  }

  const spread = Object.fromEntries((Object.keys(LOSO_GRID) as Tuned[]).map((name) => {
    const counts: Record<string, number> = {};
    for (const fold of folds) counts[String(fold.chosen[name])] = (counts[String(fold.chosen[name])] ?? 0) + 1;
    return [name, counts];
  })) as LosoReport['spread'];
  const atDefaults = replay(prints, shipped, compareFor(keyOf(shipped)));
  const r = rates(total.merged);
  const d = rates(count(atDefaults.story, atDefaults.queued, () => 1).merged);
  return {
    sites: sites.length,
    pairwise: { precision: round(r.precision), recall: round(r.recall), f1: round(r.f1), ...total.merged },
    mustNotMergeViolations: [...mergedIn.values()].filter(Boolean).length,
    spread,
    folds,
    replayAtDefaults: { precision: round(d.precision), recall: round(d.recall), f1: round(d.f1) },
  };
}
