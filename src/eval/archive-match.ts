/**
 * How a parsed post is compared with a labelled one (eval README, task B):
 * titles after normalising case, quotes and punctuation; the lead paragraph by
 * its first words after collapsing whitespace (the stored texts mix NBSP and
 * spaces) and folding curly quotes.
 */
import type { ArchivePost } from '../ingest/archive/page.js';

/** Words of the lead paragraph that identify it (the labels hold up to this many). */
export const FIRST_WORDS = 8;

/** NFKC, lower case, apostrophes and quotes dropped, other punctuation to spaces, whitespace collapsed. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F'"`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whitespace (NBSP included) collapsed, curly quotes straightened. */
export function normalizeWords(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .trim();
  return folded === '' ? [] : folded.split(/\s+/);
}

/** The first `FIRST_WORDS` words of the post's lead paragraph, as one string. */
export function leadWords(post: ArchivePost): string {
  const lead = post.paragraphs[post.leadIndex] ?? '';
  return normalizeWords(lead).slice(0, FIRST_WORDS).join(' ');
}

/**
 * The labelled first words match when the lead paragraph starts with them. A
 * label may hold fewer than eight words: the paragraph was cut by the end of
 * the stored text (`The Arch of Reunification lo`), or the labeller stopped at
 * a run-in heading (`Sex trafficking. Abuse. Hopelessness. Abandonment.`).
 */
export function firstWordsMatch(expected: string, post: ArchivePost): boolean {
  const wanted = normalizeWords(expected).slice(0, FIRST_WORDS);
  const lead = post.paragraphs[post.leadIndex] ?? '';
  const got = normalizeWords(lead).slice(0, wanted.length);
  return wanted.length > 0 && got.join(' ') === wanted.join(' ');
}

/** Verbatim comparison apart from whitespace; null only equals null. */
export function sameText(expected: string | null, actual: string | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  return normalizeWords(expected).join(' ') === normalizeWords(actual).join(' ');
}

export function sameList(expected: string[] | null, actual: string[] | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  return expected.length === actual.length && expected.every((item, at) => sameText(item, actual[at] ?? null));
}
