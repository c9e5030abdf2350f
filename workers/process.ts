/**
 * process job: Items that belong to no Story yet are deduped into Stories
 * (new or joined), then the Feeds are queued for publishing.
 */
import { assignStories } from '../src/dedupe/exact.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import { jobIds } from '../src/queue/jobs.js';
import { getItems } from '../src/store/items.js';
import { itemsWithoutStory, saveAssignments, storiesByContentHash } from '../src/store/stories.js';

export interface ProcessResult {
  items: number;
  assigned: number;
  storiesCreated: number;
  reposts: number;
}

export async function processItems({ itemIds }: JobPayloads['process'], deps: JobDeps): Promise<ProcessResult> {
  const log = deps.log.child({ job: 'process', items: itemIds.length });

  const items = await getItems(deps.db, await itemsWithoutStory(deps.db, itemIds));
  const existing = await storiesByContentHash(deps.db, [...new Set(items.map((item) => item.contentHash))]);

  const assignments = assignStories(items, existing);

  const { storiesCreated } = await deps.db.transaction((tx) => saveAssignments(tx, assignments));
  await deps.jobs.add('publish', {}, { jobId: jobIds.publish(deps.now()) });

  const reposts = assignments.filter((assignment) => assignment.role === 'repost').length;
  log.info({ assigned: assignments.length, storiesCreated, reposts }, 'processed');
  return { items: itemIds.length, assigned: assignments.length, storiesCreated, reposts };
}
