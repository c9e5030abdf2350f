/**
 * The data model every Feed renderer shares (one model, one renderer per format,
 * as in jpmonette/feed), and `prepareFeed`, which turns what the caller gives
 * into what the renderers write: validated, sanitised, credited, ordered.
 * Everything here is a pure function of its input, so the same entries always
 * give byte-identical Feeds.
 */
import { InputError } from '../errors.js';
import { htmlToText, sanitizeHtml, summarize, textToHtml } from '../html/sanitize.js';
import { stripXmlInvalid } from './xml-text.js';

/** Written as the generator of the XML Feeds (Atom and RSS `<generator>`). */
export const GENERATOR = 'newsdesk';

export interface FeedSite {
  title: string;
  url: string;
  description: string;
  language: string;
  /** Where the Feed files are served, e.g. https://news.example.org/feeds */
  feedBaseUrl: string;
  /** The Feed's updated time when it has no entries (otherwise the newest entry's). */
  updated?: Date;
}

/**
 * A category of an entry: an archive category (`term` only), or a Topic
 * (`term` its slug, `label` its name, `scheme` where the Topic's Feeds live).
 */
export interface FeedCategory {
  term: string;
  label?: string;
  scheme?: string;
}

export interface FeedEntry {
  /** Stable id, e.g. 'urn:uuid:...': Atom id, RSS guid (isPermaLink=false), JSON Feed id. */
  id: string;
  /** Plain text (may contain < & " ’ …). */
  title: string;
  /** Where known; never invented. */
  link: string | null;
  /** Outlet attribution, e.g. ['VoA', 'South China Morning Post']. */
  outlets: string[];
  categories: FeedCategory[];
  /** HTML; sanitised again here: nothing reaches a Feed unsanitised. */
  contentHtml: string;
  /** Plain text. */
  summary: string;
  /**
   * When it was first published, where known to the second; null when unknown
   * or known only to the month: RFC 3339 (Atom, JSON Feed) and RFC 822 (RSS)
   * dates cannot say "April 2016", and a reader given the 1st would show a day
   * nobody gave. Then no Feed writes a published date.
   */
  published: Date | null;
  /** When the entry last changed (Atom requires one per entry, RFC 4287 §4.2.15). */
  updated: Date;
  /**
   * Where the entry goes in newest-first order: its publication date (a month
   * by its first day) or, unknown, when it was first seen. Default: `published`, else `updated`.
   */
  sortAt?: Date;
}

export interface FeedDocuments {
  rss: string;
  atom: string;
  json: string;
}

/** Where each format of one Feed is served, relative to the Feed base address (and written, relative to the output folder). */
export type FeedFiles = Record<keyof FeedDocuments, string>;

/** The overall Feed's files, or a Topic's: `topics/<slug>.xml` (RSS), `.atom`, `.json`. */
export function feedFiles(topicSlug?: string): FeedFiles {
  if (topicSlug === undefined) return { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };
  return { rss: `topics/${topicSlug}.xml`, atom: `topics/${topicSlug}.atom`, json: `topics/${topicSlug}.json` };
}

export interface FeedOptions {
  /** The overall Feed's files unless given. */
  files?: FeedFiles;
  /** Feed title instead of the site's, e.g. for a Topic. */
  title?: string;
}

/** The Feed as a whole, the same for all three formats. */
export interface FeedHead {
  title: string;
  description: string;
  language: string;
  siteUrl: string;
  /** The publisher, used as the author of entries that name no Outlet. */
  publisher: string;
  links: { rss: string; atom: string; json: string };
  updated: Date;
}

/** An entry ready to render. */
export interface PreparedEntry {
  id: string;
  /** Plain text, never empty. */
  title: string;
  link: string | null;
  outlets: string[];
  /** Terms unique, none empty. */
  categories: FeedCategory[];
  /** Sanitised HTML with the Outlet credit line; never empty. */
  contentHtml: string;
  /** Plain text with the Outlet credit as its last paragraph; may be empty. */
  summary: string;
  /** `summary` as HTML paragraphs. */
  summaryHtml: string;
  /** Written only when known (see FeedEntry.published). */
  published: Date | null;
  updated: Date;
  sortAt: Date;
}

const clean = (text: string): string => stripXmlInvalid(text).replace(/\s+/g, ' ').trim();

function cleanList(values: string[]): string[] {
  return [...new Set(values.map(clean).filter((v) => v !== ''))];
}

/** Categories with clean text, the first of each term kept, schemes absolute or dropped. */
function cleanCategories(categories: FeedCategory[]): FeedCategory[] {
  const seen = new Set<string>();
  const kept: FeedCategory[] = [];
  for (const category of categories) {
    const term = clean(category.term);
    if (term === '' || seen.has(term)) continue;
    seen.add(term);
    const label = category.label === undefined ? '' : clean(category.label);
    const scheme = category.scheme === undefined ? null : entryLink(category.scheme);
    kept.push({ term, ...(label !== '' ? { label } : {}), ...(scheme ? { scheme } : {}) });
  }
  return kept;
}

/** Plain-text paragraphs (split at blank lines), each on one line. */
function paragraphs(text: string): string[] {
  return stripXmlInvalid(text).split(/\n\s*\n/).map(clean).filter((p) => p !== '');
}

function absoluteUrl(value: string, what: string): string {
  try {
    return new URL(value).href;
  } catch (cause) {
    throw new InputError('publish', what, `not an absolute URL: ${value}`, { cause, code: 'feed_invalid' });
  }
}

/** http(s) links only; anything else is dropped rather than guessed at. */
function entryLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function checkEntry(entry: FeedEntry): void {
  const where = `feed entry ${entry.id}`;
  // RFC 4287 §4.2.6: atom:id is an IRI. `feed` also rewrites it through `new URL()`,
  // so only ids already in that normal form come out verbatim in all three formats.
  let normal: string | null = null;
  try {
    normal = new URL(entry.id).href;
  } catch {
    // reported below
  }
  if (normal !== entry.id) {
    throw new InputError('publish', where, 'id is not an absolute IRI in normal form', { code: 'feed_invalid' });
  }
  for (const key of ['published', 'updated', 'sortAt'] as const) {
    const value = entry[key];
    const optional = key !== 'updated' && (value === null || value === undefined);
    if (!optional && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
      throw new InputError('publish', where, `invalid ${key} date`, { code: 'feed_invalid' });
    }
  }
}

/** Credit line, e.g. `Source: VoA, South China Morning Post`. */
export function creditLine(outlets: string[]): string {
  return `Source: ${outlets.join(', ')}`;
}

export function prepareEntry(entry: FeedEntry, siteUrl: string): PreparedEntry {
  checkEntry(entry);
  const link = entryLink(entry.link);
  const outlets = cleanList(entry.outlets);
  const title = clean(entry.title) || 'Untitled';
  // Relative URLs in the content mean nothing in a Feed reader: resolve them
  // against the entry's page, or the site when the entry has none.
  let contentHtml = sanitizeHtml(stripXmlInvalid(entry.contentHtml), link ?? siteUrl);
  let summary = paragraphs(entry.summary).join('\n\n');
  if (summary === '') summary = summarize(htmlToText(contentHtml));
  // Atom needs content or an alternate link (RFC 4287 §4.1.1), JSON Feed needs
  // content_html or content_text, and `feed` skips empty content: never leave it empty.
  if (contentHtml === '') contentHtml = textToHtml([summary || title]);
  if (outlets.length > 0) {
    const credit = creditLine(outlets);
    const creditHtml = textToHtml([credit]);
    if (!contentHtml.endsWith(creditHtml)) contentHtml += creditHtml;
    if (!summary.endsWith(credit)) summary = summary === '' ? credit : `${summary}\n\n${credit}`;
  }
  // An entry cannot have been updated before it was published; Atom readers
  // sort on `updated`, so keep it at least `published`.
  const updated = entry.published && entry.updated.getTime() < entry.published.getTime() ? entry.published : entry.updated;
  return {
    id: entry.id,
    title,
    link,
    outlets,
    categories: cleanCategories(entry.categories),
    contentHtml,
    summary,
    summaryHtml: textToHtml(paragraphs(summary)),
    published: entry.published ? new Date(entry.published.getTime()) : null,
    updated: new Date(updated.getTime()),
    sortAt: new Date((entry.sortAt ?? entry.published ?? entry.updated).getTime()),
  };
}

/** Newest first (sortAt); equal times ordered by id (code units, not locale) so the order is stable. */
export function compareEntries(a: PreparedEntry, b: PreparedEntry): number {
  const byTime = b.sortAt.getTime() - a.sortAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function prepareFeed(
  site: FeedSite,
  entries: FeedEntry[],
  options: FeedOptions = {},
): { head: FeedHead; entries: PreparedEntry[] } {
  const siteUrl = absoluteUrl(site.url, 'feed site url');
  const base = absoluteUrl(site.feedBaseUrl, 'feed base url').replace(/\/+$/, '');
  const files = options.files ?? feedFiles();

  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.id)) {
      throw new InputError('publish', `feed entry ${entry.id}`, 'duplicate id', { code: 'feed_invalid' });
    }
    seen.add(entry.id);
  }
  const prepared = entries.map((e) => prepareEntry(e, siteUrl)).sort(compareEntries);

  // Feed `updated` is the newest entry's (RFC 4287 §4.2.15: the last significant
  // change), never the clock, so re-rendering the same entries is byte-identical.
  const newest = prepared.reduce((max, e) => Math.max(max, e.updated.getTime()), Number.NEGATIVE_INFINITY);
  const updated = new Date(prepared.length > 0 ? newest : (site.updated?.getTime() ?? 0));
  const publisher = clean(site.title) || siteUrl;
  return {
    head: {
      title: clean(options.title ?? site.title) || publisher,
      description: clean(site.description),
      language: clean(site.language),
      siteUrl,
      publisher,
      links: {
        rss: absoluteUrl(`${base}/${files.rss}`, 'rss feed url'),
        atom: absoluteUrl(`${base}/${files.atom}`, 'atom feed url'),
        json: absoluteUrl(`${base}/${files.json}`, 'json feed url'),
      },
      updated,
    },
    entries: prepared,
  };
}
