/**
 * publish job: the Stories in the store become the Feeds (RSS 2.0, Atom 1.0,
 * JSON Feed 1.1): the overall Feed and one per Topic, written to the output
 * folder. Files whose content did not change are left alone, so their
 * modification times (and later ETags) hold; a removed Topic's files go.
 */
import { feedSite, storyToFeedEntry, topicNames } from '../src/publish/entries.js';
import { feedFiles, renderFeeds } from '../src/publish/feeds.js';
import { removeStaleTopicFeeds, writeFeedFiles } from '../src/publish/files.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import { listStories } from '../src/store/stories.js';

export interface PublishResult {
  entries: number;
  /** Topics with a Feed of their own. */
  topicFeeds: number;
  written: string[];
  unchanged: string[];
  removed: string[];
}

export async function publishFeeds(_payload: JobPayloads['publish'], deps: JobDeps): Promise<PublishResult> {
  const log = deps.log.child({ job: 'publish' });
  const site = feedSite(deps.config);
  const names = topicNames(deps.taxonomy, site);

  const stories = await listStories(deps.db);
  const entries = stories.map((story) => storyToFeedEntry(story, names));
  const overall = await writeFeedFiles(deps.config.output, renderFeeds(site, entries));
  const written = [...overall.written];
  const unchanged = [...overall.unchanged];

  for (const topic of deps.taxonomy.topics) {
    const own = entries.filter((_, i) => stories[i]!.topics.includes(topic.slug));
    const files = feedFiles(topic.slug);
    const documents = renderFeeds(site, own, { files, title: `${site.title}: ${topic.label}` });
    const result = await writeFeedFiles(deps.config.output, documents, files);
    written.push(...result.written);
    unchanged.push(...result.unchanged);
  }
  const removed = await removeStaleTopicFeeds(deps.config.output, deps.taxonomy.topics.map((t) => t.slug));

  log.info({ entries: entries.length, topics: deps.taxonomy.topics.length, written: written.length, removed: removed.length }, 'published');
  return { entries: entries.length, topicFeeds: deps.taxonomy.topics.length, written, unchanged, removed };
}
