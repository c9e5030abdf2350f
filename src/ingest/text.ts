/**
 * Plain text from HTML and back, and short summaries. Re-exported by sanitize.ts;
 * `htmlToText` parses with sanitize-html (our declared dependency) rather than
 * reaching for its parser directly.
 */
import sanitize from 'sanitize-html';

/** Elements whose boundaries are paragraph breaks in plain text. */
const BLOCK_TAGS = [
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'main', 'nav',
  'blockquote', 'pre', 'figure', 'figcaption', 'table', 'ul', 'ol', 'dl',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'address',
];
/** Elements whose boundaries are line breaks. */
const LINE_TAGS = ['br', 'li', 'dt', 'dd', 'tr'];

/** Tags dropped together with their content: sanitize-html's defaults plus embeds and forms. */
export const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template',
  'iframe', 'object', 'embed', 'form', 'svg', 'math', 'head', 'title',
];

/**
 * The entities sanitize-html writes into text (it decodes all others while
 * parsing and escapes only these), so decoding them undoes its output exactly.
 */
function decodeEscapes(text: string): string {
  return text.replace(/&(lt|gt|quot|amp);/g, (_, name: string) =>
    ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name] ?? '',
  );
}

/**
 * Plain text: paragraphs separated by a blank line, list items and `<br>` on
 * their own lines, entities decoded, runs of whitespace collapsed to one space.
 */
export function htmlToText(html: string): string {
  // Keep only the tags that mark breaks, without attributes: what remains is
  // `<tag>`, `</tag>`, `<tag />` and escaped text, easy to take apart.
  const marked = sanitize(html, {
    allowedTags: [...BLOCK_TAGS, ...LINE_TAGS],
    allowedAttributes: {},
    nonTextTags: DROPPED_WITH_CONTENT,
  });
  // Whitespace in HTML source (newlines included) is one space; breaks come from tags only.
  const withBreaks = marked.replace(/\s+/g, ' ').replace(/<(\/?)([a-z0-9]+)\s*\/?>/g, (_, close: string, tag: string) => {
    if (BLOCK_TAGS.includes(tag)) return '\n\n';
    // A list item starts a line; its end does not add another (no blank line between items).
    return tag === 'br' || close === '' ? '\n' : '';
  });
  return decodeEscapes(withBreaks)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Escapes text for HTML the way sanitize-html does, so the result is stable under `sanitizeHtml`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One `<p>` per non-blank paragraph, text escaped; line breaks inside become `<br />`. */
export function textToHtml(paragraphs: string[]): string {
  return paragraphs
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\s*\n\s*/g, '<br />')}</p>`)
    .join('');
}

/**
 * A plain one-paragraph summary of at most `maxChars` characters, cut at a word
 * boundary with an ellipsis when the text is longer.
 */
export function summarize(text: string, maxChars = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat); // code points, so a cut never splits a surrogate pair
  if (chars.length <= maxChars) return flat;
  const room = Math.max(maxChars - 1, 0); // one character for the ellipsis
  let cut = chars.slice(0, room + 1).lastIndexOf(' ');
  if (cut <= 0) cut = room; // one long word: cut inside it
  const head = chars.slice(0, cut).join('').replace(/[\s,;:.\u2013\u2014-]+$/u, '');
  return `${head}…`;
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
