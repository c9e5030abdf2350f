/**
 * publish job: the Stories in the store become the Feeds (RSS 2.0, Atom 1.0,
 * JSON Feed 1.1): the overall Feed and one per Topic, written to the output
 * folder. Files whose content did not change are left alone, so their
 * modification times (and later ETags) hold; a removed Topic's files go.
 * Then the Editions sent or being sent: a public page each (email/<id>.html)
 * and the Editions Feed (editions.xml, .atom, .json) linking to them.
 *
 *   a publish for a change already published -> nothing to do (coalesced)
 *   under the publish lock (one at a time in any process, so an older render never overwrites a newer):
 *     the change count -> the Stories (at least as new as the count) -> Feeds -> Edition pages
 *     -> the count kept as published
 */
import path from 'node:path';
import { renderContext } from '../src/digest/render.js';
import { EDITION_FEED_FILES, editionToFeedEntry, renderEditionPages } from '../src/publish/editions.js';
import { feedSite, storyToFeedEntry, topicNames } from '../src/publish/entries.js';
import { feedFiles, renderFeeds } from '../src/publish/feeds.js';
import { removeStaleTopicFeeds, writeFeedFiles, writeIfChanged } from '../src/publish/files.js';
import type { Logger } from '../src/log.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import { sentEditions } from '../src/store/editions.js';
import { markPublished, publishMarks } from '../src/store/publish-marks.js';
import { listStories } from '../src/store/stories.js';

export interface PublishResult {
  /** The change count the Feeds were rendered at (src/store/publish-marks.ts). */
  published: number;
  /** The change this publish was queued for had been published by another: nothing was rendered or written. */
  coalesced: boolean;
  entries: number;
  /** Topics with a Feed of their own. */
  topicFeeds: number;
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Sent Editions: their pages and the Editions Feed, written or unchanged; those render refused, with why. */
  editions: { sent: number; written: string[]; unchanged: string[]; refused: string[] };
}

export async function publishFeeds({ change }: JobPayloads['publish'], deps: JobDeps): Promise<PublishResult> {
  const log = deps.log.child({ job: 'publish', change });
  const publishedBefore = async () => (change === undefined ? null : (await publishMarks(deps.db)).published);
  // Asked first without the lock: most publishes of a burst end here.
  const before = await publishedBefore();
  if (before !== null && before >= change!) return coalesced(log, before);
  return deps.db.withLock('publish', async () => {
    const now = await publishedBefore();
    if (now !== null && now >= change!) return coalesced(log, now);
    return render(deps, log);
  });
}

function coalesced(log: Logger, published: number): PublishResult {
  log.debug({ published }, 'change already published');
  const editions = { sent: 0, written: [], unchanged: [], refused: [] };
  return { published, coalesced: true, entries: 0, topicFeeds: 0, written: [], unchanged: [], removed: [], editions };
}

async function render(deps: JobDeps, log: Logger): Promise<PublishResult> {
  const site = feedSite(deps.config);
  const names = topicNames(deps.taxonomy, site);

  // The count before the Stories: they hold every change up to it (and perhaps some after).
  const { changed } = await publishMarks(deps.db);
  const stories = await listStories(deps.db);
  const entries = stories.map((story) => storyToFeedEntry(story, names, site.url));
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

  // Sent Editions, with the generic footer links: a page is nobody's own email.
  const sent = await sentEditions(deps.db);
  const { pages, refused } = await renderEditionPages(sent, renderContext(deps.config));
  const editions: PublishResult['editions'] = { sent: sent.length, written: [], unchanged: [], refused };
  for (const page of pages) {
    const file = path.join(deps.config.output, page.path);
    (await writeIfChanged(file, page.html) ? editions.written : editions.unchanged).push(file);
  }
  // No Editions Feed before the first Edition goes out (it would have no date to give).
  if (pages.length > 0) {
    const documents = renderFeeds(site, pages.map((page) => editionToFeedEntry(page.edition, site, page.subject)), {
      files: EDITION_FEED_FILES,
      title: `${site.title}: weekly email`,
    });
    const result = await writeFeedFiles(deps.config.output, documents, EDITION_FEED_FILES);
    editions.written.push(...result.written);
    editions.unchanged.push(...result.unchanged);
  }
  for (const problem of refused) log.warn({ problem }, 'edition page not written');

  await markPublished(deps.db, changed);
  log.info(
    { published: changed, entries: entries.length, topics: deps.taxonomy.topics.length, written: written.length, removed: removed.length, editions: sent.length },
    'published',
  );
  return { published: changed, coalesced: false, entries: entries.length, topicFeeds: deps.taxonomy.topics.length, written, unchanged, removed, editions };
}
