/**
 * Processing Items into Stories (the process job's service; eval and the
 * tests call it too): new Items are deduped into Stories (new, joined or merged), the
 * Stories they touched are tagged, then the Feeds are queued for publishing.
 *
 *   Items in no Story yet -> prints (text prepared, shingled, fingerprinted)
 *   -> candidates from the shared index
 *   under the dedupe lock: prints stored meanwhile, Stories now -> decision rules
 *     -> Stories, merges, pairs for editors, series links, prints into the index
 *   -> paragraphs of the new Stories into the text counts (site furniture)
 *   -> representative and roles of every Story that changed
 *   -> Topics of every Story that changed (of every Story, when the taxonomy or model changed)
 *   -> the change counted, and a publish queued for it (src/publish/changes.ts)
 */
import { assignBatch } from './cluster.js';
import { makePrint } from './print.js';
import { dedupeSettings, type DedupeSettings } from './rules.js';
import { queuePublish } from '../publish/changes.js';
import type { JobDeps, JobPayloads } from '../queue/jobs.js';
import type { ProcessResult } from '../queue/results.js';
import { stageClock } from '../queue/stages.js';
import { catchUp, lookupCandidates } from '../store/dedupe-index.js';
import { replacePrint, savePrints } from '../store/dedupe-prints.js';
import { apartDecisions } from '../store/dedupe-decisions.js';
import { countPages } from '../store/text-counts.js';
import { retagIfStale, tagStories } from '../tag/tag-stories.js';
import { idsWithoutStory, itemsWithChangedText, itemsWithoutStory, lockDedupe, refreshProvenance, saveBatch } from '../store/stories.js';

/** What this handler uses of the job dependencies (the eval runs it with no more than this). */
export type ProcessDeps = Pick<JobDeps, 'db' | 'log' | 'jobs' | 'now' | 'taxonomy'> & { config: Pick<JobDeps['config'], 'dedupe'> };

/** Rules whose Items carry the text of one already indexed (a page at the same address may have changed: it is indexed). */
const COPY_RULES = new Set(['exact-text', 'near-copy']);

export async function processItems({ itemIds }: JobPayloads['process'], deps: ProcessDeps): Promise<ProcessResult> {
  const log = deps.log.child({ job: 'process', items: itemIds.length });
  const settings = dedupeSettings(deps.config.dedupe);
  const clock = stageClock();

  const outcome = await clock.time('dedupe', () => dedupe(itemIds, deps, settings));

  // Outside the dedupe lock: tagging reads only what is stored, and a Story tagged twice is tagged the same.
  const touched = outcome ? [...new Set([...outcome.batch.assignments.map((a) => a.storyId), ...outcome.batch.merges.map((m) => m.into)])] : [];
  const tagged = await clock.time('tag', async () => {
    const retagged = await retagIfStale(deps.db, deps.taxonomy);
    return retagged > 0 ? retagged : tagStories(deps.db, deps.taxonomy, touched);
  });
  // Counted and queued even when nothing changed: a retry after an outage may find its first attempt's Stories stored.
  await clock.time('queue', () => queuePublish(deps.db, deps.jobs));

  const { batch, storiesCreated } = outcome ?? { batch: { assignments: [], merges: [], reviews: [] }, storiesCreated: 0 };
  const result: ProcessResult = {
    items: itemIds.length,
    assigned: batch.assignments.length,
    storiesCreated,
    joined: batch.assignments.filter((a) => a.createdStory === null).length,
    merges: batch.merges.length,
    reviews: batch.reviews.length,
    tagged,
    stageMs: clock.times,
  };
  log.info(result, 'processed');
  return result;
}

/** The Items not in a Story yet into Stories, and the changed texts' prints replaced; null when there were neither. */
async function dedupe(itemIds: string[], deps: ProcessDeps, settings: DedupeSettings) {
  // Prints are made before taking the lock: preparing text is the costly part and needs no one else.
  const prints = (await itemsWithoutStory(deps.db, itemIds)).map((item) => makePrint(item, settings));
  const changed = (await itemsWithChangedText(deps.db, itemIds)).map((item) => makePrint(item, settings));
  // The index as it is now, read without the lock (the costly part of the lookup); brought up to date under it.
  const seen = await lookupCandidates(deps.db, prints, settings);

  const outcome = prints.length === 0 && changed.length === 0 ? null : await deps.db.transaction(async (tx) => {
    await lockDedupe(tx);
    // Another worker may have taken some of these Items while this one waited for the lock.
    const still = await idsWithoutStory(tx, prints.map((print) => print.itemId));
    const fresh = prints.filter((print) => still.has(print.itemId));

    const lookup = await catchUp(tx, seen, fresh, settings);
    const apart = await apartDecisions(tx, [...new Set([...lookup.stored.values()].map((stored) => stored.storyId))]);
    const batch = assignBatch({ items: fresh, ...lookup, ...apart }, settings);

    const { storiesCreated } = await saveBatch(tx, batch);
    // A near or exact copy adds no text to the index: the fingerprints of what it copies find both.
    const unindexed = new Set(batch.assignments.filter((a) => COPY_RULES.has(a.reason.rule)).map((a) => a.itemId));
    await savePrints(tx, fresh, { unindexed, stock: lookup.stock });
    for (const print of changed) await replacePrint(tx, print);
    await refreshProvenance(tx, [...new Set(batch.assignments.filter((a) => a.createdStory === null).map((a) => a.storyId).concat(batch.merges.map((m) => m.into)))]);
    return { batch, storiesCreated, fresh };
  });

  // The text counts count pieces of journalism (an Item that joined a Story brings none). Added after the
  // dedupe lock is released, so other workers' batches do not wait on them (countPages is idempotent).
  if (outcome) {
    const started = new Set(outcome.batch.assignments.filter((a) => a.reason.rule === 'first-seen').map((a) => a.itemId));
    await deps.db.transaction((tx) => countPages(tx, outcome.fresh.filter((print) => started.has(print.itemId))));
  }
  return outcome;
}
