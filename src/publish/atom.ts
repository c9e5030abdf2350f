/**
 * Atom 1.0 (RFC 4287) with the `feed` package, plus the two fixes its output needs.
 */
import { Feed, type Item } from 'feed';
import { escapeHtml } from '../html/sanitize.js';
import { type FeedHead, GENERATOR, type PreparedEntry } from './feed-entry.js';
import { cdata, xmlAttribute, xmlText } from './xml-text.js';

function atomItem(entry: PreparedEntry): Item {
  return {
    // `feed` writes entry titles as type="html" (RFC 4287 §3.1.1.2), so the plain
    // title is escaped as HTML: a reader decodes the XML, then the HTML, and gets it back.
    title: cdata(escapeHtml(entry.title)),
    // Written verbatim: `feed` passes it through `new URL()`, which prepareFeed checked is a no-op.
    id: entry.id,
    // `Item.link` is typed as required, but an entry without one must not get an
    // invented link: `feed` then writes `<link/>`, removed below.
    link: entry.link ?? (undefined as unknown as string),
    date: entry.updated,
    // <published> only when known (RFC 4287 §4.2.9 makes it optional); <updated> is required.
    published: entry.published ?? undefined,
    description: entry.summaryHtml === '' ? undefined : cdata(entry.summaryHtml),
    content: cdata(entry.contentHtml),
    // Outlets are the authors (RFC 4287 §4.2.1); entries with none inherit the
    // feed's author, the publisher (§4.1.1 requires one or the other).
    author: entry.outlets.length === 0 ? undefined : entry.outlets.map((name) => ({ name: xmlText(name) })),
    category:
      entry.categories.length === 0
        ? undefined
        : entry.categories.map((c) => ({ term: c.term, ...(c.label ? { name: c.label } : {}), ...(c.scheme ? { scheme: c.scheme } : {}) })),
  };
}

/** `feed` writes category attributes escaping only `&` and `"`; a `<` in one is not well-formed XML. */
function fixCategoryTerms(xml: string, entries: PreparedEntry[]): string {
  const attributes = entries.flatMap((e) => e.categories.flatMap((c) => [['term', c.term], ['label', c.label ?? '']] as const));
  const unsafe = new Set(attributes.filter(([, value]) => value.includes('<')).map(([name, value]) => `${name}\u0000${value}`));
  let out = xml;
  for (const key of unsafe) {
    const [name, value] = key.split('\u0000') as [string, string];
    const written = ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
    // Safe as a plain replacement: every other `<` in the document is markup or
    // escaped inside CDATA (titles, summaries and content are HTML-escaped).
    out = out.split(written).join(` ${name}="${xmlAttribute(value)}"`);
  }
  return out;
}

export function renderAtom(head: FeedHead, entries: PreparedEntry[]): string {
  const feed = new Feed({
    // RFC 4287 §4.2.6: a permanent IRI; the Feed's own address is that.
    id: xmlText(head.links.atom),
    title: xmlText(head.title),
    description: head.description === '' ? undefined : xmlText(head.description),
    link: head.siteUrl,
    feedLinks: { atom: head.links.atom },
    updated: head.updated,
    generator: GENERATOR,
    author: { name: xmlText(head.publisher) },
  });
  for (const entry of entries) feed.addItem(atomItem(entry));
  // An entry without a link gets `<link/>` (no href, invalid per RFC 4287 §4.2.7):
  // drop it. Such entries always have content, so they stay valid (§4.1.1).
  const xml = feed.atom1().replace(/\n[ \t]*<link\/>/g, '');
  return fixCategoryTerms(xml, entries);
}
