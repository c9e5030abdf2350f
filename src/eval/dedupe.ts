/**
 * `newsdesk eval dedupe`: the labelled documents go through the pipeline's own
 * normalize and dedupe, on a fresh in-memory store: each site is a Source, each
 * Source is ingested and then processed by the process job, one after another
 * as in a run, so later Sources are matched against the stored index. The
 * clustering is scored against the gold labels, next to two baselines computed
 * on the same Items: exact text hash only, and word 5-gram Jaccard >= 0.5.
 */
import { sourceSchema } from '../config-sources.js';
import { makePrint } from '../dedupe/print.js';
import { prepareText } from '../dedupe/prepare.js';
import { dedupeSettings, type DedupeSettings } from '../dedupe/rules.js';
import { shingleHashes } from '../dedupe/shingles.js';
import type { Item } from '../ingest/item.js';
import { createLogger } from '../log.js';
import { openEmbedded } from '../store/embedded.js';
import { addToCounts, attachPages, type TextCounts } from '../store/text-counts.js';
import { upsertItem } from '../store/items.js';
import { migrate } from '../store/migrate.js';
import { syncSources } from '../store/sources.js';
import { processItems } from '../dedupe/process-items.js';
import type { DedupeDataset, DedupeDocument, LabelledPair } from './dedupe-dataset.js';
import { documentToItem, sourceOf } from './dedupe-items.js';
import { leaveOneSiteOut, type LosoReport } from './dedupe-loso.js';
import { closeClusters, scoreClustering, type ClusteringScore } from './dedupe-score.js';
import { EMPTY_TAXONOMY } from '../tag/taxonomy.js';

export { loadDedupeDataset } from './dedupe-dataset.js';

export interface PairOutcome extends LabelledPair {
  list: 'siblings' | 'sameSourceNoOverlap' | 'hard';
  expected: 'same' | 'different';
  predicted: 'same' | 'different';
  /** The pair is also listed as ambiguous: left out of the pairwise scores. */
  ambiguous: boolean;
}

export interface DedupeEvalReport {
  documents: number;
  items: number;
  goldClusters: number;
  newsdesk: ClusteringScore & {
    /** How many Items joined their Story by each rule. */
    rules: Record<string, number>;
    storyMerges: number;
    pendingReviews: number;
    /** The pairs queued for editors, as document ids (the first document of each Item). */
    reviewPairs: { a: string; b: string }[];
    /** The labelled siblings, sameSourceNoOverlap and hard pairs, with the verdict. */
    pairs: PairOutcome[];
  };
  baselines: { exactHash: ClusteringScore; jaccard5: ClusteringScore };
  /** Leave-one-site-out: the constants chosen on the other sites, each site scored with its fold's (dedupe-loso.ts). */
  loso: LosoReport;
  settings: DedupeSettings;
}

const silent = createLogger({ level: 'silent' });

/** Runs the documents through ingest's store writes and the process job; returns each Item's Story. */
async function clusterWithPipeline(
  documents: DedupeDocument[],
  items: Item[],
  settings: DedupeSettings,
): Promise<{ storyOf: Map<string, string>; rules: Record<string, number>; merges: number; reviews: { a: string; b: string }[]; counted: Set<string> }> {
  const db = await openEmbedded('memory://');
  try {
    await migrate(db);
    const sources = sourcesInOrder(documents);
    await syncSources(
      db,
      sources.map((source) =>
        sourceSchema.parse(
          source.kind === 'archive'
            ? { id: source.id, kind: 'archive', name: source.name, path: `eval/${source.site}`, enabled: false }
            : { id: source.id, kind: 'feed', name: source.name, url: `https://${source.site}/`, enabled: false },
        ),
      ),
    );
    const deps = { db, config: { dedupe: settings }, log: silent, taxonomy: EMPTY_TAXONOMY, jobs: { add: async () => undefined }, now: () => new Date() };
    for (const source of sources) {
      const own = items.filter((item) => item.sourceId === source.id);
      for (const item of own) await upsertItem(db, item);
      await processItems({ itemIds: own.map((item) => item.id) }, deps);
    }
    const rows = await db.query<{ itemId: string; storyId: string; rule: string }>(
      `select item_id as "itemId", story_id as "storyId", reason->>'rule' as rule from story_items`,
    );
    const [counts] = await db.query<{ merges: number }>('select count(*)::int as merges from story_merges');
    const reviews = await db.query<{ a: string; b: string }>(
      `select item_id as a, other_item_id as b from dedupe_reviews where status = 'pending' order by item_id, other_item_id`,
    );
    const rules: Record<string, number> = {};
    for (const row of rows) rules[row.rule] = (rules[row.rule] ?? 0) + 1;
    const counted = await db.query<{ itemId: string }>('select item_id as "itemId" from dedupe_prints where counted');
    return { storyOf: new Map(rows.map((row) => [row.itemId, row.storyId])), rules, merges: counts!.merges, reviews, counted: new Set(counted.map((row) => row.itemId)) };
  } finally {
    await db.close();
  }
}

/** The Sources of the documents, in the order a run reads them (each processed after the one before). */
function sourcesInOrder(documents: DedupeDocument[]) {
  return [...new Map(documents.map((doc) => [sourceOf(doc).id, sourceOf(doc)])).values()];
}

/** Jaccard of word 5-gram sets, on the same prepared text the rules read. */
function jaccardBaseline(items: Item[]): (a: number, b: number) => boolean {
  const sets = items.map((item) => new Set(shingleHashes(prepareText(item.title, item.contentText).words, 5)));
  return (a, b) => {
    const [x, y] = [sets[a]!, sets[b]!];
    let shared = 0;
    for (const hash of x) if (y.has(hash)) shared += 1;
    const union = x.size + y.size - shared;
    return union > 0 && shared / union >= 0.5;
  };
}

export async function evaluateDedupe(dataset: DedupeDataset, configured: Partial<DedupeSettings> = {}): Promise<DedupeEvalReport> {
  const settings = dedupeSettings(configured);
  const { documents, labels } = dataset;
  const itemOfDoc = documents.map((doc) => documentToItem(doc));
  // The same post on two dump pages is one Item (one id), as in a run: keep the fullest copy.
  const items = [...new Map(itemOfDoc.map((item) => [item.id, item])).values()];

  const pipeline = await clusterWithPipeline(documents, items, settings);
  const predicted = new Map(documents.map((doc, index) => [doc.id, pipeline.storyOf.get(itemOfDoc[index]!.id) ?? doc.id]));
  const score = scoreClustering(labels, predicted);
  const firstDocOf = new Map<string, string>();
  documents.forEach((doc, index) => {
    if (!firstDocOf.has(itemOfDoc[index]!.id)) firstDocOf.set(itemOfDoc[index]!.id, doc.id);
  });

  const exact = new Map(documents.map((doc, index) => [doc.id, itemOfDoc[index]!.contentHash]));
  const jaccardItems = closeClusters(items.map((item) => item.id), jaccardBaseline(items));
  const jaccard = new Map(documents.map((doc, index) => [doc.id, jaccardItems.get(itemOfDoc[index]!.id)!]));

  const labelled = [
    ...labels.siblings.map((pair) => ({ ...pair, list: 'siblings' as const, expected: 'different' as const })),
    ...labels.sameSourceNoOverlap.map((pair) => ({ ...pair, list: 'sameSourceNoOverlap' as const, expected: 'different' as const })),
    ...labels.hard.map((pair) => ({ ...pair, list: 'hard' as const, expected: pair.expected })),
  ];
  // The prints in the order the pipeline processed them: Source after Source, each with the text counts it was
  // compared with (the pages of the Stories the pipeline started before it: site furniture).
  const counts: TextCounts = new Map();
  const prints = sourcesInOrder(documents).flatMap((source) => {
    const own = items.filter((item) => item.sourceId === source.id).map((item) => makePrint(item, settings));
    attachPages(own, counts);
    for (const print of own) print.counted = pipeline.counted.has(print.itemId);
    addToCounts(counts, own.filter((print) => print.counted));
    return own;
  });
  const loso = leaveOneSiteOut(
    documents.map((doc, index) => ({ id: doc.id, site: doc.site, itemId: itemOfDoc[index]!.id })),
    prints,
    labels,
    settings,
  );

  return {
    documents: documents.length,
    items: items.length,
    goldClusters: labels.clusters.length,
    newsdesk: {
      ...score,
      rules: pipeline.rules,
      storyMerges: pipeline.merges,
      pendingReviews: pipeline.reviews.length,
      reviewPairs: pipeline.reviews.map(({ a, b }) => ({ a: firstDocOf.get(a) ?? a, b: firstDocOf.get(b) ?? b })),
      pairs: labelled.map((pair) => ({
        ...pair,
        predicted: predicted.get(pair.a) === predicted.get(pair.b) ? 'same' : 'different',
        ambiguous: labels.ambiguous.some((amb) => (amb.a === pair.a && amb.b === pair.b) || (amb.a === pair.b && amb.b === pair.a)),
      })),
    },
    baselines: { exactHash: scoreClustering(labels, exact), jaccard5: scoreClustering(labels, jaccard) },
    loso,
    settings,
  };
}
