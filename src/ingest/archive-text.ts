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

/** Ends like a finished sentence (used to tell a complete post from a cut one). */
export function endsSentence(text: string): boolean {
  return /[.!?…:]["”’'»)\]]*$/.test(cleanText(text));
}
