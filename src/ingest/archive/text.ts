/**
 * String helpers shared by the archive parser: whitespace and quote folding,
 * word counts, and whether a line ends like a finished sentence.
 */

const NBSP = /\u00a0/g;

export function cleanText(text: string): string {
  return text.replace(NBSP, ' ').replace(/\s+/g, ' ').trim();
}

/** Whitespace-separated words (what `text.trim().split(/\s+/).length` counts), without building the array: it runs for every line, often. */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const space = isSpace(text.charCodeAt(i));
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      count += 1;
    }
  }
  return count;
}

/** The characters `\s` matches. */
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Ends like a finished sentence (used to tell a complete post from a cut one). */
export function endsSentence(text: string): boolean {
  return /[.!?…:]["”’'»)\]]*$/.test(cleanText(text));
}
