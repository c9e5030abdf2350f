/**
 * Reads a ParsedFeed through the paths of feedparser's normalized expectations
 * (`feed.title`, `items[0].author.email`, `items[0].date`...) and compares
 * values the way each field means them.
 *
 * Where newsdesk deliberately differs from feedparser's conventions:
 * - Titles are plain text in newsdesk (they are shown as text in Feeds and
 *   email); feedparser keeps markup of `html`/`xhtml` titles. A title passes
 *   when it equals the expected value or the expected value's text
 *   (`htmlToText`, the function the pipeline itself uses).
 * - Summaries, content and descriptions are HTML: compared as HTML, not as
 *   strings. Both sides are parsed and written out the same way (attributes
 *   sorted, namespace declarations dropped, whitespace runs as one space), and
 *   relative URLs in ours are resolved against the entry's `baseUrl`, as
 *   sanitizeHtml does in normalize (feedparser resolves them while parsing).
 * - Text constructs of type `text` (Atom `type="text"`, JSON Feed
 *   `content_text`) are HTML in newsdesk too, their text escaped: feedparser
 *   gives the text. An expected value that is not HTML by feedparser's own
 *   rule (`looksLikeHtml`: no closing tag, no character reference) therefore
 *   also passes as text, when ours is that text escaped (`History of the
 *   &lt;blink&gt; tag` for `History of the <blink> tag`).
 * - feedparser's entry `summary` falls back to the content when an entry has
 *   none; newsdesk leaves `summary` null then (normalize writes a short one
 *   from the text), so the view reads `summary`, else `content`.
 * - `dc:date` is the publication date in newsdesk (feedparser files it as
 *   `updated`): `date` reads `published`, else `updated`; `dateRaw` likewise.
 * - A single-valued element given twice: the first one counts (feedparser: the last).
 */
import sanitize from 'sanitize-html';
import type { ParsedEntry, ParsedFeed } from '../../src/ingest/feed/parsed-feed.js';
import { escapeHtml, htmlToText, looksLikeHtml } from '../../src/html/text.js';

export type Kind = 'text' | 'html' | 'exact';

export interface Lookup {
  found: boolean;
  value: unknown;
  kind: Kind;
  /** For HTML of an entry: the base its relative URLs resolve against. */
  baseUrl: string | null;
}

const PATH = /^(feed|items\[(\d+)\])\.(.+)$/;

export function lookup(feed: ParsedFeed, path: string): Lookup {
  const match = PATH.exec(path);
  if (!match) return { found: false, value: undefined, kind: 'exact', baseUrl: null };
  const entry = match[2] === undefined ? null : feed.entries[Number(match[2])];
  if (match[2] !== undefined && !entry) return { found: false, value: undefined, kind: 'exact', baseUrl: null };
  const rest = match[3]!.replace(/^author\.(\w+)$/, 'authors[0].$1');
  const view: Record<string, unknown> = entry ? entryView(entry) : feedView(feed);
  const value = walk(view, rest);
  const field = rest.split(/[.[]/)[0]!;
  const kind: Kind = field === 'title' ? 'text' : ['summary', 'content', 'description'].includes(field) ? 'html' : 'exact';
  return { found: value !== undefined, value, kind, baseUrl: entry?.baseUrl ?? null };
}

function feedView(feed: ParsedFeed): Record<string, unknown> {
  return { title: feed.title, link: feed.link, description: feed.description, links: feed.links ?? [], language: feed.language };
}

function entryView(entry: ParsedEntry): Record<string, unknown> {
  const date = entry.published ?? entry.updated;
  return {
    title: entry.title,
    link: entry.link,
    guid: entry.guid,
    summary: entry.summary ?? entry.content,
    content: entry.content,
    author: entry.author,
    authors: entry.authors ?? [],
    categories: entry.categories,
    date: date ? date.toISOString().replace(/\.000Z$/, 'Z') : null,
    dateRaw: entry.publishedText ?? entry.updatedText ?? null,
    links: entry.links ?? [],
    enclosures: entry.enclosures ?? [],
  };
}

function walk(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const step of path.match(/[^.[\]]+/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

export function matches(found: Lookup, expected: unknown): boolean {
  const actual = found.value;
  if (actual === expected) return true;
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  if (found.kind === 'text') return collapse(actual) === collapse(htmlToText(expected));
  if (found.kind === 'html') {
    const ours = canonicalHtml(actual, found.baseUrl);
    return ours === canonicalHtml(expected, null) || (!looksLikeHtml(expected) && ours === canonicalHtml(escapeHtml(expected), null));
  }
  return false;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** HTML written out one way: every tag and attribute kept, attributes sorted, xmlns dropped, URLs resolved. */
export function canonicalHtml(html: string, baseUrl: string | null): string {
  const out = sanitize(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      '*': (tagName, attribs) => {
        const sorted: Record<string, string> = {};
        for (const name of Object.keys(attribs).sort()) {
          if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
          const value = attribs[name]!;
          sorted[name] = name === 'href' || name === 'src' ? resolve(value, baseUrl) : value;
        }
        return { tagName, attribs: sorted };
      },
    },
  });
  return collapse(out.replace(/>\s+</g, '><'));
}

/** Resolved against `base` (ours), written as an IRI on both sides: `%C3%80` and `À` are the same address. */
function resolve(value: string, base: string | null): string {
  let url = value;
  try {
    if (base) url = new URL(value, base).href;
    return decodeURI(url);
  } catch {
    return url;
  }
}
