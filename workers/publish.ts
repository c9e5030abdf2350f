/**
 * publish job: the Stories in the store become the Feeds, the Story pages and
 * the sent Editions' pages, unless a later publish already covered the change
 * (src/publish/publish-feeds.ts).
 */
import { publishFeeds } from '../src/publish/publish-feeds.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import type { PublishResult } from '../src/queue/results.js';

export function publishJob(payload: JobPayloads['publish'], deps: JobDeps): Promise<PublishResult> {
  return publishFeeds(payload, deps);
}
