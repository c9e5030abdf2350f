/**
 * Where the posts of a page are: the title line and the body range of each.
 *
 * - Listings with `Posted on by` lines (WordPress): the title is the line above
 *   each of them, and nothing else starts a post, so an in-body caption such as
 *   `Kim Yo Jong (center) seated among other officials` never splits one.
 * - Listings without them (Squarespace, some WordPress renderings): the first
 *   title-like line under the heading, then each line archive-boundary reads
 *   as a post start (the page's own rhythm); section titles stay in their post.
 * - Single-post pages: one post, never split; the title is the top line that
 *   matches the address slug, else the slug itself.
 */
import { type AddressFacts, titleFromSlug } from './address.js';
import { findTitles } from './boundary.js';
import { sharedWords } from './cohesion.js';
import { firstParagraphIndex, isSiteChrome, type PageHeading } from './heading.js';
import { type PageLine, isFurniture } from './lines.js';
import { isCallToAction, isRunningText, isTitleLike } from './shape.js';
import { normalizeText } from '../../html/text.js';

export interface PostSpan {
  title: string;
  /** Index of the title line; null when the title was rebuilt from the address. */
  titleLine: number | null;
  /** First line of the body. */
  from: number;
  /** One past the last line of the body. */
  to: number;
}

export function findListingPosts(lines: PageLine[], heading: PageHeading | null): PostSpan[] {
  const titles = lines.some((line) => line.role === 'postedOnBy')
    ? titlesAbovePostedOn(lines, heading)
    : titlesByBoundaries(lines, heading);
  return titles.map((titleLine, at) => ({
    title: (lines[titleLine] as PageLine).raw,
    titleLine,
    from: titleLine + 1,
    to: titles[at + 1] ?? lines.length,
  }));
}

function titlesAbovePostedOn(lines: PageLine[], heading: PageHeading | null): number[] {
  const titles: number[] = [];
  for (const line of lines) {
    if (line.role !== 'postedOnBy') continue;
    const above = lines[line.index - 1];
    if (above && above.role === 'text' && above.index !== heading?.index) titles.push(above.index);
  }
  return titles;
}

/**
 * The title-like lines that stand above the first paragraph after `start`
 * (captions, image names and bylines between them are passed over).
 */
function leadingCandidates(lines: PageLine[], start: number): PageLine[] {
  return lines.slice(start, firstParagraphIndex(lines, start)).filter((line) => isTitleLike(line) && !isSiteChrome(line));
}

/**
 * Of the lines above the first paragraph, the title is the first, after any
 * promotion the site prints above its posts (`See How You Can Maximize Your
 * Impact with a Donor Advised Fund`: a call to action sharing no word with the
 * post). The lines below the title are its section titles: a title sharing no
 * word with its first section (`Still Waters` over `Across the Mekong`) is
 * still the title.
 */
function chooseLeadingTitle(lines: PageLine[], candidates: PageLine[]): PageLine | undefined {
  const last = candidates[candidates.length - 1];
  if (!last) return undefined;
  const below = lines.slice(last.index + 1);
  const end = below.findIndex((line, at) => isTitleLike(line) && below.slice(0, at).some(isRunningText));
  const body = (end < 0 ? below : below.slice(0, end)).filter(isRunningText).map((line) => line.text);
  const promotion = (line: PageLine) => isCallToAction(line.text) && sharedWords(line.text, body) === 0;
  return candidates.find((candidate) => !promotion(candidate)) ?? candidates[0];
}

function titlesByBoundaries(lines: PageLine[], heading: PageHeading | null): number[] {
  const start = heading ? heading.index + 1 : 0;
  const first = chooseLeadingTitle(lines, leadingCandidates(lines, start));
  return first ? findTitles(lines, first.index, heading ? normalizeText(heading.heading) : null) : [];
}

/** Share of the slug's words found in a line: 1 for an exact title, 0 for `Background`. */
function slugMatch(line: PageLine, slugWords: string[]): number {
  const words = new Set(line.folded.replace(/['"]/g, '').split(/[^\p{L}\d]+/u));
  return slugWords.filter((word) => words.has(word)).length / slugWords.length;
}

/** Enough of the slug in the line to call it the title (slugs drop or shorten words). */
const SLUG_MATCH = 0.5;

export function findSinglePost(lines: PageLine[], address: AddressFacts, fallbackTitle: string): PostSpan {
  const top = lines.slice(0, firstParagraphIndex(lines));
  const candidates = top.filter((line) => isTitleLike(line) && !isSiteChrome(line));
  const slug = address.slugWords;
  // A line directly above `Posted on by` is the title whatever the slug says.
  const abovePostedOn = candidates.find((line) => lines[line.index + 1]?.role === 'postedOnBy');
  const title =
    slug.length > 0
      ? (candidates
          .map((line) => ({ line, score: slugMatch(line, slug) }))
          .filter(({ score }) => score >= SLUG_MATCH)
          .sort((a, b) => b.score - a.score)[0]?.line ?? abovePostedOn)
      : candidates[0];
  if (title) return { title: title.raw, titleLine: title.index, from: title.index + 1, to: endOfSinglePost(lines, title.index + 1) };
  // No title line in the text (it starts at a subheading, say): the page's
  // known title is its slug; everything but the site chrome is the post.
  const found = lines.findIndex((line) => !isSiteChrome(line) && !isFurniture(line));
  const from = found < 0 ? lines.length : found;
  return { title: slug.length > 0 ? titleFromSlug(slug) : fallbackTitle, titleLine: null, from, to: endOfSinglePost(lines, from) };
}

/**
 * The post runs to the end of the page (its footer and comments are cut off
 * later), unless another post's `Posted on by` follows (a related-posts block):
 * then it stops at that post's title.
 */
function endOfSinglePost(lines: PageLine[], from: number): number {
  const next = lines.find((line) => line.role === 'postedOnBy' && line.index > from);
  return next ? next.index - 1 : lines.length;
}
