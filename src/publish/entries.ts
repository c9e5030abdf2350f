/** Stories as Feed entries: stable ids, the dates a reader sees, the site around them. */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import type { FeedCategory, FeedEntry, FeedSite } from './feeds.js';
import { storyLink } from './story-links.js';
import type { PublicationDate } from '../dedupe/story-date.js';

/**
 * A Feed entry id is a name-based UUID (RFC 9562 version 5 layout) of the Story
 * id: it never changes once published, and does not depend on the site address,
 * so moving the site does not make readers see every entry again.
 */
export function feedEntryId(storyId: string): string {
  return nameBasedId(`newsdesk:story:${storyId}`);
}

/** A `urn:uuid:` in the version 5 layout from a name: the same name, the same id, forever. */
export function nameBasedId(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** How Feed entries name Topics: their labels, and the scheme (where the Topics' Feeds are listed). */
export interface TopicNames {
  labels: Map<string, string>;
  scheme: string;
}

export function topicNames(taxonomy: Taxonomy, site: FeedSite): TopicNames {
  return { labels: new Map(taxonomy.topics.map((t) => [t.slug, t.label])), scheme: `${site.url}/topics/` };
}

/** A Story's Topics first (slug as term, label as name), then the archive's own categories. */
function categories(story: PublishedStory, topics: TopicNames): FeedCategory[] {
  // A slug no longer in the taxonomy is left out until the Story is tagged again.
  const own = story.topics.filter((slug) => topics.labels.has(slug));
  return [
    ...own.map((slug) => ({ term: slug, label: topics.labels.get(slug)!, scheme: topics.scheme })),
    ...story.categories.map((term) => ({ term })),
  ];
}

/**
 * A Story's dates in a Feed: published only when its Items give the moment
 * (a month cannot be written as an RFC 3339 or RFC 822 date without inventing
 * a day, so it is left out); updated when the Story last changed in the store
 * (first seen, or a later merge); ordered by its date, a month by its first
 * day, else by when it was first seen. None is "now" at render time, so the
 * Feeds are the same on every run. Its link: the original, else the Story's
 * page on the site (src/publish/story-links.ts), so every entry opens something.
 */
export function storyToFeedEntry(story: PublishedStory, topics: TopicNames, siteUrl: string): FeedEntry {
  const published = story.published?.precision === 'time' ? story.published.at : null;
  return {
    id: feedEntryId(story.id),
    title: story.title,
    link: storyLink(siteUrl, story),
    outlets: story.outlets,
    categories: categories(story, topics),
    contentHtml: story.contentHtml,
    summary: story.summary,
    published,
    updated: published && published > story.updatedAt ? published : story.updatedAt,
    sortAt: story.published?.at ?? story.createdAt,
  };
}

export function feedSite(config: Config): FeedSite {
  const url = config.site.url.replace(/\/+$/, '');
  return {
    title: config.site.title,
    url,
    description: config.site.description,
    language: config.site.language,
    feedBaseUrl: url,
  };
}

/** A Story as the Feeds show it: its representative Item (the original Outlet credited), with what all members add. */
export interface PublishedStory {
  id: string;
  title: string;
  url: string | null;
  outlets: string[];
  categories: string[];
  contentHtml: string;
  summary: string;
  /** The earliest date any member gives; null when none gives one (never when it was read). */
  published: PublicationDate | null;
  /** When newsdesk first saw it. */
  createdAt: Date;
  updatedAt: Date;
  /** Members of the Story (the representative included). */
  items: number;
  /** Slugs of the Topics it carries, strongest first. */
  topics: string[];
}
