/**
 * A change to what the Feeds show (Stories stored and tagged, an Edition going
 * out) is counted once it is stored (src/store/publish-marks.ts) and followed by
 * a publish job of its own: a process job finishing while a publish runs, or
 * after it, is always followed by one that reads it. They coalesce: each waits
 * a moment before it runs, the first renders everything stored by then, and the
 * others find their change published and write nothing (src/publish/publish-feeds.ts).
 */
import { jobIds, type JobSink } from '../queue/jobs.js';
import type { Queryable } from '../store/db.js';
import { markChanged } from '../store/publish-marks.js';

/** How long a publish waits after the change it follows, so that a burst of changes is one render. */
export const PUBLISH_DEBOUNCE_MS = 2_000;

/** Call after the change is committed; returns its count. */
export async function queuePublish(db: Queryable, jobs: JobSink): Promise<number> {
  const { change, series } = await markChanged(db);
  await jobs.add('publish', { change }, { jobId: jobIds.publish(series, change), debounceMs: PUBLISH_DEBOUNCE_MS });
  return change;
}
