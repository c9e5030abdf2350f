/**
 * The Item: one entry as a Source gave it, cleaned (sanitised HTML, plain text,
 * canonical fields), before any merging into Stories. Ids are derived from the
 * Source and the Source's own key, so re-ingesting the same input gives the same ids.
 */
import { createHash } from 'node:crypto';
import { normalizeText } from '../html/text.js';

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

export function contentHash(text: string): string {
  return shortHash(normalizeText(text), 32);
}
