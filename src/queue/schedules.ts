/**
 * Adapter: BullMQ job schedulers from the config. One per enabled Source,
 * firing its ingest every `everyMinutes` (or `schedule.ingestEveryMinutes`);
 * the ingest handler itself skips a Source that asked to be read later
 * (Retry-After, ttl) or is backing off. Syncing again after a config change
 * updates intervals and removes the schedulers of Sources no longer there.
 */
import type { Config } from '../config.js';
import { JOB_OPTIONS, type BullJobs } from './bullmq.js';

const PREFIX = 'ingest-source-';

export function ingestSchedulerId(sourceId: string): string {
  return `${PREFIX}${sourceId}`;
}

export interface SchedulerSync {
  /** Scheduler id -> minutes between runs. */
  scheduled: Record<string, number>;
  removed: string[];
}

export async function syncSchedulers(jobs: BullJobs, config: Pick<Config, 'sources' | 'schedule'>): Promise<SchedulerSync> {
  const queue = jobs.queue('ingest');
  const scheduled: SchedulerSync['scheduled'] = {};
  for (const source of config.sources) {
    if (!source.enabled) continue;
    const minutes = source.everyMinutes ?? config.schedule.ingestEveryMinutes;
    const id = ingestSchedulerId(source.id);
    await queue.upsertJobScheduler(id, { every: minutes * 60_000 }, { name: 'ingest', data: { sourceId: source.id, whenDue: true }, opts: JOB_OPTIONS });
    scheduled[id] = minutes;
  }
  const removed: string[] = [];
  for (const existing of await queue.getJobSchedulers()) {
    if (existing.key.startsWith(PREFIX) && !(existing.key in scheduled)) {
      await queue.removeJobScheduler(existing.key);
      removed.push(existing.key);
    }
  }
  return { scheduled, removed };
}
