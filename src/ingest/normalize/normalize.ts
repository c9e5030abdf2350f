/**
 * Normalize for outlet feeds: a parsed feed entry becomes an Item with sanitised
 * HTML, plain text, a canonical address, a date only when the feed gave one, and
 * an id that is the same every time the same entry is read.
 */
import { canonicalUrlOrNull } from './canonical-url.js';
import { contentHash, itemId, type Item } from '../item.js';
import type { ParsedEntry, ParsedFeed } from '../feed/parsed-feed.js';
import { htmlToText, sanitizedHtmlToText, sanitizeHtml, summarize } from '../../html/sanitize.js';

export { canonicalUrl, canonicalUrlOrNull } from './canonical-url.js';

export interface FeedSource {
  id: string;
  /** The Outlet configured for the Source; null means "the feed's own title". */
  outlet: string | null;
  feedUrl: string;
}

/**
 * Plain text of a short field whose type no format declares (author, category,
 * a WordPress export's title): markup and entities removed, whitespace
 * collapsed to single spaces. Parsers decode entities once; many feeds escape
 * twice (`&amp;#8217;` arrives as `&#8217;`), so text that still looks like
 * markup goes through the HTML decoder again. Text without `<tag`,
 * `<!--`/`<!DOCTYPE`/`<?...>` or `&entity;` is left alone, so `5 < 6` survives.
 * Not for titles of parsed feeds: the parser has read those by their type already.
 */
export function plainText(text: string | null): string {
  if (text === null) return '';
  const markup = /<(?:\/?[a-z]|[!?])[^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(text);
  return (markup ? htmlToText(text) : text).replace(/\s+/g, ' ').trim();
}

/** Plain text as one line: whitespace runs as one space, trimmed; every other character kept. */
function singleLine(text: string | null): string {
  return text === null ? '' : text.replace(/\s+/g, ' ').trim();
}

/** Plain-text length under which a summary-only entry is taken for a teaser, not the article. */
export const SHORT_TEXT_CHARS = 600;

/** WordPress adds this line to every feed entry; it says nothing about the text. */
const APPEARED_FIRST = /^the post .+ appeared first on .+$/i;
/** `…`, `...`, WordPress's `[…]` excerpt marker, `(more…)`. */
const ELLIPSIS_END = /(?:…|\.{3}|\[\s*(?:…|\.{3})\s*\]|\(more\s*(?:…|\.{3})?\))\s*$/iu;
/** A closing line that sends the reader elsewhere for the rest: `Read more`, `Read the full story at NK News`. */
const READ_MORE_LINE =
  /^(?:read more|continue reading|keep reading|read (?:the )?(?:full|rest of the|whole|entire) (?:article|story|post|report|interview)|full (?:story|article))\b.{0,100}$/i;
/** The same phrases closing the last paragraph: `... said. Continue reading “Title” →`. */
const READ_MORE_END = /\b(?:read more|continue reading|keep reading)\s*(?:["“][^"”]*["”])?\s*[.:…»›→>\-\s]*$/iu;

/**
 * Whether plain text ends the way teasers do: an ellipsis or a `Read more` /
 * `Continue reading` link, ignoring WordPress's `The post ... appeared first on`
 * line.
 */
export function endsCutShort(text: string): boolean {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  while (lines.length > 0 && APPEARED_FIRST.test(lines[lines.length - 1] ?? '')) lines.pop();
  const last = lines[lines.length - 1];
  if (last === undefined) return false;
  return ELLIPSIS_END.test(last) || READ_MORE_LINE.test(last) || READ_MORE_END.test(last);
}

/**
 * Truncation rule: the text we have is cut short when
 * - it ends like a teaser (`endsCutShort`: ellipsis, `[…]`, `Read more`,
 *   `Continue reading`), whether the feed called it summary or content; or
 * - the feed gave only a summary (no content, or content identical to the
 *   summary) and its plain text is under `SHORT_TEXT_CHARS` characters: about
 *   a paragraph, where a news article runs to thousands.
 * A summary-only entry without text at all counts as cut short too.
 */
function isTruncated(contentText: string, onlySummary: boolean): boolean {
  if (endsCutShort(contentText)) return true;
  return onlySummary && Array.from(contentText).length < SHORT_TEXT_CHARS;
}

function present(html: string | null): string | null {
  return html !== null && html.trim() !== '' ? html : null;
}

/** The entry's address made absolute (parsers resolve it already; a stray relative one is not lost). */
function absoluteLink(link: string | null, feedUrl: string): string | null {
  const trimmed = link?.trim() ?? '';
  if (trimmed === '') return null;
  try {
    return new URL(trimmed, feedUrl).href;
  } catch {
    return null;
  }
}

/** Labels (categories, tags) as plain text, blanks dropped, the first spelling kept when only case differs. */
export function uniqueLabels(values: string[]): string[] {
  const seen = new Map<string, string>();
  for (const value of values) {
    const label = plainText(value);
    if (label !== '' && !seen.has(label.toLowerCase())) seen.set(label.toLowerCase(), label);
  }
  return [...seen.values()];
}

function validDate(date: Date | null): Date | null {
  return date !== null && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * The Source's key for the entry: its guid; else its canonical address; else a
 * hash of title and date (stable across edits of the text). An entry with
 * neither title nor guid nor link has only its text to be known by.
 */
function entryKey(guid: string | null, url: string | null, title: string, published: Date | null, text: string): string {
  const id = guid?.trim() ?? '';
  if (id !== '') return id;
  if (url !== null) return url;
  return `h:${contentHash(`${title === '' ? text : title}\n${published?.toISOString() ?? ''}`)}`;
}

/** One feed entry as an Item of `source`. Pure: the same entry always gives the same Item. */
export function normalizeEntry(entry: ParsedEntry, feed: ParsedFeed, source: FeedSource): Item {
  const link = absoluteLink(entry.link, source.feedUrl);
  const url = canonicalUrlOrNull(link);
  const content = present(entry.content);
  const summaryHtml = present(entry.summary);
  // Relative links in content resolve against the base the parser settled (xml:base,
  // the entry's page, the feed's address, its site). Without a web address among
  // them, the Source's own address (a file:) makes every relative link unresolvable,
  // so it is dropped rather than left to resolve against our site when published.
  const contentHtml = sanitizeHtml(content ?? summaryHtml ?? '', entry.baseUrl ?? link ?? source.feedUrl);
  const contentText = sanitizedHtmlToText(contentHtml);
  // Each HTML is read into text once: it is the costly step of normalizing.
  const summaryText = summaryHtml === null ? null : summaryHtml === content ? contentText : htmlToText(summaryHtml);
  const onlySummary = content === null || summaryText === contentText;
  // The parser read the title by its type (Atom text, HTML or XHTML; RSS's guess):
  // it is plain text now, and reading it as HTML again would lose `Vector<T>`.
  const entryTitle = singleLine(entry.title);
  const publishedAt = validDate(entry.published) ?? validDate(entry.updated);
  const key = entryKey(entry.guid, url, entryTitle, publishedAt, contentText);
  const outlet = singleLine(source.outlet ?? feed.title);
  const author = plainText(entry.author);
  return {
    id: itemId(source.id, key),
    sourceId: source.id,
    key,
    // Untitled entries (JSON Feed allows them, microblogs use them) are shown by their opening words.
    title: entryTitle !== '' ? entryTitle : summarize(contentText, 100) || (url ?? ''),
    url,
    attribution: null,
    outlets: outlet === '' ? [] : [outlet],
    author: author === '' ? null : author,
    publishedAt,
    archiveMonth: null,
    categories: uniqueLabels(entry.categories),
    tags: [],
    contentHtml,
    contentText,
    summary: summarize(summaryText ?? contentText),
    truncated: isTruncated(contentText, onlySummary),
    contentHash: contentHash(contentText),
  };
}
