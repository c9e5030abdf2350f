/**
 * A page's own rhythm: what a post start looks like on THIS page, learned from
 * the starts the page marks beyond doubt (its first title, a title after a line
 * that closes a post, a title with a date or byline under it). Squarespace
 * prints an in-post section title in the same shape as a post title, so a
 * constant fitted to some pages cannot tell them apart on others; the page's
 * own marked starts can: a line starts a post only when it looks like them.
 *
 * Two things are learned:
 * - the look of a start: the lines between the title and its first paragraph
 *   (none, an image name, an image and its caption, an empty block, another
 *   heading...), whether the title is glued to the line below on a page that
 *   separates its blocks with blank lines, and whether the page puts a wide gap
 *   (two blank lines, an empty block) before its posts;
 * - how much the subject changes at a start: the cohesion of each marked
 *   post's first section with the post above it. The page's own bars come from
 *   these values, not from constants fitted to other pages.
 */
import { linesCohesion } from './cohesion.js';
import type { PageLine } from './lines.js';
import { isRunningText, isTitleLike } from './shape.js';

/** A line between a title and its first paragraph. */
export type OpenerLine = 'image' | 'caption' | 'subheading' | 'blank' | 'separator' | 'dateline' | 'byline' | 'postedOnBy' | 'other';

export interface StartShape {
  /** The kinds of line between the title and its first paragraph, repeats folded (`[]`: the paragraph itself). */
  opener: OpenerLine[];
  /** Glued to the line below on a page that otherwise separates its blocks with blank lines. */
  glued: boolean;
  /** Two blank lines or an empty (NBSP) block between the text above and the title. */
  wide: boolean;
}

export interface PageRhythm {
  /** The look of every marked start (the first title's included). */
  starts: StartShape[];
  /** Every marked start after the first has a wide gap above it: the page spaces its posts apart. */
  widelySpaced: boolean;
  /**
   * The cohesion of each marked post's first section with the post above it,
   * smallest first; empty when the page marks no start after its first title
   * and so shows nothing to compare with.
   */
  changes: number[];
}

/** Lines that may stand between the end of one post and the next title. */
export const TRANSPARENT = new Set(['image', 'caption', 'nbsp', 'separator', 'dateline']);

function openerLine(line: PageLine): OpenerLine {
  switch (line.role) {
    case 'text':
      return isTitleLike(line) ? 'subheading' : 'other';
    case 'nbsp':
      return 'blank';
    case 'image':
    case 'caption':
    case 'separator':
    case 'dateline':
    case 'byline':
    case 'postedOnBy':
      return line.role;
    default:
      return 'other';
  }
}

/** Most blocks of the page are separated by blank lines, so a line glued to the next one is meaningful. */
export function usesBlankLines(lines: PageLine[]): boolean {
  const separated = lines.filter((line) => line.index > 0 && line.gapBefore > 0).length;
  return separated * 2 > lines.length - 1;
}

export function startShape(lines: PageLine[], index: number, blankSeparated: boolean): StartShape {
  const line = lines[index] as PageLine;
  const next = lines[index + 1];
  let wide = line.gapBefore >= 2;
  for (let at = index - 1; at >= 0 && TRANSPARENT.has((lines[at] as PageLine).role); at -= 1) {
    if ((lines[at] as PageLine).role === 'nbsp') wide = true;
  }
  const opener: OpenerLine[] = [];
  for (const below of lines.slice(index + 1)) {
    if (isRunningText(below)) break;
    const kind = openerLine(below);
    if (opener[opener.length - 1] !== kind) opener.push(kind);
  }
  return { opener, glued: blankSeparated && next !== undefined && next.gapBefore === 0, wide };
}

/** Cohesion of two ranges of page lines (image file names say nothing about the subject). */
export function rangeCohesion(lines: PageLine[], above: [number, number], below: [number, number]): number {
  const words = (from: number, to: number) => lines.slice(from, to).filter((line) => line.role !== 'image');
  return linesCohesion(words(...above), words(...below));
}

/**
 * `first`: the page's first title; `marked`: the later lines the page marks as
 * post starts; `sectionEnd(index)`: one past the last line of the section a
 * title line opens (up to the next title-like line); `postAbove(index)`: where
 * the post above a marked start begins (by default, at the marked start before).
 */
export function learnRhythm(
  lines: PageLine[],
  first: number,
  marked: number[],
  sectionEnd: (index: number) => number,
  blankSeparated: boolean,
  postAbove?: (index: number) => number,
): PageRhythm {
  const starts = [first, ...marked].map((index) => startShape(lines, index, blankSeparated));
  const later = starts.slice(1);
  const changes = marked
    .map((index, at) => {
      const previous = postAbove ? postAbove(index) : at === 0 ? first : (marked[at - 1] as number);
      return rangeCohesion(lines, [previous, index], [index, sectionEnd(index)]);
    })
    .sort((a, b) => a - b);
  return { starts, widelySpaced: later.length > 0 && later.every((shape) => shape.wide), changes };
}

/** The same lines under the two titles, glued or not alike. */
export function sameLook(a: StartShape, b: StartShape): boolean {
  return a.glued === b.glued && a.opener.length === b.opener.length && a.opener.every((kind, at) => kind === b.opener[at]);
}

/**
 * The most cohesion a line's section may have with the post above it for the
 * line to start a post, or null when it does not look like a start here.
 *
 * - It must look like a marked start of the page: the same lines under it,
 *   glued or not like them, spaced like them.
 * - With only a paragraph under it (the look of most section titles too), the
 *   subject must change at least as much as at a typical marked start: the
 *   lower median of the page's values.
 * - With an image, caption, empty block or heading under it as under a marked
 *   start, that look is evidence already: the subject must change as much as
 *   at the page's least marked boundary (the largest value).
 */
export function subjectChangeBar(shape: StartShape, rhythm: PageRhythm): number | null {
  if (rhythm.changes.length === 0) return null;
  if (rhythm.widelySpaced && !shape.wide) return null;
  const seen = rhythm.starts.some((start) => sameLook(start, shape));
  if (!seen) return null;
  const { changes } = rhythm;
  // The lower median: of two middle values the smaller, so a tie never invents a post.
  if (shape.opener.length === 0) return changes[Math.floor((changes.length - 1) / 2)] as number;
  return changes[changes.length - 1] as number;
}
