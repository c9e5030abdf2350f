/**
 * Archive page dumps are plain text: one block of the page per line, blank lines
 * (sometimes) between blocks. This file reads the lines and says what each one
 * is by its shape alone, so the segmenter can reason about roles rather than
 * regular expressions. Patterns are the layouts of our two blogs (WordPress and
 * Squarespace) and of the page furniture they print.
 */
import { isCommentSectionLine, isEntryFooterLine } from './footer.js';
import {cleanText, endsSentence, wordCount} from './text.js';
import { normalizeText } from '../../html/text.js';

export type LineRole =
  /** `Posted on by` (WordPress listings; the date and author links are lost in the dump). */
  | 'postedOnBy'
  /** A whole line in square brackets: the outlet credit closing a WordPress post. */
  | 'bracketed'
  /** An image file name (`x.jpg`, `Screen Shot 2017-10-25 at 9.20.11 PM.png`). */
  | 'image'
  /** `~`, `***`, `---`: a visual break inside a post. */
  | 'separator'
  /** A line holding only non-breaking spaces: an empty Squarespace block. */
  | 'nbsp'
  /** Photo caption or credit: printed twice, `(Photo by ...)`, `SEOUL ... – MAY 17:`, `(SBS News)`. */
  | 'caption'
  /** `- This post was written by ...`, `By Jane Doe`: who wrote the post, not its text. */
  | 'byline'
  /** `Updated ...`, a bare date. */
  | 'dateline'
  /** A `Read more` / `Continue reading` link: the post is an excerpt. */
  | 'readMore'
  /** `This entry was posted in ...`, `Tags: ...`: the single-post entry footer. */
  | 'footer'
  /** Comment form, `One thought on ...`, pingbacks, post navigation. */
  | 'comments'
  /** Anything else: running text, titles, subheadings. */
  | 'text';

export interface PageLine {
  /** Position among the page's non-blank lines. */
  index: number;
  /** As stored, trimmed (inner non-breaking spaces kept). */
  raw: string;
  /** Whitespace (NBSP included) collapsed to single spaces, trimmed. */
  text: string;
  /** `text` with quotes folded and case ignored (normalizeText), computed once: lines are compared often. */
  folded: string;
  /** Blank lines right before this line in the page text. */
  gapBefore: number;
  role: LineRole;
  /** The line is, or ends with, the site's own name (see markSiteNames). */
  namesSite: boolean;
  /**
   * The last line of the text, stopping mid-sentence: the stored page was cut
   * here, so its shape says nothing (`The Arch of Reunification lo` is prose,
   * not a heading).
   */
  cut: boolean;
}

/** Reads a page into its non-blank lines, each with the blank-line gap before it and its role. */
export function readPageLines(pageText: string): PageLine[] {
  const lines: PageLine[] = [];
  let gap = 0;
  for (const rawLine of pageText.replace(/\r\n?/g, '\n').split('\n')) {
    if (rawLine.trim() === '' && !rawLine.includes('\u00a0')) {
      gap += 1;
      continue;
    }
    const raw = rawLine.trim();
    const text = cleanText(rawLine);
    lines.push({ index: lines.length, raw, text, folded: normalizeText(text), gapBefore: gap, role: 'text', namesSite: false, cut: false });
    gap = 0;
  }
  for (const line of lines) line.role = roleOf(line, lines);
  const last = lines[lines.length - 1];
  if (last && last.role === 'text' && !endsSentence(last.text)) last.cut = true;
  return lines;
}

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)$/i;
const SEPARATOR = /^[~*\-–—_=•·.#]{1,10}$/;
const POSTED_ON = /^posted (?:on|by)\b/i;
const BRACKETED = /^\[([^[\]]+)\]$/;
const CREDIT = /\((?:photo|image|picture|credit|courtesy|source|file photo)\b[^)]*\)|\([^()]*\/\s*(?:for\s+)?[^()]*\)\s*$|^(?:photo|image|picture)(?: credit| source)?\s*:/i;
/** A wire-photo credit: `REUTERS/Kim Hong-Ji`, `AFP/Getty Images`. */
const AGENCY_CREDIT = /\b(?:REUTERS|Reuters|AFP|AP|EPA|KCNA|Yonhap|Getty Images|Shutterstock)\s*\/\s*\S[^.]*$/;
/** Getty-style dateline caption: `SEOUL, SOUTH KOREA – MAY 17: Kang Min poses ...`. */
const DATELINE_CAPTION = /^[A-Z][A-Z.'’ -]+(?:, [A-Z][A-Z.'’ -]+)*\s+[–—-]\s+[A-Z]{3,}\.? \d{1,2}(?:, \d{4})?:/;
const BYLINE =
  /^(?:[-–—*]\s*)?(?:this (?:post|article|story|piece|interview) (?:was|is) (?:written|contributed|submitted|reported) by|(?:written|reported|posted) by\b)/i;
const BY_NAME = /^by\s+[A-Z][\p{L}.'’-]*(?:\s+[A-Z][\p{L}.'’-]*){0,3}(?:\s*[,|–—-].{0,60})?$/u;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DATE_ONLY = new RegExp(
  `^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s+)?(?:${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+${MONTH},?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2,4})$`,
  'i',
);
const UPDATED = /^(?:last )?updated\b/i;
const READ_MORE = /^(?:read more|read the rest(?: of (?:this|the) (?:entry|post))?|continue reading|keep reading)(?:\s*(?:[»›→>]+|\.{3}|…))?$|^continue reading\b.*[»›→]$/i;

/** The role a line has by its shape and, for doubled captions, its neighbours. */
function roleOf(line: PageLine, lines: PageLine[]): LineRole {
  const text = line.text;
  if (text === '') return 'nbsp';
  if (SEPARATOR.test(text)) return 'separator';
  if (POSTED_ON.test(text) && wordCount(text) <= 12) return 'postedOnBy';
  if (READ_MORE.test(text)) return 'readMore';
  if (isEntryFooterLine(text)) return 'footer';
  if (isCommentSectionLine(text)) return 'comments';
  if (BRACKETED.test(text) && !/^\[\s*(?:…|\.\.\.)\s*\]$/.test(text)) return 'bracketed';
  if (IMAGE_FILE.test(text) && wordCount(text) <= 12) return 'image';
  if (isCaption(line, lines)) return 'caption';
  if ((BYLINE.test(text) && wordCount(text) <= 30) || (BY_NAME.test(text) && wordCount(text) <= 10)) return 'byline';
  if (DATE_ONLY.test(text) || (UPDATED.test(text) && wordCount(text) <= 12)) return 'dateline';
  return 'text';
}

/** Longest credit a doubled caption adds (` (Photo: Yonhap News Agency)`). */
const CREDIT_CHARS = 60;

/** Squarespace prints an image caption twice (sometimes once with its credit, once without). */
function isDoubled(line: PageLine, lines: PageLine[]): boolean {
  const own = line.folded;
  // Folded text has single spaces: no space, one word. (This runs for every line: the cheap tests go first.)
  if (!own.includes(' ')) return false;
  return [lines[line.index - 1], lines[line.index + 1]].some((other) => {
    if (!other) return false;
    const theirs = other.folded;
    if (theirs === own) return true;
    const [shorter, longer] = own.length < theirs.length ? [own, theirs] : [theirs, own];
    // The other printing may add a credit, not a paragraph: a page that glues the headline to the body is not a caption.
    return longer.length - shorter.length <= CREDIT_CHARS && longer.startsWith(shorter) && wordCount(shorter) >= 4;
  });
}

/** `Kim Yo Jong (far right) at the 2018 Winter Olympics`: a caption placing people in a photo. */
const PHOTO_POSITION = /\((?:far |second from |third from )?(?:left|right|center|centre|middle|top|bottom|front|back|above|below)\)/i;

function isCaption(line: PageLine, lines: PageLine[]): boolean {
  const text = line.text;
  if ((CREDIT.test(text) || AGENCY_CREDIT.test(text)) && wordCount(text) <= 45) return true;
  if ((PHOTO_POSITION.test(text) || /^(?:pictured|above|below|top|left|right)\s*:/i.test(text)) && wordCount(text) <= 40) return true;
  if (DATELINE_CAPTION.test(text)) return true;
  // A parenthesised credit alone on its line: `(SBS News)`, `(Paula Bronstein / For The Washington Post)`.
  if (/^\([^()]+\)$/.test(text) && wordCount(text) <= 8) return true;
  // `Michelle in South Korea,`: a caption the dump cut from its photo.
  if (/,$/.test(text) && wordCount(text) <= 8) return true;
  return isDoubled(line, lines);
}

/** Captions, image names and other lines that sit between a post's parts without being text. */
export function isFurniture(line: PageLine): boolean {
  return ['image', 'caption', 'separator', 'nbsp', 'byline', 'dateline'].includes(line.role);
}
