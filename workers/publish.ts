/**
 * publish job: the Stories in the store become the Feeds (RSS 2.0, Atom 1.0,
 * JSON Feed 1.1), written to the output folder. Files whose content did not
 * change are left alone, so their modification times (and later ETags) hold.
 */
import { storyToFeedEntry, feedSite } from '../src/publish/entries.js';
import { renderFeeds } from '../src/publish/feeds.js';
import { writeFeedFiles } from '../src/publish/files.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import { listStories } from '../src/store/stories.js';

export interface PublishResult {
  entries: number;
  written: string[];
  unchanged: string[];
}

export async function publishFeeds(_payload: JobPayloads['publish'], deps: JobDeps): Promise<PublishResult> {
  const log = deps.log.child({ job: 'publish' });

  const stories = await listStories(deps.db);
  const entries = stories.map(storyToFeedEntry);

  const documents = renderFeeds(feedSite(deps.config), entries);
  const { written, unchanged } = await writeFeedFiles(deps.config.output, documents);

  log.info({ entries: entries.length, written }, 'published');
  return { entries: entries.length, written, unchanged };
}
