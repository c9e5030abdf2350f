/**
 * Publishing (the publish job's service, workers/publish.ts): the Stories in
 * the store become the Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1): the overall
 * Feed and one per Topic, written to the output folder. Files whose content
 * did not change are left alone, so their modification times (and later ETags)
 * hold; a removed Topic's files go. Then the Story pages
 * (stories/<id>/index.html) of the Stories linked without an Outlet's address,
 * and the Editions sent or being sent: a public page each (email/<id>.html) and
 * the Editions Feed (editions.xml, .atom, .json) linking to them.
 *
 *   a publish for a change already published -> nothing to do (coalesced)
 *   under the publish lock (one at a time in any process, so an older render never overwrites a newer):
 *     the change count -> the Stories (at least as new as the count) -> Feeds -> Edition pages
 *     -> the count kept as published
 */
import path from 'node:path';
import { renderContext } from '../digest/render.js';
import { EDITION_FEED_FILES, editionToFeedEntry, renderEditionPages } from './editions.js';
import { feedSite, storyToFeedEntry, topicNames, type PublishedStory } from './entries.js';
import { feedFiles, renderFeeds } from './feeds.js';
import { removeStaleTopicFeeds, writeFeedFiles, writeIfChanged } from './files.js';
import { originalLink, storyPagePath } from './story-links.js';
import { renderMovedPage, renderStoryPage, STORY_PAGE_STYLESHEET, storyPageSite } from './story-page.js';
import type { Logger } from '../log.js';
import type { JobDeps, JobPayloads } from '../queue/jobs.js';
import type { PublishResult, StoryPagesResult } from '../queue/results.js';
import { stageClock } from '../queue/stages.js';
import { sentEditions } from '../store/editions.js';
import { markPublished, publishMarks } from '../store/publish-marks.js';
import { listStories } from '../store/stories.js';
import { editionStoriesWithoutOriginal, readStoryPages } from '../store/story-pages.js';

export async function publishFeeds({ change }: JobPayloads['publish'], deps: JobDeps): Promise<PublishResult> {
  const log = deps.log.child({ job: 'publish', change });
  const publishedBefore = async () => (change === undefined ? null : (await publishMarks(deps.db)).published);
  // Asked first without the lock: most publishes of a burst end here.
  const before = await publishedBefore();
  if (before !== null && before >= change!) return coalesced(log, before);
  return deps.db.withLock('publish', async () => {
    const now = await publishedBefore();
    if (now !== null && now >= change!) return coalesced(log, now);
    const clock = stageClock();
    const result = await clock.time('publish', () => render(deps, log));
    return { ...result, stageMs: clock.times };
  });
}

function coalesced(log: Logger, published: number): PublishResult {
  log.debug({ published }, 'change already published');
  const editions = { sent: 0, written: [], unchanged: [], refused: [] };
  const storyPages = { written: 0, unchanged: 0, moved: 0 };
  return { published, coalesced: true, entries: 0, topicFeeds: 0, written: [], unchanged: [], removed: [], editions, storyPages, stageMs: {} };
}

async function render(deps: JobDeps, log: Logger): Promise<Omit<PublishResult, 'stageMs'>> {
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
  const storyPages = await writeStoryPages(deps, stories);

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
    { published: changed, entries: entries.length, topics: deps.taxonomy.topics.length, written: written.length, removed: removed.length, editions: sent.length, storyPages },
    'published',
  );
  return { published: changed, coalesced: false, entries: entries.length, topicFeeds: deps.taxonomy.topics.length, written, unchanged, removed, editions, storyPages };
}

/**
 * The page of every Story a link leads to without an Outlet's address: the
 * Feeds' and those the Editions went out (or will go out) with. A Story merged
 * into one of them gets a page that sends readers on (a static host cannot
 * answer 301), in place of the one it had.
 */
async function writeStoryPages(deps: JobDeps, feedStories: PublishedStory[]): Promise<StoryPagesResult> {
  const { config, taxonomy } = deps;
  const linked = [...feedStories.filter((story) => originalLink(story.url) === null).map((story) => story.id), ...(await editionStoriesWithoutOriginal(deps.db))];
  const { stories, moved } = await readStoryPages(deps.db, linked, { mergedAway: true });
  const site = storyPageSite(config, taxonomy);
  const result: StoryPagesResult = { written: 0, unchanged: 0, moved: moved.length };
  const write = async (file: string, html: string) => {
    if (await writeIfChanged(path.join(config.output, file), html)) result.written += 1;
    else result.unchanged += 1;
  };
  for (const story of stories) await write(storyPagePath(story.id), renderStoryPage(story, site));
  for (const { id, into } of moved) await write(storyPagePath(id), renderMovedPage(into, site));
  if (stories.length > 0) await writeIfChanged(path.join(config.output, STORY_PAGE_STYLESHEET.path), STORY_PAGE_STYLESHEET.content);
  return result;
}
