/**
 * String helpers shared by the archive parser: whitespace and quote folding,
 * word counts, and whether a line ends like a finished sentence.
 */

const NBSP = /\u00a0/g;

export function cleanText(text: string): string {
  return text.replace(NBSP, ' ').replace(/\s+/g, ' ').trim();
}

export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Curly quotes folded, case ignored: for comparing two printed lines. */
export function foldLine(text: string): string {
  return cleanText(text)
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .toLowerCase();
}

/** Ends like a finished sentence (used to tell a complete post from a cut one). */
export function endsSentence(text: string): boolean {
  return /[.!?…:]["”’'»)\]]*$/.test(cleanText(text));
}
