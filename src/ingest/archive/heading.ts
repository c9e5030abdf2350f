/**
 * The top of a listing page: site chrome, then (on archive listings) the
 * heading printed above the posts. WordPress prefixes its headings (`Category:
 * X`, `Monthly Archives: April 2016`); Squarespace prints the bare tag or author
 * name, which the page address confirms.
 */
import type { AddressFacts } from './address.js';
import type { PageLine } from './lines.js';
import { isRunningText, isTitleLike } from './shape.js';
import {cleanText, wordCount} from './text.js';
import type { ArchiveContext } from './page.js';
import { normalizeText } from '../../html/text.js';

const HEADING_PREFIX =
  /^(category|tag|author|category archives|tag archives|author archives|monthly archives|daily archives|yearly archives|archives|month|year|day|search results for|posts tagged|posts by)\s*:\s*(\S.*)$/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Navigation residue a dump may keep at the top of a page. */
const NAVIGATION = new Set(['home', 'about', 'about us', 'blog', 'donate', 'give', 'contact', 'contact us', 'menu', 'open menu', 'close menu', 'search', 'skip to content', 'skip to main content', 'back', 'subscribe', 'cart', 'close', 'our work', 'get involved']);

/** A site title (`Stories of North Korean Refugees - Crossing Borders Blog`), the site's name, or a navigation link. */
export function isSiteChrome(line: PageLine): boolean {
  const folded = line.folded;
  if (line.namesSite || NAVIGATION.has(folded)) return true;
  return /\s[-–—|:]\s.*\bblog$/.test(folded) || folded === 'blog';
}

/** Letters and digits only, lower case: `Crossing Borders` -> `crossingborders`. */
const compact = (folded: string) => folded.replace(/[^a-z0-9]/g, '');

/**
 * Marks lines that are, or end with, the site's name (`Post title - Site Name`,
 * a banner with the name alone): page chrome, never a title or a heading. The
 * names come from the Source's config and from the page address, whose host
 * usually spells the name without spaces (`Crossing Borders` in crossingbordersnk.org).
 */
export function markSiteNames(lines: PageLine[], siteNames: readonly string[], url: string | null | undefined): void {
  const names = siteNames.map((name) => compact(normalizeText(name))).filter((name) => name.length > 0);
  const host = url && /^https?:\/\//i.test(url) ? compact(new URL(url).hostname.toLowerCase().replace(/^www\./, '')) : '';
  for (const line of lines) {
    const tail = compact(line.folded.split(/\s[-–—|]\s/).pop() ?? '');
    // Six letters at least, so a short word that happens to be in the host name is not taken for it.
    line.namesSite = tail.length >= 6 && (names.includes(tail) || host.includes(tail));
  }
}

export interface PageHeading {
  heading: string;
  /** Index of the heading line among the page lines. */
  index: number;
  context: ArchiveContext;
}

export const NO_CONTEXT: ArchiveContext = { category: null, month: null, tag: null, author: null };

/** `April 2016` -> `2016-04`; `April 5, 2016` -> `2016-04`; null for a year alone. */
function monthOf(value: string): string | null {
  const match = /^([a-z]+)\.?\s+(?:\d{1,2},?\s+)?(\d{4})$/i.exec(value.trim());
  if (!match) return null;
  const month = MONTHS.findIndex((name) => name.startsWith((match[1] ?? '').toLowerCase().slice(0, 3)));
  return month < 0 ? null : `${match[2]}-${String(month + 1).padStart(2, '0')}`;
}

/** Reads a prefixed WordPress heading (`Category: Kim Yo Jong`), or null. */
export function readPrefixedHeading(text: string): ArchiveContext | null {
  const match = HEADING_PREFIX.exec(cleanText(text));
  if (!match) return null;
  const kind = (match[1] ?? '').toLowerCase();
  const value = (match[2] ?? '').trim();
  const context = { ...NO_CONTEXT };
  if (kind.startsWith('category')) context.category = value;
  else if (kind.startsWith('tag') || kind === 'posts tagged') context.tag = value;
  else if (kind.startsWith('author') || kind === 'posts by') context.author = value;
  else context.month = monthOf(value);
  return context;
}

/** Words a title has and a person's name does not (`Hope Through Hardship`, `Finding His Brother`). */
const FUNCTION_WORDS = new Set(
  'a an the of in on at to for from by with through after before about into over under and or but nor is are was were be his her their our my your its we you how why what who when where not no as'.split(' '),
);

/**
 * `Jacob Shin`: two to four capitalised words, none of them a function word,
 * as an author archive prints its author. A Title-Case post title over its
 * first section title is not one, or the real title is lost to the heading.
 */
function isPersonName(text: string): boolean {
  const words = text.split(' ');
  return (
    words.length >= 2 &&
    words.length <= 4 &&
    words.every((word) => /^\p{Lu}[\p{L}.'’-]*$/u.test(word) && !FUNCTION_WORDS.has(word.toLowerCase()))
  );
}

/**
 * Finds the heading among the lines above the first paragraph of running text.
 * A bare line counts as a heading only when the address says what to expect (a
 * tag or category name, an author's name) or, for a page with no address, when
 * two title-like lines stand before the first paragraph and the first is short,
 * and no longer than the second.
 */
export function findHeading(lines: PageLine[], address: AddressFacts, limit: number): PageHeading | null {
  const top = lines.slice(0, limit);
  for (const line of top) {
    const context = readPrefixedHeading(line.text);
    if (context) return { heading: line.text, index: line.index, context };
  }
  const facet = address.facet;
  if (facet?.value) {
    const wanted = normalizeText(facet.value.replace(/[-_]+/g, ' '));
    const line = top.find((candidate) => candidate.folded === wanted);
    if (line) return { heading: line.text, index: line.index, context: { ...NO_CONTEXT, [facet.kind]: line.text } };
  }
  if (facet?.kind === 'author') {
    const line = top.find((candidate, at) => {
      const next = top[at + 1];
      return isTitleLike(candidate) && isPersonName(candidate.text) && next !== undefined && isTitleLike(next);
    });
    if (line) return { heading: line.text, index: line.index, context: { ...NO_CONTEXT, author: line.text } };
  }
  if (address.kind === null) {
    const run = top.filter((line) => !isSiteChrome(line) && isTitleLike(line));
    const [first, second] = run;
    // A tag or category names a subject in a word or three, no longer than the
    // post title under it; a post title over its first section title
    // (`Light After the Long Night` over `Background`) is the longer line.
    const words = first ? wordCount(first.text) : 0;
    if (first && second && words <= 6 && words <= wordCount(second.text) && first.index < second.index) {
      return { heading: first.text, index: first.index, context: { ...NO_CONTEXT, tag: first.text } };
    }
  }
  return null;
}

/**
 * Index of the first running-text (or `Posted on by`) line at or after `from`,
 * or the page length: headings and titles sit above it.
 */
export function firstParagraphIndex(lines: PageLine[], from = 0): number {
  const found = lines.slice(from).find((line) => isRunningText(line) || line.role === 'postedOnBy');
  return found ? found.index : lines.length;
}
