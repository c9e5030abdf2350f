/**
 * What follows a post on a single-post page: the WordPress entry footer
 * (`This entry was posted in A, B by Author.`), the comment section and post
 * navigation. None of it is post text; the footer gives categories, tags and
 * the author.
 */
import type { ArchiveFooter } from './page.js';

const ENTRY_FOOTER = 'this entry was posted in';
/** Other WordPress themes: `Posted in A, B | Tagged x | Leave a comment`, or one line per part. */
const FOOTER_PART = /^(?:posted in|tags|tagged(?: with)?|categories|filed under)\s*:?\s+\S/i;

export function isEntryFooterLine(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes(ENTRY_FOOTER)) return true;
  return FOOTER_PART.test(text) && /:|\|/.test(text.slice(0, 40)) && text.length <= 300;
}

/** Whole lines of the comment form, comment list and post navigation (WordPress and Squarespace). */
const COMMENT_SECTION = new RegExp(
  `^(?:${[
    'leave a (?:reply|comment)(?: cancel reply)?',
    '(?:no|one|\\d+) (?:comments?|responses?|thoughts?|replies|references?)(?: (?:on|to)\\b.*)?',
    'comments?(?: \\(\\d+\\))?',
    'comments are closed\\.?',
    'you must be logged in to post a comment\\.?',
    'your email address will not be published.*',
    'required fields are marked.*',
    'this site uses akismet.*',
    'save my name, email, and website.*',
    'notify me of (?:follow-up comments|new posts).*',
    'post (?:navigation|comment)',
    '(?:pingback|trackback):.*',
    'share this(?: post)?:?',
    'like this:?',
    'related(?: posts)?:?',
    '(?:newer|older|previous|next)(?: (?:post|entry|article))?',
    'back to (?:blog|all posts|top)',
    '(?:newest|oldest|most liked) first',
    'post comment(?:…|\\.\\.\\.)?',
    '[←«].{0,150}',
    '.{0,150}[→»]',
  ].join('|')})$`,
  'i',
);
/** A share bar: `Facebook0 Twitter LinkedIn0 Reddit Tumblr Pinterest0 0 Likes`. */
const SHARE_BAR = /^(?:(?:facebook|twitter|linkedin|reddit|tumblr|pinterest|email|share|tweet|print|whatsapp|likes?)\d*\s*|\d+\s+)+$/i;
/** A pingback excerpt: `[…] quoted text […]`. */
const PINGBACK = /^\[(?:…|\.\.\.)\]\s*\S.*\[(?:…|\.\.\.)\]$/;

/** Comment-form and navigation lines, share bars and pingback excerpts. */
export function isCommentSectionLine(text: string): boolean {
  if (PINGBACK.test(text)) return true;
  if (SHARE_BAR.test(text) && /[a-z]/i.test(text)) return true;
  return COMMENT_SECTION.test(text);
}

function splitNames(list: string): { names: string[]; empty: number } {
  const parts = list.split(',').map((part) => part.trim());
  const names = parts.filter((part) => part !== '');
  return { names, empty: parts.length - names.length };
}

/**
 * Reads the footer lines of a single-post page. `endsText`: the last footer
 * line is the last line of the stored text, so it may be cut off.
 */
export function parseEntryFooter(lines: string[], endsText: boolean): ArchiveFooter | null {
  if (lines.length === 0) return null;
  const footer: ArchiveFooter = { categories: [], emptyCategorySlots: 0, tags: [], author: null, truncated: false };
  lines.forEach((line, index) => {
    const isLast = index === lines.length - 1 && endsText;
    const at = line.toLowerCase().indexOf(ENTRY_FOOTER);
    if (at >= 0) {
      // Some themes print `Tags: x, y` glued to the front of the entry footer.
      readFooterPart(line.slice(0, at).trim(), footer);
      readEntryFooter(line.slice(at + ENTRY_FOOTER.length), footer, isLast);
    } else {
      for (const part of line.split('|')) readFooterPart(part.trim(), footer);
    }
  });
  return footer;
}

/** `A, B by Author.`, `A and tagged x, y by Author.`, `, by Author.` (empty category names), or cut off. */
function readEntryFooter(rest: string, footer: ArchiveFooter, isLast: boolean): void {
  const body = rest.replace(/\s*Bookmark the permalink\.?\s*$/i, '').trim();
  const match = /^(.*?)(?:\s+and tagged\s+(.*?))?\s*\bby\s+(.+?)$/i.exec(body);
  const categoryList = match ? (match[1] ?? '') : body.replace(/\.$/, '');
  const { names, empty } = splitNames(categoryList);
  footer.categories.push(...names);
  footer.emptyCategorySlots += empty;
  if (match?.[2]) footer.tags.push(...splitNames(match[2]).names);
  if (match?.[3]) footer.author = match[3].replace(/\.$/, '').trim();
  footer.truncated = isLast && (!match || !/\.$/.test(body)) && !/permalink\.?$/i.test(rest.trim());
}

function readFooterPart(part: string, footer: ArchiveFooter): void {
  const match = /^(posted in|tags|tagged(?: with)?|categories|filed under)\s*:?\s*(.*)$/i.exec(part);
  if (!match) return;
  const kind = (match[1] ?? '').toLowerCase();
  const { names, empty } = splitNames((match[2] ?? '').replace(/\.$/, ''));
  if (kind.startsWith('tag')) {
    footer.tags.push(...names);
  } else {
    footer.categories.push(...names);
    footer.emptyCategorySlots += empty;
  }
}
