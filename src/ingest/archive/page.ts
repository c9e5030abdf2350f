/**
 * What the archive parser reads out of one archive page dump. The parser itself
 * (parseArchivePage) lives in parse.ts; this file only holds the shapes
 * every other stage relies on.
 */

/** One post found on an archive page. */
export interface ArchivePost {
  /** Title as printed (or, for a single-post page without a title line, the page's known title). */
  title: string;
  /**
   * The bracketed source line closing the post, verbatim without the brackets
   * (`VoA/South China Morning Post`, `Read full article at The Daily Beast`); null when absent.
   */
  attribution: string | null;
  /** Outlet names read from the attribution (`[VoA/South China Morning Post]` -> two). */
  outlets: string[];
  /**
   * Body blocks in page order: running-text paragraphs, in-post subheadings and captions
   * (a caption printed twice kept once). Without the title, `Posted on by`, image file
   * names, `~` separators, NBSP-only lines, the attribution line and page footers.
   */
  paragraphs: string[];
  /** Index in `paragraphs` of the first running-text paragraph (captions, bylines, subheadings skipped); -1 if none. */
  leadIndex: number;
  /** The stored page text ends inside this post. */
  truncated: boolean;
  /** The post ends with a `Read more` link: the blog shows only an excerpt. */
  readMore: boolean;
}

/** The entry footer of a single-post page (`This entry was posted in A, B by Author.`). */
export interface ArchiveFooter {
  /** Category names; [] when the footer prints only empty names. */
  categories: string[];
  /** Number of empty category names printed (`posted in , by`). */
  emptyCategorySlots: number;
  tags: string[];
  author: string | null;
  /** The footer line is cut off at the end of the stored text. */
  truncated: boolean;
}

/** Context the page heading gives to every post on it. */
export interface ArchiveContext {
  /** `Category: X` -> X */
  category: string | null;
  /** `Monthly Archives: April 2016` -> `2016-04` */
  month: string | null;
  /** A tag page's tag name (the Squarespace heading, `Tag: X`). */
  tag: string | null;
  /** An author archive's author name. */
  author: string | null;
}

export type ArchivePageKind = 'listing' | 'single-post';

export interface ArchivePage {
  kind: ArchivePageKind;
  /** The archive heading printed above the posts, verbatim; null when the page shows none. */
  heading: string | null;
  context: ArchiveContext;
  posts: ArchivePost[];
  /** Single-post pages only, when the footer is in the text. */
  footer: ArchiveFooter | null;
}

/** Where a page came from: a file name in the archive folder, or a page address. */
export interface ArchivePageOrigin {
  name: string;
  url?: string | null;
}
