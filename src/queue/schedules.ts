/**
 * Adapter: BullMQ job schedulers from the config. One per enabled Source,
 * firing its ingest every `everyMinutes` (or `schedule.ingestEveryMinutes`);
 * the ingest handler itself skips a Source that asked to be read later
 * (Retry-After, ttl) or is backing off. Syncing again after a config change
 * updates intervals and removes the schedulers of Sources no longer there.
 * One more fires the weekly compose at the configured weekday and local time,
 * in the configured time zone (BullMQ's cron follows its daylight-saving changes),
 * and one a minute starts sending the approved Editions whose send time has come.
 */
import type { Config } from '../config.js';
import { composeCron } from '../week.js';
import { JOB_OPTIONS, type BullJobs } from './bullmq.js';

export const COMPOSE_SCHEDULER = 'compose-weekly';
export const SEND_DUE_SCHEDULER = 'send-due';

/** How often the workers look for approved Editions whose send time has come. */
const SEND_DUE_EVERY_MS = 60_000;

const PREFIX = 'ingest-source-';

export function ingestSchedulerId(sourceId: string): string {
  return `${PREFIX}${sourceId}`;
}

export interface SchedulerSync {
  /** Scheduler id -> minutes between runs. */
  scheduled: Record<string, number>;
  removed: string[];
  /** The weekly compose: cron pattern and time zone. */
  compose: { pattern: string; tz: string };
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
  const compose = { pattern: composeCron(config.schedule.compose), tz: config.schedule.compose.timezone };
  // No week in the payload: the handler composes the week whose compose moment has just passed.
  await jobs.queue('compose').upsertJobScheduler(COMPOSE_SCHEDULER, compose, { name: 'compose', data: {}, opts: JOB_OPTIONS });
  // Approved Editions go out at their send time: a tick a minute starts the ones that are due.
  await jobs.queue('send').upsertJobScheduler(SEND_DUE_SCHEDULER, { every: SEND_DUE_EVERY_MS }, { name: 'send', data: { due: true }, opts: JOB_OPTIONS });
  return { scheduled, removed, compose };
}
