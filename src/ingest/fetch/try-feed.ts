/**
 * A test fetch of an address someone wants newsdesk to read (the Sources
 * page, `newsdesk sources add`), before it becomes a Source: the feed itself,
 * or a site's page whose `<link rel="alternate">` names its feeds (discovery;
 * the first is tried). The same guarded fetch as ingestion (private addresses
 * only as `fetch.allowAddresses` allows), the same parser; nothing is stored.
 */
import type { Config } from '../../config.js';
import { errorMessage, InputError } from '../../errors.js';
import { discoverFeedLinks, looksLikeHtml } from './discover.js';
import { fetchFeed } from './fetch.js';
import type { FetchOk, FetchOutcome } from './fetch-outcome.js';
import type { FeedFormat } from '../feed/parsed-feed.js';
import { parseFeed } from '../feed/parse.js';
import type { HostPoliteness } from './politeness.js';
import { feedRequest } from '../read-feed.js';

interface TrialCommon {
  /** The address as given. */
  address: string;
  /** Feeds the page at the address announces, in page order; empty when the address is a feed (or nothing was read). */
  discovered: string[];
}

export type FeedTrial =
  | (TrialCommon & {
      ok: true;
      /** The feed's address to save: the address given, or the first feed its page announces. */
      feedUrl: string;
      format: FeedFormat;
      /** The feed's own title, plain text; null when it has none. */
      title: string | null;
      entries: number;
      /** The entry with the latest date (published, else updated); null when no entry is dated. */
      newest: { title: string | null; date: Date } | null;
    })
  | (TrialCommon & {
      ok: false;
      /** What went wrong, for the editor: the fetch's classified outcome or the parser's complaint. */
      message: string;
    });

/** Whether the text is an http(s) address; throws an InputError naming it otherwise. */
export function checkFeedAddress(address: string, where: string): string {
  const trimmed = address.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(where, 'address', `"${trimmed.slice(0, 200)}" is not an http(s) address (e.g. https://www.nknews.org/feed/ or the site's page)`);
  }
  return url.href;
}

/** A failed fetch in words: its classified outcome (`timeout`, `http-4xx`...) and the fetch's message. */
function why(outcome: Exclude<FetchOutcome, FetchOk>): string {
  if (outcome.status === 'not-modified') return 'the server answered 304 Not Modified to a first request';
  return outcome.message.startsWith(outcome.status) ? outcome.message : `${outcome.status}: ${outcome.message}`;
}

export async function tryFeed(address: string, config: Config, politeness: HostPoliteness): Promise<FeedTrial> {
  const request = feedRequest(config, address, { location: address });
  let outcome = await fetchFeed(request, politeness);
  let discovered: string[] = [];
  let feedUrl = address;
  const failed = (message: string): FeedTrial => ({ ok: false, address, discovered, message });
  if (outcome.status !== 'ok') return failed(`${address}: ${why(outcome)}`);

  if (looksLikeHtml(outcome.body, outcome.contentType)) {
    discovered = discoverFeedLinks(outcome.body.toString('utf8'), outcome.finalUrl);
    if (discovered.length === 0) return failed(`not a feed: ${outcome.finalUrl} is an HTML page with no feed link (<link rel="alternate" type="application/rss+xml">)`);
    feedUrl = discovered[0]!;
    outcome = await fetchFeed({ ...request, url: feedUrl }, politeness);
    if (outcome.status !== 'ok') return failed(`${feedUrl}: ${why(outcome)}`);
  }

  try {
    const parsed = await parseFeed(outcome.body, { url: outcome.finalUrl, contentType: outcome.contentType, name: feedUrl });
    let newest: { title: string | null; date: Date } | null = null;
    for (const entry of parsed.entries) {
      const date = entry.published ?? entry.updated;
      if (date && (!newest || date > newest.date)) newest = { title: entry.title, date };
    }
    return { ok: true, address, discovered, feedUrl, format: parsed.format, title: parsed.title, entries: parsed.entries.length, newest };
  } catch (error) {
    return failed(error instanceof InputError ? `${feedUrl}: ${error.problem}` : errorMessage(error));
  }
}
