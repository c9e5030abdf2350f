/**
 * Parse for the local archive: one archive page dump (a category, tag, monthly
 * or author listing, a paginated blog listing, or a single post) into its posts.
 * Pure: text and origin in, `ArchivePage` out.
 *
 *   lines (archive-lines)  ->  page kind (address, else text)
 *   listing: heading (archive-heading) -> post spans (archive-segment; without
 *     `Posted on by`, archive-boundary reads the page's own rhythm, archive-rhythm)
 *   single post: one span, entry footer (archive-footer)
 *   each span -> ArchivePost (archive-post, archive-attribution)
 *   posts without prose dropped (archive-prose); a page with none is refused
 */
import { InputError } from '../../errors.js';
import { type AddressFacts, readAddress } from './address.js';
import { parseEntryFooter } from './footer.js';
import { findHeading, firstParagraphIndex, markSiteNames, NO_CONTEXT } from './heading.js';
import { type PageLine, readPageLines } from './lines.js';
import type { ArchivePage, ArchivePageKind, ArchivePageOrigin, ArchivePost } from './page.js';
import { readPost } from './post.js';
import { describeNoise, hasProse } from './prose.js';
import { findListingPosts, findSinglePost } from './segment.js';

export interface ParseArchiveOptions {
  /** Extra Outlet spellings (lower-cased spelling -> canonical name), added to the built-in ones. */
  aliases?: Readonly<Record<string, string>>;
  /** The blog's own names (`Crossing Borders`): lines naming the site are page chrome, not titles. */
  siteNames?: readonly string[];
}

/**
 * Throws `InputError('archive', origin.name, ...)` when the text holds no post
 * in a known layout.
 */
export function parseArchivePage(text: string, origin: ArchivePageOrigin, options: ParseArchiveOptions = {}): ArchivePage {
  const lines = readPageLines(text);
  markSiteNames(lines, options.siteNames ?? [], origin.url);
  if (lines.every((line) => line.role === 'nbsp')) {
    throw new InputError('archive', origin.name, 'no posts found: the page is empty');
  }
  // No post can have prose when the whole page has none: say so before segmenting, which is slow on noise.
  if (!hasProse(lines.map((line) => line.raw))) throw noProse(text, origin);
  const address = readAddress(origin.url);
  const kind = address.kind ?? kindFromText(lines);
  const page =
    kind === 'single-post' ? readSinglePostPage(lines, address, origin, options) : readListingPage(lines, address, options);
  if (page.posts.length === 0) {
    throw new InputError('archive', origin.name, 'no posts found: not an archive page dump');
  }
  const posts = withProse(page.posts);
  if (posts.length === 0) throw noProse(text, origin);
  return { ...page, posts };
}

/** Line noise cut into "posts" (a file of random short lines became 280 Items): refused by name, like a binary file. */
function noProse(text: string, origin: ArchivePageOrigin): InputError {
  return new InputError('archive', origin.name, `no posts: the text has no prose (${describeNoise(text)})`);
}

/**
 * The posts written in sentences. A post whose text was cut (the stored page
 * stops inside it, or the blog shows an excerpt with `Read more`) needs less,
 * but only beside a post that is prose: a page with none keeps nothing.
 */
function withProse(posts: ArchivePost[]): ArchivePost[] {
  const prose = posts.map((post) => hasProse(post.paragraphs));
  if (!prose.includes(true)) return [];
  return posts.filter((post, at) => prose[at] || ((post.truncated || post.readMore) && hasProse(post.paragraphs, { cut: true })));
}

function readListingPage(lines: PageLine[], address: AddressFacts, options: ParseArchiveOptions): ArchivePage {
  const postedOn = lines.find((line) => line.role === 'postedOnBy');
  // With `Posted on by` lines the heading is above the first title; otherwise above the first paragraph.
  const limit = postedOn ? postedOn.index - 1 : firstParagraphIndex(lines);
  const heading = findHeading(lines, address, limit);
  const spans = findListingPosts(lines, heading);
  const posts = spans
    .map((span, at) => readPost(lines, span, { last: at === spans.length - 1, aliases: options.aliases }).post)
    // Without `Posted on by` a post is known only by its text: a title with no body is not one.
    .filter((post) => postedOn !== undefined || post.paragraphs.length > 0);
  return {
    kind: 'listing',
    heading: heading?.heading ?? null,
    context: heading?.context ?? { ...NO_CONTEXT },
    posts,
    footer: null,
  };
}

function readSinglePostPage(
  lines: PageLine[],
  address: AddressFacts,
  origin: ArchivePageOrigin,
  options: ParseArchiveOptions,
): ArchivePage {
  const span = findSinglePost(lines, address, titleFromName(origin.name));
  const read = readPost(lines, span, { last: true, aliases: options.aliases });
  const lastFooter = read.footerLines[read.footerLines.length - 1];
  const footer = parseEntryFooter(
    read.footerLines.map((line) => line.text),
    lastFooter !== undefined && lastFooter.index === lines.length - 1,
  );
  const hasText = read.post.paragraphs.length > 0;
  return {
    kind: 'single-post',
    heading: null,
    context: { ...NO_CONTEXT },
    posts: hasText ? [read.post] : [],
    footer,
  };
}

/**
 * Without an address: a page with an entry footer or a comment form and at most
 * one `Posted on by` line is a single post; anything else is read as a listing.
 */
function kindFromText(lines: PageLine[]): ArchivePageKind {
  const postedOn = lines.filter((line) => line.role === 'postedOnBy').length;
  const ending = lines.some((line) => line.role === 'footer' || line.role === 'comments');
  return ending && postedOn <= 1 ? 'single-post' : 'listing';
}

/** `samples/archive/why-the-majority.txt` -> `Why the majority`: a last-resort title. */
function titleFromName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const words = base.replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
