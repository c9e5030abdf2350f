/**
 * Field readers the format mappers share: plain-text titles, addresses,
 * people, HTML bodies, enclosures. Each returns null (or []) for "absent" so
 * the mappers can chain fallbacks with `??`.
 */
import { decodeHTMLStrict } from 'entities';
import type { ParsedEnclosure, ParsedPerson } from './parsed-feed.js';
import { htmlToText, looksLikeHtml } from '../../html/text.js';
import { hasElementChildren, innerHtml, textContent, type XmlElement } from './xml-tree.js';

/**
 * Entries read from one document. Real feeds carry tens, podcasts a few
 * thousand; beyond this a document is a dump or an attack, and every entry
 * costs memory downstream. Feeds list the newest first, so the first ones are kept.
 */
export const MAX_ENTRIES = 10_000;

export function firstEntries<T>(entries: T[], warnings: string[]): T[] {
  if (entries.length <= MAX_ENTRIES) return entries;
  warnings.push(`${entries.length} entries: only the first ${MAX_ENTRIES} are read`);
  return entries.slice(0, MAX_ENTRIES);
}

/** Runs of whitespace as one space, trimmed; null when nothing is left. */
export function collapse(text: string | null | undefined): string | null {
  if (text == null) return null;
  const out = text.replace(/\s+/g, ' ').trim();
  return out === '' ? null : out;
}

const ENTITY = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;
const TAG = /<\/?[a-zA-Z][^<>]*>|<!--|<br\s*\/?>/;

/** Decodes HTML character references (named ones need their `;`); unknown ones stay. */
export function decodeHtmlEntities(text: string): string {
  return decodeHTMLStrict(text);
}

/** Longer than this, a title is junk; cutting it bounds the work HTML titles cost. */
const MAX_TITLE_CHARS = 2000;

/** A title as plain text, from HTML (tags dropped, entities decoded). */
export function htmlTitle(value: string): string | null {
  const html = value.slice(0, MAX_TITLE_CHARS);
  return collapse(TAG.test(html) ? htmlToText(html) : decodeHtmlEntities(html));
}

/** A title declared plain text (Atom `type="text"`, RFC 4287 §3.1.1.1): every character is meant, `<` included. */
export function literalTitle(value: string | null): string | null {
  return value === null ? null : collapse(value.slice(0, MAX_TITLE_CHARS));
}

/**
 * A title whose type is not declared (RSS, JSON Feed, Atom without `type`).
 * With `mayBeHtml` (RSS, where HTML titles are common), text that looks like
 * HTML by feedparser's rule (`looksLikeHtml`) is read as HTML; any other `<`
 * is a character (`Vector<T>`, `<talks>`). Character references left after XML
 * decoding are decoded once more: feeds escape twice (`&amp;#8217;`) far more
 * often than they mean a literal `&#8217;`.
 */
export function plainTitle(value: string | null, options: { mayBeHtml: boolean }): string | null {
  if (value === null) return null;
  const text = value.slice(0, MAX_TITLE_CHARS);
  if (options.mayBeHtml && looksLikeHtml(text)) return collapse(htmlToText(text));
  return collapse(ENTITY.test(text) ? decodeHtmlEntities(text) : text);
}

/**
 * An HTML body held in an element: escaped or CDATA HTML as text, or markup
 * written straight into the XML ("naked" XHTML), which is serialised back.
 */
export function htmlBody(element: XmlElement | null): string | null {
  if (!element) return null;
  const html = hasElementChildren(element) ? innerHtml(element) : textContent(element);
  const trimmed = html.trim();
  return trimmed === '' ? null : trimmed;
}

/** An absolute address, or null when `value` is empty or cannot be resolved. */
export function resolveUrl(value: string | null | undefined, base: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    return new URL(trimmed, base ?? undefined).href;
  } catch {
    return null;
  }
}

/** An address a reader can open: http(s) only (no `javascript:`, `data:`, `tag:`). */
export function resolveWebUrl(value: string | null | undefined, base: string | null): string | null {
  const url = resolveUrl(value, base);
  return url && /^https?:/i.test(url) ? url : null;
}

/** The first of `candidates` that is an absolute http(s) address; null when none is. */
export function firstWebUrl(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) if (candidate && /^https?:\/\//i.test(candidate) && URL.canParse(candidate)) return candidate;
  return null;
}

/** The address xml:base puts in scope at `element`, null when none does (the document's address is not one). */
export function xmlBaseOf(element: XmlElement): string | null {
  return element.xmlBase ? element.base : null;
}

/** Longer than this, a name or address is junk; cutting it also bounds the regular expression below. */
const MAX_PERSON_CHARS = 256;
const EMAIL = /[^\s<>()"',;:@]{1,64}@[^\s<>()"',;:@]{1,190}\.[^\s<>()"',;:@.]{1,63}/;

/**
 * A person as RSS and Dublin Core write them: `jane@example.org (Jane Doe)`
 * (RSS 2.0), `Jane Doe <jane@example.org>`, `jane@example.org` or `Jane Doe`.
 */
export function parsePerson(text: string | null): ParsedPerson | null {
  const value = collapse(text?.slice(0, MAX_PERSON_CHARS));
  if (!value) return null;
  const email = value.includes('@') ? (EMAIL.exec(value)?.[0]?.replace(/^mailto:/i, '') ?? null) : null;
  let name = value;
  if (email) {
    name = value
      .replace(EMAIL, '')
      .replace(/\(\s*\)|<\s*>|mailto:/gi, '')
      .replace(/^\s*\((.*)\)\s*$/, '$1')
      .trim();
  }
  return { name: collapse(name), email, url: null };
}

/** `Jane Doe (jane@example.org)`, feedparser's display form; or just the name or the address. */
export function personLabel(person: ParsedPerson): string | null {
  if (person.name && person.email) return `${person.name} (${person.email})`;
  return person.name ?? person.email;
}

export function authorLabel(people: ParsedPerson[]): string | null {
  const labels = unique(people.map(personLabel).filter((label): label is string => label !== null));
  return labels.length > 0 ? labels.join(', ') : null;
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Distinct, non-empty category names in document order. */
export function categoryList(values: (string | null)[]): string[] {
  return unique(values.map((value) => collapse(value)).filter((value): value is string => value !== null));
}

export function enclosure(url: string | null, type: string | null, length: string | null): ParsedEnclosure | null {
  if (!url) return null;
  const bytes = length && /^\s*\d{1,15}\s*$/.test(length) ? Number(length) : null;
  return { url, type: collapse(type), length: bytes && bytes > 0 ? bytes : null };
}

/** One enclosure per address, the first one seen winning (feeds repeat them in media:group). */
export function uniqueEnclosures(list: (ParsedEnclosure | null)[]): ParsedEnclosure[] {
  const seen = new Map<string, ParsedEnclosure>();
  for (const item of list) if (item && !seen.has(item.url)) seen.set(item.url, item);
  return [...seen.values()];
}
