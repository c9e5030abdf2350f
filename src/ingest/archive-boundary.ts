/**
 * Is this short line the title of the next post, or a subheading of the
 * current one? On Squarespace pages (and WordPress renderings that lost their
 * `Posted on by` lines) nothing but the title line separates two posts, and a
 * post may hold several subheadings of the same shape. The decision weighs what
 * the page shows around the line, then, when the page shows nothing, whether the
 * line changes the subject.
 */
import { cohesion } from './archive-cohesion.js';
import type { PageLine } from './archive-lines.js';
import { isPostEnding, isRunningText, isTitleLike } from './archive-shape.js';
import {wordCount} from './archive-text.js';
import { normalizeText } from './text.js';

/**
 * Cohesion above which a line stays inside the current post even when the page
 * shows a weaker mark of a boundary (an image, caption or empty block right
 * below it, a wide gap above it). On the development pages, titles score
 * 0.02-0.54 (the top of the range: consecutive WordPress posts on one story)
 * and in-post subheadings 0.46-0.77; the two ranges overlap a little, and a
 * marked line gets the benefit of the doubt up to the middle.
 */
export const EVIDENCED_MAX_COHESION = 0.5;
/**
 * Cohesion below which a line with no mark at all is read as a new title.
 * Unmarked titles score 0.11-0.22 on the development pages, in-post subheadings
 * 0.46 and up. The bar stays near the titles' end of the gap: an invented post
 * (a post split at a subheading) is a worse error than a missed one.
 */
export const UNEVIDENCED_MAX_COHESION = 0.25;
/** Lines of context on each side for the cohesion measure (about one screen of a post). */
export const COHESION_WINDOW = 6;
/** A title is at least this many words unless the page marks the boundary; `Background` is a subheading. */
export const MIN_UNMARKED_TITLE_WORDS = 4;

/** Lines that may sit between the end of one post and the next title without being either. */
const TRANSPARENT = new Set(['image', 'caption', 'nbsp', 'separator', 'dateline']);
/** Lines that open a post right under its title. */
const POST_OPENERS = new Set(['image', 'caption', 'byline', 'nbsp', 'postedOnBy', 'dateline']);

export interface BoundaryContext {
  lines: PageLine[];
  /** Index of the last line accepted as a title: the current post starts there. */
  lastTitle: number;
  /** The page heading, folded: a line repeating it is a subheading, never a post. */
  heading: string | null;
  /** Most lines of the page are separated by blank lines, so a line glued to the next is meaningful. */
  blankSeparated: boolean;
}

export interface BoundaryEvidence {
  /** The previous post visibly ended: `[Outlet]`, `Read the full story here.`, a sign-off. */
  previousEnded: boolean;
  /** Weaker marks: an image, caption, byline or empty block right below; a wide gap or empty block above. */
  marked: boolean;
  /** Marks of a subheading: glued to the paragraph below, or directly followed by another short line. */
  subheadingShape: boolean;
  cohesion: number;
}

function textOf(lines: PageLine[]): string[] {
  return lines.filter((line) => line.role !== 'image').map((line) => line.text);
}

export function boundaryEvidence(index: number, context: BoundaryContext): BoundaryEvidence {
  const { lines, lastTitle } = context;
  const line = lines[index] as PageLine;
  let previousEnded = false;
  let marked = line.gapBefore >= 2;
  for (let at = index - 1; at > lastTitle; at -= 1) {
    const previous = lines[at] as PageLine;
    if (previous.role === 'nbsp') marked = true;
    if (TRANSPARENT.has(previous.role)) continue;
    previousEnded = isPostEnding(previous);
    break;
  }
  const next = lines[index + 1];
  if (next && POST_OPENERS.has(next.role)) marked = true;
  const glued = next !== undefined && next.gapBefore === 0 && context.blankSeparated;
  const stacked = next !== undefined && isTitleLike(next);
  const before = lines.slice(Math.max(lastTitle, index - COHESION_WINDOW), index);
  const after = lines.slice(index, index + 1 + COHESION_WINDOW);
  return {
    previousEnded,
    marked,
    subheadingShape: glued || stacked,
    cohesion: cohesion(textOf(before), textOf(after)),
  };
}

/**
 * The decision, in order:
 * 1. never a title: not title-shaped, a repeat of the page heading, no running
 *    text since the last title (a post needs a body), or nothing below it;
 * 2. a title when the previous post visibly ended;
 * 3. with weaker marks and no subheading shape, a title unless it clearly
 *    continues the current subject;
 * 4. with no marks, a title only if it is long enough, not shaped like a
 *    subheading, and changes the subject.
 */
export function isNextTitle(index: number, context: BoundaryContext): boolean {
  const { lines, lastTitle } = context;
  const line = lines[index];
  if (!line || !isTitleLike(line) || isPostEnding(line)) return false;
  if (context.heading !== null && line.folded === context.heading) return false;
  if (!lines.slice(lastTitle + 1, index).some(isRunningText)) return false;
  if (!lines.slice(index + 1).some((below) => below.role === 'text' || below.role === 'postedOnBy')) return false;
  const evidence = boundaryEvidence(index, context);
  if (evidence.previousEnded) return true;
  if (evidence.marked && !evidence.subheadingShape) return evidence.cohesion < EVIDENCED_MAX_COHESION;
  if (evidence.subheadingShape || wordCount(line.text) < MIN_UNMARKED_TITLE_WORDS) return false;
  return evidence.cohesion < UNEVIDENCED_MAX_COHESION;
}

export function usesBlankLines(lines: PageLine[]): boolean {
  const separated = lines.filter((line) => line.index > 0 && line.gapBefore > 0).length;
  return separated * 2 > lines.length - 1;
}
