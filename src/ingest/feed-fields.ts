/**
 * Field readers the format mappers share: plain-text titles, addresses,
 * people, HTML bodies, enclosures. Each returns null (or []) for "absent" so
 * the mappers can chain fallbacks with `??`.
 */
import { decodeHTMLStrict } from 'entities';
import type { ParsedEnclosure, ParsedPerson } from './parsed-feed.js';
import { htmlToText } from './text.js';
import { hasElementChildren, innerHtml, textContent, type XmlElement } from './xml-tree.js';

/** Runs of whitespace as one space, trimmed; null when nothing is left. */
export function collapse(text: string | null | undefined): string | null {
  if (text == null) return null;
  const out = text.replace(/\s+/g, ' ').trim();
  return out === '' ? null : out;
}

const ENTITY = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;
const TAG = /<\/?[a-zA-Z][^<>]*>|<!--|<br\s*\/?>/;

/** Text still holding HTML tags or entity references after XML decoding: double-encoded, or HTML. */
export function looksLikeHtml(text: string): boolean {
  return TAG.test(text) || ENTITY.test(text);
}

/** Decodes HTML character references (named ones need their `;`); unknown ones stay. */
export function decodeHtmlEntities(text: string): string {
  return decodeHTMLStrict(text);
}

/** A title as plain text, from HTML (tags dropped, entities decoded). */
export function htmlTitle(html: string): string | null {
  return collapse(TAG.test(html) ? htmlToText(html) : decodeHtmlEntities(html));
}

/**
 * A title whose type is unknown (RSS, JSON Feed) or declared text: text with
 * tags or entity references left in it after XML decoding is read as HTML.
 * Feeds escape twice far more often than they mean a literal `&amp;`.
 */
export function plainTitle(text: string | null, options: { tags: boolean }): string | null {
  if (text === null) return null;
  if (options.tags && TAG.test(text)) return collapse(htmlToText(text));
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

const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[^\s<>()"',;:]+/;

/**
 * A person as RSS and Dublin Core write them: `jane@example.org (Jane Doe)`
 * (RSS 2.0), `Jane Doe <jane@example.org>`, `jane@example.org` or `Jane Doe`.
 */
export function parsePerson(text: string | null): ParsedPerson | null {
  const value = collapse(text);
  if (!value) return null;
  const email = EMAIL.exec(value)?.[0]?.replace(/^mailto:/i, '') ?? null;
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
