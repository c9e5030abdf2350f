/**
 * `newsdesk eval tags --tune-vectors`: whether word vectors help the rule
 * tagger, with their constants (topic-vectors.ts) chosen by leave-one-site-out:
 * for each site, the setting that scores best on the other sites' Stories is
 * chosen, and the site's Stories are scored with it. A Story is held out with
 * every site its members come from (never on both sides) and scored in the
 * fold of its first member's site. The dev figure (the best setting scored on
 * every Story) is reported beside it: far above the held-out one means the
 * constants fit these Stories.
 *
 * Two stages, each a small grid: close words (closeFrom, closeWeight, closeMinRank, closeMinWeight), then,
 * with the close words each fold chose, prototypes (aboutFrom, aboutWeight).
 * A setting's rule tags do not depend on the fold, so each is tagged once.
 */
import { tagStory } from '../tag/tag.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { VECTOR_SETTINGS, withWordVectors, type VectorSettings } from '../tag/topic-vectors.js';
import type { WordVectors } from '../tag/vectors.js';
import { loadDedupeDataset } from './dedupe-dataset.js';
import type { TagDataset } from './tags.js';
import { scoreTagging } from './tags-score.js';

export interface VectorGrid {
  closeFrom: readonly number[];
  closeWeight: readonly number[];
  closeMinRank: readonly number[];
  closeMinWeight: readonly number[];
  aboutFrom: readonly number[];
  aboutWeight: readonly number[];
}

export const VECTOR_GRID: VectorGrid = {
  closeFrom: [0.6, 0.65, 0.7, 0.75, 0.8],
  // 0: close words off.
  closeWeight: [0, 0.25, 0.5, 0.75, 1],
  closeMinRank: [0, 2500],
  closeMinWeight: [0, 2, 3],
  aboutFrom: [0, 0.02, 0.04, 0.06],
  // 0: prototypes off.
  aboutWeight: [0, 1, 2, 4, 8],
};

export interface VectorFold {
  site: string;
  stories: number;
  chosen: VectorSettings;
}

export interface Figures {
  microF1: number;
  macroF1: number;
}

export interface VectorTuneReport {
  sites: number;
  /** Rules alone without vectors. */
  without: Figures;
  /** Each site's Stories scored with the setting chosen on the other sites': both stages. */
  leaveOneSiteOut: Figures;
  /** The same with close words alone (the first stage's choice). */
  leaveOneSiteOutCloseOnly: Figures;
  /** The setting best on all Stories, and its figures (optimistic). */
  dev: Figures & { settings: VectorSettings };
  /** The settings in use (VECTOR_SETTINGS) on all Stories. */
  shipped: Figures & { settings: VectorSettings };
  folds: VectorFold[];
}

const key = (s: VectorSettings) => `${s.closeFrom}/${s.closeWeight}/${s.closeMinRank}/${s.closeMinWeight}/${s.aboutFrom}/${s.aboutWeight}`;

/** The sites of each labelled Story's members, first member's site first. */
async function storySites(dataset: TagDataset): Promise<Map<string, string[]>> {
  const { documents, labels } = await loadDedupeDataset(dataset.dir);
  const site = new Map(documents.map((d) => [d.id, d.site]));
  const sites = new Map<string, string[]>();
  for (const cluster of labels.clusters) sites.set(cluster[0]!, [...new Set(cluster.map((id) => site.get(id)!))]);
  return sites;
}

export async function tuneVectors(dataset: TagDataset, taxonomy: Taxonomy, words: WordVectors, grid: VectorGrid = VECTOR_GRID): Promise<VectorTuneReport> {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const sites = await storySites(dataset);
  const stories = dataset.stories;
  const predictions = new Map<string, Map<string, string[]>>();
  const predict = (settings: VectorSettings | null): Map<string, string[]> => {
    const id = settings === null ? 'none' : key(settings);
    let tags = predictions.get(id);
    if (tags === undefined) {
      const tagged = settings === null ? taxonomy : withWordVectors(taxonomy, words, settings);
      tags = new Map(stories.map((s) => [s.key, tagStory(s.document, tagged, null).topics.map((t) => t.slug)]));
      predictions.set(id, tags);
    }
    return tags;
  };
  const figures = (settings: VectorSettings | null, keys: string[]): Figures => {
    const gold = new Map(stories.filter((s) => keys.includes(s.key)).map((s) => [s.key, s.topics]));
    const { microF1, macroF1 } = scoreTagging(gold, predict(settings), slugs);
    return { microF1, macroF1 };
  };
  // Micro and macro F1 alike; ties go to the first setting in grid order.
  const best = (candidates: VectorSettings[], keys: string[]): VectorSettings => {
    let chosen = candidates[0]!;
    let top = -1;
    for (const settings of candidates) {
      const { microF1, macroF1 } = figures(settings, keys);
      if (microF1 + macroF1 > top + 1e-9) [chosen, top] = [settings, microF1 + macroF1];
    }
    return chosen;
  };
  const closeGrid = grid.closeFrom.flatMap((closeFrom) =>
    grid.closeWeight.flatMap((closeWeight) =>
      grid.closeMinRank.flatMap((closeMinRank) => grid.closeMinWeight.map((closeMinWeight) => ({ closeFrom, closeWeight, closeMinRank, closeMinWeight, aboutFrom: 0, aboutWeight: 0 }))),
    ),
  );
  const aboutGrid = (close: VectorSettings) => grid.aboutWeight.flatMap((aboutWeight) => grid.aboutFrom.map((aboutFrom) => ({ ...close, aboutFrom, aboutWeight })));
  const choose = (keys: string[]) => best(aboutGrid(best(closeGrid, keys)), keys);

  const siteNames = [...new Set(stories.map((s) => sites.get(s.key)![0]!))].sort();
  const held = new Map<string, string[]>();
  const heldCloseOnly = new Map<string, string[]>();
  const folds = siteNames.map((site): VectorFold => {
    const training = stories.filter((s) => !sites.get(s.key)!.includes(site)).map((s) => s.key);
    const scored = stories.filter((s) => sites.get(s.key)![0] === site);
    const chosen = choose(training);
    const tags = predict(chosen);
    const closeOnly = predict(best(closeGrid, training));
    for (const s of scored) held.set(s.key, tags.get(s.key)!);
    for (const s of scored) heldCloseOnly.set(s.key, closeOnly.get(s.key)!);
    return { site, stories: scored.length, chosen };
  });
  const all = stories.map((s) => s.key);
  const gold = new Map(stories.map((s) => [s.key, s.topics]));
  const loso = scoreTagging(gold, held, slugs);
  const losoCloseOnly = scoreTagging(gold, heldCloseOnly, slugs);
  const devSettings = choose(all);
  return {
    sites: siteNames.length,
    without: figures(null, all),
    leaveOneSiteOut: { microF1: loso.microF1, macroF1: loso.macroF1 },
    leaveOneSiteOutCloseOnly: { microF1: losoCloseOnly.microF1, macroF1: losoCloseOnly.macroF1 },
    dev: { ...figures(devSettings, all), settings: devSettings },
    shipped: { ...figures(VECTOR_SETTINGS, all), settings: VECTOR_SETTINGS },
    folds,
  };
}

export function formatVectorTune(report: VectorTuneReport): string {
  const f = (x: Figures) => `micro F1 ${x.microF1.toFixed(4)}, macro F1 ${x.macroF1.toFixed(4)}`;
  const s = (x: VectorSettings) => `closeFrom ${x.closeFrom}, closeWeight ${x.closeWeight}, closeMinRank ${x.closeMinRank}, closeMinWeight ${x.closeMinWeight}, aboutFrom ${x.aboutFrom}, aboutWeight ${x.aboutWeight}`;
  return [
    `rules alone, word vectors' constants by leave-one-site-out (${report.sites} sites)`,
    `  without vectors:        ${f(report.without)}`,
    `  leave-one-site-out:     ${f(report.leaveOneSiteOut)}  (close words alone: ${f(report.leaveOneSiteOutCloseOnly)})`,
    `  dev (best on all):      ${f(report.dev)}  (${s(report.dev.settings)})`,
    `  shipped settings:       ${f(report.shipped)}  (${s(report.shipped.settings)})`,
    '  chosen per held-out site:',
    ...report.folds.map((fold) => `    ${fold.site} (${fold.stories} Stories): ${s(fold.chosen)}`),
  ].join('\n');
}
