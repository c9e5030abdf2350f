/**
 * Which title-like lines of a listing start a post, on pages where nothing but
 * title lines separates posts (Squarespace, and WordPress renderings that lost
 * their `Posted on by` lines). A post told in titled sections prints each
 * section title in the same shape as a post title, so a line starts a post only
 * when the page says so:
 *
 * 1. marked starts: the line above closes a post (`[Outlet]`, `Read the full
 *    story here.`, a sign-off), or a date, byline or `Posted on` stands right
 *    under the line. Only a post start has these. So has a line after two
 *    blank lines on a page whose double blank lines all stand before
 *    title-like lines: WordPress dumps leave the slot of a missing `[Outlet]`
 *    line empty, and never part paragraphs that way.
 * 2. From the first title and the marked starts, the page's rhythm
 *    (archive-rhythm): what its post starts look like and how much the subject
 *    changes at them.
 * 3. Any other title-like line starts a post only when it looks like the page's
 *    starts (the same kind of line under it, glued or not, spaced like them)
 *    and the text below it changes the subject at least as much as the page's
 *    marked starts do (cohesion at or under the bar archive-rhythm draws from
 *    them). Two title-like lines in a row with the same picture (or empty
 *    block, or heading) under them and no closing line between are one post's
 *    sections: the second stays in the post. A page that marks no
 *    start after its first title gives nothing to compare with: its other
 *    title-like lines stay in their post as section titles, since an invented
 *    post is a worse error than a missed one.
 */
import type { PageLine } from './lines.js';
import {
  learnRhythm,
  type PageRhythm,
  rangeCohesion,
  sameLook,
  type StartShape,
  startShape,
  subjectChangeBar,
  TRANSPARENT,
  usesBlankLines,
} from './rhythm.js';
import { isPostEnding, isRunningText, isTitleLike } from './shape.js';

/** Lines that only a post start has right under its title. */
const START_MARKS = new Set(['dateline', 'byline', 'postedOnBy']);

/** Title-shaped, not itself a closing line, not the page heading again (`heading`: folded). */
function isCandidate(line: PageLine, heading: string | null): boolean {
  if (!isTitleLike(line) || isPostEnding(line)) return false;
  return heading === null || line.folded !== heading;
}

/** A post needs a body: running text between the last title and this one. */
function hasBodySince(lines: PageLine[], since: number, index: number): boolean {
  return lines.slice(since + 1, index).some(isRunningText);
}

/** The page's double blank lines all stand before title-like lines: there, they end a post. */
function gapsEndPosts(lines: PageLine[]): boolean {
  return lines.every((line) => line.index === 0 || line.gapBefore < 2 || isTitleLike(line));
}

/**
 * The page marks this line as a post start: the line above closes a post, a
 * date, byline or `Posted on` is under it, or (`gapEnds`) two blank lines are above it.
 */
function isMarkedStart(lines: PageLine[], index: number, since: number, gapEnds: boolean): boolean {
  if (START_MARKS.has(lines[index + 1]?.role ?? '')) return true;
  if (gapEnds && (lines[index] as PageLine).gapBefore >= 2) return true;
  for (let at = index - 1; at > since; at -= 1) {
    const above = lines[at] as PageLine;
    if (!TRANSPARENT.has(above.role)) return isPostEnding(above);
  }
  return false;
}

/** One past the last line of the section `index` opens: up to the next title-like line after some running text. */
function sectionEnd(lines: PageLine[], index: number): number {
  let body = false;
  for (let at = index + 1; at < lines.length; at += 1) {
    const line = lines[at] as PageLine;
    if (body && isTitleLike(line)) return at;
    if (isRunningText(line)) body = true;
  }
  return lines.length;
}

/**
 * An unmarked line starts a post when it looks like the page's starts and
 * changes the subject as much as they do; `previous`: the look of the unmarked
 * title-like line before it, since the last marked start.
 */
function startsPost(
  lines: PageLine[],
  index: number,
  lastTitle: number,
  rhythm: PageRhythm,
  shape: StartShape,
  previous: StartShape | null,
): boolean {
  // Pictures (or empty blocks, or headings) under two title-like lines in a row
  // with no closing line between are one post's way of printing its sections.
  if (shape.opener.length > 0 && previous !== null && sameLook(shape, previous)) return false;
  const bar = subjectChangeBar(shape, rhythm);
  if (bar === null) return false;
  return rangeCohesion(lines, [lastTitle, index], [index, sectionEnd(lines, index)]) <= bar;
}

/** Adds to `[first]` the lines that start a post, given the page's rhythm. */
function decide(lines: PageLine[], first: number, candidates: number[], rhythm: PageRhythm, blankSeparated: boolean): number[] {
  const titles = [first];
  const gapEnds = gapsEndPosts(lines);
  let previous: StartShape | null = null;
  for (const index of candidates) {
    const lastTitle = titles[titles.length - 1] as number;
    if (!hasBodySince(lines, lastTitle, index)) continue;
    if (isMarkedStart(lines, index, lastTitle, gapEnds)) {
      titles.push(index);
      previous = null;
      continue;
    }
    const shape = startShape(lines, index, blankSeparated);
    if (startsPost(lines, index, lastTitle, rhythm, shape, previous)) titles.push(index);
    previous = shape;
  }
  return titles;
}

/**
 * The title lines of the page's posts, in page order, from `first` (the page's
 * first title) on.
 */
export function findTitles(lines: PageLine[], first: number, heading: string | null): number[] {
  // A title needs post text below it: the last such line closes the range.
  const lastText = lines.findLastIndex((line) => line.role === 'text' || line.role === 'postedOnBy');
  const candidates = lines
    .filter((line) => line.index > first && line.index < lastText && isCandidate(line, heading))
    .map((line) => line.index);
  const marked: number[] = [];
  const gapEnds = gapsEndPosts(lines);
  for (const index of candidates) {
    const since = marked[marked.length - 1] ?? first;
    if (hasBodySince(lines, since, index) && isMarkedStart(lines, index, since, gapEnds)) marked.push(index);
  }
  const blankSeparated = usesBlankLines(lines);
  const end = (index: number) => sectionEnd(lines, index);
  // The subject change at a marked start is measured against the post above
  // it. Where that post begins is known only once the unmarked starts are
  // read, so they are read twice: first against everything since the previous
  // marked start, then against the posts the first reading found.
  const rough = decide(lines, first, candidates, learnRhythm(lines, first, marked, end, blankSeparated), blankSeparated);
  const postAbove = (index: number) => rough.filter((title) => title < index).pop() ?? first;
  return decide(lines, first, candidates, learnRhythm(lines, first, marked, end, blankSeparated, postAbove), blankSeparated);
}
