/**
 * Personal Editions: what one Subscriber gets of an Edition, and their own links in it.
 *
 *   Edition + the Subscriber's Topic preferences -> the sections they get (a preference set)
 *   -> rendered ONCE per preference set, with placeholder links (src/mail/renders.ts caches it)
 *   -> each Subscriber's signed links put in place of the placeholders
 *
 * Which sections: a Subscriber with no preferences gets every section. One with
 * preferences gets the sections of their Topics, and not "Other news" (Stories
 * with no Topic): they chose what they want, and those Stories are none of it.
 * A preference set that leaves no Story gets no email (the Delivery is skipped),
 * rather than an email with nothing in it.
 */
import { RenderError } from '../errors.js';
import type { Edition } from '../digest/edition.js';
import type { RenderContext, RenderedEmail } from './render.js';

/**
 * Stand-ins for the per-Subscriber links while rendering: absolute https links
 * (the render checks accept them) under the reserved `.invalid` domain (RFC 2606),
 * made only of characters that HTML escaping leaves alone, so they come out of
 * the templates exactly as they went in and nothing else in an email matches them.
 */
export const LINK_PLACEHOLDERS = {
  unsubscribe: 'https://newsdesk-link.invalid/unsubscribe-9d1c4e',
  preferences: 'https://newsdesk-link.invalid/preferences-9d1c4e',
} as const;

export type PersonalLinks = { [K in keyof typeof LINK_PLACEHOLDERS]: string };

/** The Edition's sections a Subscriber gets, in the Edition's order; null is "Other news". */
export function sectionsFor(edition: Edition, topics: readonly string[]): (string | null)[] {
  const sections = [...new Set(edition.entries.map((entry) => entry.section))];
  if (topics.length === 0) return sections;
  const wanted = new Set(topics);
  return sections.filter((section) => section !== null && wanted.has(section));
}

/** One key per distinct preference set: Subscribers whose preferences select the same sections share one render. */
export function preferenceKey(sections: readonly (string | null)[]): string {
  return JSON.stringify(sections);
}

/** The Edition as these sections' readers get it: the other sections' Stories left out. */
export function editionForSections(edition: Edition, sections: readonly (string | null)[]): Edition {
  const kept = new Set(sections);
  return { ...edition, entries: edition.entries.filter((entry) => kept.has(entry.section)) };
}

/** The render context with the placeholders in place of the Subscriber's links. */
export function placeholderContext(context: RenderContext): RenderContext {
  return { ...context, links: { ...context.links, ...LINK_PLACEHOLDERS } };
}

/** For a double-quoted HTML attribute (where the links stand): the five characters that could end or change it. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The rendered email with one Subscriber's links in place of the placeholders:
 * attribute-escaped in the HTML, as they are in the text. An email whose HTML
 * lacks the unsubscribe placeholder is refused: it would go out without a way out.
 */
export function withLinks(email: RenderedEmail, links: PersonalLinks, editionId: string): RenderedEmail {
  if (!email.html.includes(LINK_PLACEHOLDERS.unsubscribe)) throw new RenderError(editionId, ['the HTML has no unsubscribe link to personalise']);
  let { html, text } = email;
  for (const key of Object.keys(LINK_PLACEHOLDERS) as (keyof PersonalLinks)[]) {
    // Replacer functions: a `$` in a link is not a replacement pattern.
    const escaped = escapeAttribute(links[key]);
    html = html.replaceAll(LINK_PLACEHOLDERS[key], () => escaped);
    text = text.replaceAll(LINK_PLACEHOLDERS[key], () => links[key]);
  }
  return { ...email, html, text };
}
