/**
 * A Story's public page: what readers find at `<site.url>/stories/<id>` when a
 * Feed entry or an email links there (src/publish/story-links.ts). The same
 * function renders it for `newsdesk serve` and for the file publish writes, so
 * the two cannot differ. Pure apart from reading the templates, and free of
 * "now": the same Story gives the same bytes, so an unchanged page is not
 * written again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFile } from '../project-files.js';
import { Eta } from 'eta';
import type { Config } from '../config.js';
import { dayIn } from '../digest/days.js';
import { formatDate } from '../digest/render-view.js';
import { originalLink, storyPageUrl } from './story-links.js';
import type { PublicationDate } from '../dedupe/story-date.js';

/** The site around the page, and the zone its days are said in (the editors'). */
export interface StoryPageSite {
  title: string;
  url: string;
  timezone: string;
  /** Topic slugs to labels; a slug no longer in the taxonomy is left out. */
  topics: Map<string, string>;
}

/** The site as the config and taxonomy give it: one reading for `serve` and for publish, so the two pages say the same. */
export function storyPageSite(config: Pick<Config, 'site' | 'schedule'>, taxonomy: { topics: readonly { slug: string; label: string }[] }): StoryPageSite {
  return {
    title: config.site.title,
    url: config.site.url,
    timezone: config.schedule.compose.timezone,
    topics: new Map(taxonomy.topics.map((topic) => [topic.slug, topic.label])),
  };
}

export interface StoryPageView {
  title: string;
  site: { title: string; url: string };
  story: {
    title: string;
    /** `NK News · published 20 Nov 2026 · first seen here 14 Dec 2026`. */
    meta: string;
    excerpt: string;
    original: { url: string; host: string } | null;
    /** Labels, `·`-separated; empty when it carries none. */
    topics: string;
    seen: { source: string; url: string | null; meta: string }[];
  };
}

const TEMPLATES = projectFile('templates');
// `templates/` as the root, so the page can use the public pages' layout (templates/subscribe/layout.eta).
const eta = new Eta({ views: TEMPLATES, autoEscape: true, cache: true });

/**
 * The stylesheet the layout links (/assets/editor.css), written beside the
 * pages so a static host serves it too (`newsdesk serve` has its own route).
 */
export const STORY_PAGE_STYLESHEET = { path: 'assets/editor.css', content: readFileSync(path.join(TEMPLATES, 'editor', 'assets', 'editor.css'), 'utf8') };

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function storyPageView(story: StoryPageStory, site: StoryPageSite): StoryPageView {
  const original = originalLink(story.url);
  const published = formatDate(story.published);
  // Only the dates known: an unknown publication date is left out, never guessed.
  const meta = [story.outlets.join(', '), published ? `published ${published}` : '', `first seen here ${dayIn(story.firstSeenAt, site.timezone)}`].filter(
    (part) => part !== '',
  );
  const title = oneLine(story.title) || 'Untitled';
  return {
    title,
    site: { title: site.title, url: site.url.replace(/\/+$/, '') },
    story: {
      title,
      meta: meta.join(' · '),
      excerpt: oneLine(story.summary),
      original: original ? { url: original, host: new URL(original).hostname } : null,
      // Not commas: a label may hold one ("China, detention and forced return").
      topics: story.topics.flatMap((slug) => site.topics.get(slug) ?? []).join(' · '),
      seen: story.seen.map((seen) => ({
        // The Outlet after the Source when they differ (an archive post crediting NK News).
        source: credited(seen.source, seen.outlets),
        url: originalLink(seen.url),
        meta: [...(seen.locations.length > 0 ? [`on ${seen.locations.join(', ')}`] : []), `first seen ${dayIn(seen.firstSeenAt, site.timezone)}`].join(' · '),
      })),
    },
  };
}

function credited(source: string, outlets: string[]): string {
  const others = outlets.filter((outlet) => outlet !== source);
  return others.length > 0 ? `${source} (${others.join(', ')})` : source;
}

export function renderStoryPage(story: StoryPageStory, site: StoryPageSite): string {
  return eta.render('./public/story', storyPageView(story, site));
}

/** For a static host, which cannot answer 301: a page that sends the reader on to the Story `into`. */
export function renderMovedPage(into: string, site: Pick<StoryPageSite, 'title' | 'url'>): string {
  return eta.render('./public/moved', { into: storyPageUrl(site.url, into), site });
}

/** What a public Story page shows: only what the Feeds already publish, and where the Story's Items were seen; nothing about editors or Subscribers. */
export interface StoryPageStory {
  id: string;
  title: string;
  /** The representative Item's address: the Outlet's article where known. */
  url: string | null;
  outlets: string[];
  /** Plain text, as the Feeds' summary. */
  summary: string;
  published: PublicationDate | null;
  /** When newsdesk first saw it. */
  firstSeenAt: Date;
  /** Topic slugs, strongest first. */
  topics: string[];
  /** One per member Item, first seen first. */
  seen: StorySighting[];
}

/** One member Item: the Source it came from, its own address when it has one, the places it was seen. */
export interface StorySighting {
  source: string;
  url: string | null;
  outlets: string[];
  /** Where it appeared: a feed's address, an archive page's file name. */
  locations: string[];
  firstSeenAt: Date;
}
