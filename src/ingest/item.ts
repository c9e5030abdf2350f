/**
 * The Item: one entry as a Source gave it, cleaned (sanitised HTML, plain text,
 * canonical fields), before any merging into Stories. Ids are derived from the
 * Source and the Source's own key, so re-ingesting the same input gives the same ids.
 */
import { createHash } from 'node:crypto';

export interface Item {
  id: string;
  sourceId: string;
  /** The Source's own identity for the entry (archive: title + opening words). */
  key: string;
  title: string;
  url: string | null;
  /** Verbatim credit line, e.g. `VoA/South China Morning Post`. */
  attribution: string | null;
  outlets: string[];
  author: string | null;
  publishedAt: Date | null;
  /** `YYYY-MM` when an archive page dates the post (monthly archives). */
  archiveMonth: string | null;
  categories: string[];
  tags: string[];
  /** Sanitised HTML. */
  contentHtml: string;
  contentText: string;
  summary: string;
  /** The text we have is cut short (page ended, or a `Read more` excerpt). */
  truncated: boolean;
  /** Hash of the normalised text: equal hashes are exact reposts. */
  contentHash: string;
}

/** One place an Item was seen. */
export interface Appearance {
  itemId: string;
  /** Archive file name, page address or feed address. */
  location: string;
  /** 1-based order on the page. */
  position: number | null;
  context: Record<string, string | null>;
}

function shortHash(text: string, length = 20): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function itemId(sourceId: string, key: string): string {
  return `it_${shortHash(`${sourceId}\u0000${key}`)}`;
}

/**
 * Text reduced to what identifies it: Unicode compatibility forms, curly quotes
 * and dashes folded, case and whitespace ignored. Numbers and names stay.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function contentHash(text: string): string {
  return shortHash(normalizeText(text), 32);
}
