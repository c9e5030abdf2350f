/**
 * Publish: render one Feed (overall or per Topic) as RSS 2.0, Atom 1.0 and
 * JSON Feed 1.1 from the same entries. Pure: the same input gives byte-identical
 * documents (no clock is read), so ETags stay stable between publishes.
 */
import { renderAtom } from './atom.js';
import { type FeedDocuments, type FeedEntry, type FeedOptions, type FeedSite, prepareFeed } from './feed-entry.js';
import { renderJson } from './json.js';
import { renderRss } from './rss.js';

export type { FeedCategory, FeedDocuments, FeedEntry, FeedFiles, FeedOptions, FeedSite } from './feed-entry.js';
export { feedFiles } from './feed-entry.js';

/**
 * Entries come out newest first (published, then id). Self links are
 * `feedBaseUrl/` + the Feed's files (feedFiles).
 */
export function renderFeeds(site: FeedSite, entries: FeedEntry[], options?: FeedOptions): FeedDocuments {
  const { head, entries: prepared } = prepareFeed(site, entries, options);
  return {
    rss: renderRss(head, prepared),
    atom: renderAtom(head, prepared),
    json: renderJson(head, prepared),
  };
}
