/**
 * Plain text from HTML and back, and short summaries. Re-exported by sanitize.ts.
 */
import { decodeHTMLStrict } from 'entities';
import { Parser } from 'htmlparser2';

/** Elements whose boundaries are paragraph breaks in plain text. */
const BLOCK_TAGS = [
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'main', 'nav',
  'blockquote', 'pre', 'figure', 'figcaption', 'table', 'ul', 'ol', 'dl',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'address',
];
/** Elements whose boundaries are line breaks. */
const LINE_TAGS = ['br', 'li', 'dt', 'dd', 'tr'];

/**
 * Tags dropped together with their content: sanitize-html's defaults plus embeds
 * and forms, and the fallbacks shown only where embeds or frames are not
 * (`noembed`, `noframes`: sanitize-html's parser reads their content as raw
 * text, which would come out as escaped markup).
 */
export const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template',
  'iframe', 'object', 'embed', 'form', 'svg', 'math', 'head', 'title', 'noembed', 'noframes',
];

const blockTags = new Set(BLOCK_TAGS);
const lineTags = new Set(LINE_TAGS);
const droppedTags = new Set(DROPPED_WITH_CONTENT);

/**
 * Plain text: paragraphs separated by a blank line, list items and `<br>` on
 * their own lines, entities decoded, runs of whitespace collapsed to one space.
 * Reads the HTML once with htmlparser2's streaming tokenizer (sanitize-html's
 * own parser): this runs for every Item, so it must be cheap.
 */
export function htmlToText(html: string): string {
  let text = '';
  let dropping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (droppedTags.has(name)) dropping += 1;
        else if (dropping === 0 && blockTags.has(name)) text += '\n\n';
        // A list item starts a line; its end does not add another (no blank line between items).
        else if (dropping === 0 && lineTags.has(name)) text += '\n';
      },
      onclosetag(name) {
        if (droppedTags.has(name)) dropping = Math.max(0, dropping - 1);
        else if (dropping === 0 && blockTags.has(name)) text += '\n\n';
      },
      ontext(chunk) {
        // Whitespace in HTML source (newlines included) is one space; breaks come from tags only.
        if (dropping === 0) text += chunk.replace(/\s+/g, ' ');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return tidyLines(text);
}

/** The only references sanitised HTML holds: sanitize-html escapes text and attribute values with these. */
const SANITISED_REFERENCES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/**
 * `htmlToText` for the output of `sanitizeHtml`, where every `<` opens a tag of
 * the allow-list (text and attribute values have theirs escaped), there are no
 * comments and no other references: a scan for tags gives the same text
 * without a parser, at a fraction of the cost (normalize runs it on every Item).
 * For any other HTML it would be wrong; use `htmlToText`.
 */
export function sanitizedHtmlToText(html: string): string {
  let text = '';
  let at = 0;
  for (const tag of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    text += html.slice(at, tag.index).replace(/\s+/g, ' ');
    at = tag.index + tag[0].length;
    const name = tag[2]!;
    if (blockTags.has(name)) text += '\n\n';
    else if (tag[1] === '' && lineTags.has(name)) text += '\n';
  }
  text += html.slice(at).replace(/\s+/g, ' ');
  return tidyLines(text.replace(/&(?:amp|lt|gt|quot);/g, (reference) => SANITISED_REFERENCES[reference]!));
}

/** Each line's whitespace collapsed and trimmed, at most one blank line in a row. */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The elements feedparser accepts as HTML in a field whose type is not declared
 * (feedparser's `_HTMLSanitizer.acceptable_elements`, BSD-2-Clause): a tag of
 * any other name (`<T>`, `<talks>`, `<script>`) means the text is not HTML.
 */
const HTML_ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'area', 'article', 'aside', 'audio', 'b', 'big', 'blockquote', 'br',
  'button', 'canvas', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'command', 'datagrid', 'datalist',
  'dd', 'del', 'details', 'dfn', 'dialog', 'dir', 'div', 'dl', 'dt', 'em', 'event-source', 'fieldset',
  'figcaption', 'figure', 'font', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i',
  'img', 'input', 'ins', 'kbd', 'keygen', 'label', 'legend', 'li', 'm', 'map', 'menu', 'meter', 'multicol',
  'nav', 'nextid', 'noscript', 'ol', 'optgroup', 'option', 'output', 'p', 'pre', 'progress', 'q', 's', 'samp',
  'section', 'select', 'small', 'sound', 'source', 'spacer', 'span', 'strike', 'strong', 'sub', 'sup', 'table',
  'tbody', 'td', 'textarea', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'video',
]);

/** A comment, doctype, CDATA section or processing instruction: never text in a title (qTranslate writes `<!--:en-->`). */
const MARKUP_DECLARATION = /<!--[\s\S]*?-->|<!doctype\b[^>]*>|<!\[CDATA\[|<\?[a-z][\s\S]*?\?>/i;

/**
 * Whether text of undeclared type (an RSS title, a category) is HTML, by
 * feedparser's rule (`looks_like_html`), which errs towards text because
 * reading text as HTML silently loses it: it needs a closing tag or a
 * character reference, every tag must be an HTML element and every named
 * reference a known one. So `Vector<T> and a < b` and `Meet us at <talks>` are
 * text, `China&#8217;s <b>crackdown</b>` is HTML. Unlike feedparser, a comment
 * or doctype also marks HTML.
 */
export function looksLikeHtml(text: string): boolean {
  if (!/<\/\w+>|&#?\w+;/.test(text) && !MARKUP_DECLARATION.test(text)) return false;
  for (const [, name] of text.matchAll(/<\/?(\w+)/g)) if (!HTML_ELEMENTS.has(name!.toLowerCase())) return false;
  for (const [reference] of text.matchAll(/&\w+;/g)) if (decodeHTMLStrict(reference) === reference) return false;
  return true;
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
  // A string has no more code points than UTF-16 units: most texts are short enough by the cheap count.
  if (flat.length <= maxChars) return flat;
  const chars = Array.from(flat.slice(0, 2 * maxChars + 2)); // code points, so a cut never splits a surrogate pair
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
  // Most text is ASCII, where compatibility forms, curly quotes and dashes cannot occur.
  const folded = NON_ASCII.test(text)
    ? text
        .normalize('NFKC')
        .replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'")
        .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
        .replace(/[\u2010-\u2015\u2212]/g, '-')
        .replace(/\u2026/g, '...')
    : text.replace(/`/g, "'");
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

const NON_ASCII = /[^\x00-\x7f]/;
