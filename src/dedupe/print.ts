/**
 * An Item's dedupe print: everything the decision rules read about it, made
 * once when the Item is processed and kept in the store (dedupe_prints), so a
 * later Item is compared with it without reading or preparing its text again.
 */
import type { Item } from '../ingest/item.js';
import type { ShingledText } from './containment.js';
import { summarize } from '../html/text.js';
import { repairMojibake } from './encoding.js';
import { extractFacts, type Fact } from './facts.js';
import { bodyLines, prepareLines } from './prepare.js';
import { skeletonOf, titleKey, type Skeleton } from './rewrite.js';
import { seriesPart, type SeriesPart } from './series.js';
import { shinglesOf, winnow, wordHashes } from './shingles.js';

/** How texts are cut into shingles and indexed; part of DedupeSettings. */
export interface ShingleSettings {
  /** Words per shingle. */
  shingleWords: number;
  /** Winnowing window, in shingles: passages of window + shingleWords - 1 words always meet in the index. */
  window: number;
}

export interface DatedRange {
  /** First and last day the Item may be from (an archive month spans its days), `YYYY-MM-DD`. */
  from: string;
  to: string;
}

export interface DedupePrint extends ShingledText {
  itemId: string;
  contentHash: string;
  /** Canonical address of the Item's page; null for archive posts. */
  url: string | null;
  series: SeriesPart | null;
  dated: DatedRange | null;
  /** Body words once furniture is dropped. */
  wordCount: number;
  /** The index keys: winnowed shingles, sorted. */
  fingerprints: number[];
  /** Names, numbers and dates, positioned among the body words (facts.ts). */
  facts: Fact[];
  /** Function-word shingles outside quotes, sorted, with the paragraph each starts in (rewrite.ts): what a synonym spinner leaves. */
  skeleton: Skeleton;
  /** The title's folded words; null for an untitled Item (rewrite.ts). */
  titleKey: string | null;
  /** Where the Item was published: its page's host without `www.`, else its Source (an archive post). Furniture is counted per site. */
  site: string;
  /** The body lines that hold a whole shingle, as [hash, first word, end word) triplets: what the text counts count (furniture.ts). */
  paragraphs: Int32Array;
  /** Its paragraphs are in the text counts: it started a Story of its own (a repost adds no new text). Set by the store. */
  counted: boolean;
  /**
   * How many pages (Stories) hold each paragraph, on this print's site and on
   * any site, its own page included when counted: read from the text counts
   * by the index lookup; absent where no counts were read.
   */
  pages?: ParagraphPages;
  /** Body words, only on prints made in this process (to quote a shared passage in a merge's reason). */
  words?: string[];
}

export interface ParagraphPages {
  site: Int32Array;
  all: Int32Array;
}

/** What a print is made from: the Item fields the rules use. */
export type PrintSource = Pick<Item, 'id' | 'sourceId' | 'title' | 'contentText' | 'contentHash' | 'url' | 'publishedAt' | 'archiveMonth'>;

/** The site furniture is counted on: the page's host, or the Source for an archive post (which has no page of its own). */
export function siteOf(item: Pick<Item, 'sourceId' | 'url'>): string {
  if (item.url) {
    try {
      return new URL(item.url).hostname.replace(/^www\./, '');
    } catch {
      // An address the URL parser refuses is no host: the Source stands for the site.
    }
  }
  return item.sourceId;
}

/**
 * Each body line holding a whole shingle, hashed as one (its words in order):
 * a paragraph that recurs on many pages of one site is that site's furniture.
 */
function paragraphsOf(hashes: Uint32Array, lineEnds: readonly number[], shingleWords: number): Int32Array {
  const triplets: number[] = [];
  let start = 0;
  for (const end of lineEnds) {
    if (end - start >= shingleWords) triplets.push(shinglesOf(hashes.subarray(start, end), end - start)[0]!, start, end);
    start = end;
  }
  return Int32Array.from(triplets);
}

/** Each word's paragraph hash (0 for a line too short to be one). */
function paragraphOfWords(paragraphs: Int32Array, words: number): Int32Array {
  const of = new Int32Array(words);
  for (let i = 0; i < paragraphs.length; i += 3) of.fill(paragraphs[i]!, paragraphs[i + 1]!, paragraphs[i + 2]!);
  return of;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The Source's date, else the archive month it was filed under; null when neither is known. */
export function datedRange(item: Pick<Item, 'publishedAt' | 'archiveMonth'>): DatedRange | null {
  if (item.publishedAt) return { from: day(item.publishedAt), to: day(item.publishedAt) };
  const month = item.archiveMonth?.match(/^(\d{4})-(\d{2})$/);
  if (!month) return null;
  const [year, number] = [Number(month[1]), Number(month[2])];
  return { from: `${month[0]}-01`, to: day(new Date(Date.UTC(year, number, 0))) };
}

/** The shingles every occurrence of which lies wholly inside quotation marks. */
function quotedShingles(shingles: Int32Array, quotedWords: boolean[], size: number): Set<number> {
  const quoted = new Set<number>();
  if (!quotedWords.includes(true)) return quoted;
  const inside = (start: number) => {
    const end = Math.min(start + size, quotedWords.length);
    for (let i = start; i < end; i += 1) if (!quotedWords[i]) return false;
    return true;
  };
  for (let start = 0; start < shingles.length; start += 1) if (inside(start)) quoted.add(shingles[start]!);
  // A shingle also found outside quotes is the writer's own words somewhere.
  for (let start = 0; start < shingles.length && quoted.size > 0; start += 1) if (!inside(start)) quoted.delete(shingles[start]!);
  return quoted;
}

/** The title is the text's opening words (normalizeEntry's stand-in for an untitled entry): only the text's head is read. */
function isUntitled(title: string, text: string): boolean {
  if (title.length > 101) return false;
  // Cheap first: the opening words stand at the text's start (summarize only folds its whitespace).
  const opening = title.slice(0, title.search(/\s|$/));
  if (!text.trimStart().startsWith(opening)) return false;
  return title === summarize(text.length > 2000 ? text.slice(0, 2000) : text, 100);
}

export function makePrint(item: PrintSource, settings: ShingleSettings): DedupePrint {
  // An untitled entry is shown by its opening words (normalizeEntry): those are no title to find it by,
  // to look for a part number in, or to drop from the body as a headline printed again.
  const untitled = isUntitled(item.title, item.contentText);
  // A page saved with the wrong encoding is the same text (encoding.ts).
  const title = untitled ? '' : repairMojibake(item.title);
  const lines = bodyLines(title, repairMojibake(item.contentText));
  const text = prepareLines(title, lines);
  const hashes = wordHashes(text.words);
  const shingles = shinglesOf(hashes, settings.shingleWords);
  const quoted = quotedShingles(shingles, text.quoted, settings.shingleWords);
  const paragraphs = paragraphsOf(hashes, text.lineEnds, settings.shingleWords);
  return {
    itemId: item.id,
    contentHash: item.contentHash,
    url: item.url,
    series: seriesPart(title),
    dated: datedRange(item),
    wordCount: text.words.length,
    shingles,
    quoted,
    fingerprints: winnow(shingles, settings.window),
    facts: extractFacts(lines),
    skeleton: skeletonOf(hashes, text.quoted, paragraphOfWords(paragraphs, text.words.length)),
    titleKey: titleKey(title),
    site: siteOf(item),
    paragraphs,
    counted: false,
    words: text.words,
  };
}
