/**
 * Ingesting one Source (the ingest job's service, workers/ingest.ts): read one
 * Source (archive folder, feed, feed file or WordPress export), store its Items
 * with their Appearances, record how the fetch went, and queue the changed
 * Items for processing. A bad page or a failing feed is recorded; it never
 * stops the other Sources.
 */
import { errorMessage, NewsdeskError } from '../errors.js';
import { healthAfterFetch } from './fetch/health.js';
import { readArchiveSource } from './read-archive.js';
import { readFeedSource } from './read-feed.js';
import { readFeedFile, readWordpressExport } from './read-file.js';
import type { SourceContent } from './source-content.js';
import type { JobDeps, JobPayloads } from '../queue/jobs.js';
import type { IngestResult } from '../queue/results.js';
import { stageClock } from '../queue/stages.js';
import { PACE_WINDOW_DAYS, pacedMinutes } from './fetch/pace.js';
import { countPostsSince, upsertAppearances, upsertItems } from '../store/items.js';
import { getSource, recordDiskRead, recordFetch, recordProblems } from '../store/sources.js';
import type { SourceRow } from './source.js';
import { idsWithoutStory } from '../store/stories.js';

export async function ingestSource({ sourceId, whenDue }: JobPayloads['ingest'], deps: JobDeps): Promise<IngestResult> {
  const log = deps.log.child({ job: 'ingest', sourceId });
  const clock = stageClock();

  const source = await getSource(deps.db, sourceId);
  if (!source) throw new NewsdeskError('not_found', `ingest: unknown Source "${sourceId}" (not in the store; is it in the config?)`, { permanent: true });
  // A scheduler fires on its interval; the publisher's Retry-After or ttl, or a backoff, may ask for longer.
  if (whenDue && source.nextFetchAt && source.nextFetchAt > deps.now()) {
    log.info({ nextFetchAt: source.nextFetchAt }, 'not due');
    const none = { sourceId, documents: 0, items: { new: 0, updated: 0, unchanged: 0 }, appearances: { new: 0, total: 0 }, fetchStatus: null, problems: [], stageMs: {} };
    return { ...none, notDueUntil: source.nextFetchAt.toISOString() };
  }

  let content: SourceContent;
  const readStarted = performance.now();
  try {
    content = await readSource(source, deps);
    // A feed is fetched, then parsed; an archive, a file or an export is read from disk, which is parsing.
    const readMs = performance.now() - readStarted;
    clock.add('parse', content.parseMs ?? readMs);
    if (content.parseMs !== undefined) clock.add('fetch', readMs - content.parseMs);
  } catch (error) {
    // A feed's failures are fetches, classified and recorded; a disk Source that cannot be read at all is recorded here.
    if (source.kind !== 'feed') await recordDiskRead(deps.db, source.id, { error: errorMessage(error) }, deps.now());
    throw error;
  }
  for (const problem of content.problems) log.warn({ where: problem.where }, problem.message);

  const outcome: IngestResult['items'] = { new: 0, updated: 0, unchanged: 0 };
  const changed: string[] = [];
  let newAppearances = 0;
  await clock.time('store', () => deps.db.transaction(async (tx) => {
    for (const [id, result] of await upsertItems(tx, content.items)) {
      outcome[result] += 1;
      if (result !== 'unchanged') changed.push(id);
    }
    newAppearances = await upsertAppearances(tx, content.appearances);
    if (content.fetch) {
      const now = deps.now();
      // After a success the next read follows the Source's posting rate (the Items just stored count).
      const posts = await countPostsSince(tx, source.id, new Date(now.getTime() - PACE_WINDOW_DAYS * 86_400_000));
      const everyMinutes = Number(source.settings.everyMinutes ?? deps.config.schedule.ingestEveryMinutes);
      const health = healthAfterFetch(source, content.fetch, now, {
        everyMinutes,
        pacedMinutes: pacedMinutes(posts, { everyMinutes, maxIdleMinutes: deps.config.schedule.maxIdleMinutes }),
        maxBackoffMinutes: deps.config.fetch.maxBackoffMinutes,
      });
      await recordFetch(tx, source.id, content.fetch, health, now);
      await recordProblems(tx, source.id, content.problems.length);
    } else if (source.kind !== 'feed') {
      await recordDiskRead(tx, source.id, { problems: content.problems }, deps.now());
    }
  }));

  // Also the Items stored by an earlier try of this job that never reached process: a worker killed
  // between storing them and queueing the process job leaves them unchanged now, but in no Story.
  const waiting = await clock.time('store', () => idsWithoutStory(deps.db, content.items.map((item) => item.id)));
  const toProcess = [...new Set([...changed, ...waiting])];
  if (toProcess.length > 0) await clock.time('queue', () => deps.jobs.add('process', { itemIds: toProcess }));

  log.info({ documents: content.documents, items: outcome, newAppearances, fetch: content.fetch?.status }, 'ingested');
  return {
    sourceId,
    documents: content.documents,
    items: outcome,
    appearances: { new: newAppearances, total: content.appearances.length },
    fetchStatus: content.fetch?.status ?? null,
    problems: content.problems,
    stageMs: clock.times,
  };
}

function readSource(source: SourceRow, deps: JobDeps): Promise<SourceContent> {
  switch (source.kind) {
    case 'archive':
      return readArchiveSource(source, { outletAliases: deps.config.outlets.aliases });
    case 'feed':
      return readFeedSource(source, deps.config, deps.politeness);
    case 'file':
      return readFeedFile(source, deps.config.outlets.aliases);
    case 'wordpress-export':
      return readWordpressExport(source, deps.config.outlets.aliases);
    default:
      throw new NewsdeskError('source_invalid', `ingest: Source "${source.id}" has unknown kind "${source.kind}"`, { permanent: true });
  }
}
