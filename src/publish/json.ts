/**
 * JSON Feed 1.1 with the `feed` package, whose `json1()` writes version 1.0:
 * its output is parsed and the 1.1 fields set (https://jsonfeed.org/version/1.1).
 */
import { Feed, type Item } from 'feed';
import type { FeedHead, PreparedEntry } from './feed-entry.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

interface JsonFeedItem {
  id: string;
  [key: string]: unknown;
}

function jsonItem(entry: PreparedEntry): Item {
  return {
    title: entry.title,
    id: entry.id,
    // `feed` omits an empty url, and typing it as required is its only demand.
    link: entry.link ?? '',
    // `date_modified` is when the entry last changed; `date_published` only when known.
    date: entry.updated,
    published: entry.published ?? undefined,
    // JSON Feed `summary` is plain text (unlike Atom/RSS, where it is HTML).
    description: entry.summary === '' ? undefined : entry.summary,
    content: entry.contentHtml,
    // JSON Feed has only `tags`: a Topic is tagged with its name.
    category: entry.categories.length === 0 ? undefined : entry.categories.map((c) => ({ name: c.label ?? c.term })),
  };
}

const authors = (names: string[]) => names.map((name) => ({ name }));

export function renderJson(head: FeedHead, entries: PreparedEntry[]): string {
  const feed = new Feed({
    title: head.title,
    description: head.description === '' ? undefined : head.description,
    link: head.siteUrl,
    feedLinks: { json: head.links.json },
    updated: head.updated,
  });
  for (const entry of entries) feed.addItem(jsonItem(entry));

  const { items, ...top } = JSON.parse(feed.json1()) as { items: JsonFeedItem[]; [key: string]: unknown };
  const outlets = new Map(entries.map((e) => [e.id, e.outlets]));
  const doc = {
    ...top,
    version: JSON_FEED_VERSION,
    // 1.1 adds `language` and replaces the single `author` with `authors`;
    // items without their own authors inherit the feed's (the publisher).
    ...(head.language === '' ? {} : { language: head.language }),
    authors: authors([head.publisher]),
    items: items.map((item) => {
      const names = outlets.get(item.id) ?? [];
      return names.length === 0 ? item : { ...item, authors: authors(names) };
    }),
  };
  return JSON.stringify(doc, null, 4);
}
