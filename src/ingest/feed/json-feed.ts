/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) to ParsedFeed.
 * Lenient where feeds are: numeric ids, the 1.0 `author` object beside 1.1
 * `authors`, relative addresses (resolved against `feed_url`, else the address
 * the document came from), values of the wrong type (ignored, not fatal).
 */
import { InputError } from '../../errors.js';
import { authorLabel, categoryList, collapse, enclosure, firstEntries, plainTitle, resolveUrl, resolveWebUrl, uniqueEnclosures } from './fields.js';
import { parseFeedDate } from './dates.js';
import type { ParsedEntry, ParsedFeed, ParsedLink, ParsedPerson } from './parsed-feed.js';
import { textToHtml } from '../../html/text.js';
import { escapeText } from './xml-tree.js';

type Json = Record<string, unknown>;

export function jsonFeed(text: string, context: { url: string | null; name: string }, warnings: string[]): ParsedFeed {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError('parse', context.name, `not a feed: invalid JSON: ${(error as Error).message}`, { code: 'not_a_feed', cause: error });
  }
  const feed = object(document);
  const version = string(feed?.version);
  if (!feed || !(version?.startsWith('https://jsonfeed.org/version/') || Array.isArray(feed.items))) {
    throw new InputError('parse', context.name, 'not a feed: JSON, but not a JSON Feed (no "version" or "items")', { code: 'not_a_feed' });
  }
  const base = resolveUrl(string(feed.feed_url), context.url) ?? context.url;
  const home = resolveWebUrl(string(feed.home_page_url), base);
  const feedAuthors = people(feed, base);
  const items = Array.isArray(feed.items) ? feed.items : [];
  const links: ParsedLink[] = [];
  if (home) links.push({ href: home, rel: 'alternate', type: 'text/html', title: null });
  const self = resolveUrl(string(feed.feed_url), context.url);
  if (self) links.push({ href: self, rel: 'self', type: 'application/feed+json', title: null });
  return {
    format: 'json',
    title: plainTitle(string(feed.title), { mayBeHtml: false }),
    link: home,
    description: textHtml(string(feed.description)),
    language: collapse(string(feed.language)),
    ttlMinutes: null,
    entries: firstEntries(items.map(object).filter((item): item is Json => item !== null), warnings).map((item) => jsonEntry(item, base, feedAuthors)),
    links,
  };
}

function jsonEntry(item: Json, base: string | null, feedAuthors: ParsedPerson[]): ParsedEntry {
  const id = typeof item.id === 'number' ? String(item.id) : collapse(string(item.id));
  const url = resolveWebUrl(string(item.url), base);
  const external = resolveWebUrl(string(item.external_url), base);
  const summary = textHtml(string(item.summary));
  const content = collapse(string(item.content_html)) ? string(item.content_html)!.trim() : textHtml(string(item.content_text));
  const authors = people(item, base);
  const published = collapse(string(item.date_published));
  const updated = collapse(string(item.date_modified));
  const links: ParsedLink[] = [];
  if (url) links.push({ href: url, rel: 'alternate', type: null, title: null });
  if (external) links.push({ href: external, rel: 'related', type: null, title: null });
  const attachments = Array.isArray(item.attachments) ? item.attachments.map(object) : [];
  return {
    guid: id,
    title: plainTitle(string(item.title), { mayBeHtml: false }),
    link: url ?? external,
    author: authorLabel(authors.length > 0 ? authors : feedAuthors),
    categories: categoryList(Array.isArray(item.tags) ? item.tags.map(string) : []),
    summary,
    content: content ?? summary,
    published: parseFeedDate(published),
    updated: parseFeedDate(updated),
    publishedText: published,
    updatedText: updated,
    authors: authors.length > 0 ? authors : feedAuthors,
    links,
    enclosures: uniqueEnclosures(
      attachments.map((a) => a && enclosure(resolveUrl(string(a.url), base), string(a.mime_type), numberText(a.size_in_bytes))),
    ),
    // No xml:base in JSON: parse.ts settles the base (the item's page, the document, the site).
    baseUrl: null,
  };
}

/** JSON Feed 1.1 `authors`, else 1.0 `author`. */
function people(holder: Json, base: string | null): ParsedPerson[] {
  const list = Array.isArray(holder.authors) ? holder.authors : holder.author !== undefined ? [holder.author] : [];
  return list
    .map(object)
    .filter((author): author is Json => author !== null)
    .map((author) => ({ name: collapse(string(author.name)), email: null, url: resolveUrl(string(author.url), base) }))
    .filter((person) => person.name !== null || person.url !== null);
}

/** Plain text (JSON Feed `summary`, `content_text`) as HTML paragraphs. */
function textHtml(text: string | null): string | null {
  if (!collapse(text)) return null;
  const paragraphs = text!.split(/\n\s*\n/);
  return paragraphs.length > 1 ? textToHtml(paragraphs) : escapeText(text!.trim());
}

function object(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function string(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value)) : null;
}
