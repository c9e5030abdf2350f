/**
 * Atom 1.0 (RFC 4287) and its draft predecessor Atom 0.3 to ParsedFeed.
 *
 * Text constructs (title, subtitle, summary, content) carry their own type:
 * `text`, `html` (escaped HTML) or `xhtml` (inline markup in one `<div>` that
 * is not part of the content, RFC 4287 §3.1.1.3); Atom 0.3 used MIME types and
 * `mode="xml|escaped|base64"` instead. Entries without authors inherit the
 * feed's (§4.2.1). Relative references resolve against xml:base (§2).
 */
import {
  authorLabel, categoryList, collapse, enclosure, firstEntries, htmlTitle, literalTitle, plainTitle, resolveUrl, resolveWebUrl, unique, uniqueEnclosures, xmlBaseOf,
} from './fields.js';
import { parseFeedDate } from './dates.js';
import type { ParsedEntry, ParsedFeed, ParsedLink, ParsedPerson } from './parsed-feed.js';
import { attr, childrenNamed, elements, escapeText, firstChild, innerHtml, NS, textContent, textOf, type XmlElement } from './xml-tree.js';

interface Context {
  /** Namespaces whose elements count as Atom: the root's (feedparser accepts any) and both official ones. */
  atom: string[];
  version: '0.3' | '1.0';
}

export function atomFeed(root: XmlElement, warnings: string[]): ParsedFeed {
  const context: Context = {
    atom: unique([root.ns, NS.atom10, NS.atom03]),
    version: root.ns === NS.atom10 ? '1.0' : root.ns === NS.atom03 || attr(root, 'version') === '0.3' ? '0.3' : '1.0',
  };
  const feedAuthors = people(root, context);
  const entryElements = root.local === 'entry' ? [root] : childrenNamed(root, context.atom, 'entry');
  const complete = entryElements.filter((entry) => !entry.truncated);
  if (complete.length < entryElements.length) warnings.push('the document ends inside an entry: that entry is left out');
  const links = linkList(root, context);
  return {
    format: 'atom',
    title: textTitle(first(root, context, 'title')),
    link: alternate(links),
    description: textHtml(first(root, context, 'subtitle') ?? first(root, context, 'tagline'), context),
    language: root.lang,
    ttlMinutes: null,
    entries: firstEntries(complete, warnings).map((entry) => atomEntry(entry, context, feedAuthors)),
    links,
  };
}

function atomEntry(entry: XmlElement, context: Context, feedAuthors: ParsedPerson[]): ParsedEntry {
  const links = linkList(entry, context);
  // FeedBurner replaces the alternate link with a tracking redirect and keeps the article's address here.
  const origLink = resolveWebUrl(textOf(firstChild(entry, [NS.feedburner], 'origLink')), entry.base);
  if (origLink) links.push({ href: origLink, rel: 'alternate', type: null, title: 'feedburner:origLink' });
  const source = first(entry, context, 'source');
  const authors = [people(entry, context), source ? people(source, context) : [], feedAuthors].find((list) => list.length > 0) ?? [];
  const summaryElement = first(entry, context, 'summary');
  const contentElement = childrenNamed(entry, context.atom, 'content').find((content) => attr(content, 'src') === null) ?? null;
  const summary = textHtml(summaryElement, context);
  const content = textHtml(contentElement, context);
  const published = firstText(entry, context, ['published', 'issued', 'created']) ?? textOf(firstChild(entry, [NS.dcterms], 'issued')) ?? textOf(firstChild(entry, [NS.dc], 'date'));
  const updated = firstText(entry, context, ['updated', 'modified']) ?? textOf(firstChild(entry, [NS.dcterms], 'modified'));
  return {
    guid: textOf(first(entry, context, 'id')),
    title: textTitle(first(entry, context, 'title')),
    link: origLink ?? alternate(links),
    author: authorLabel(authors),
    categories: categoryList([
      ...childrenNamed(entry, context.atom, 'category').map((category) => attr(category, 'term') ?? attr(category, 'label')),
      ...childrenNamed(entry, [NS.dc], 'subject').map(textOf),
    ]),
    summary,
    content: content ?? summary,
    published: parseFeedDate(published),
    updated: parseFeedDate(updated),
    publishedText: published,
    updatedText: updated,
    authors,
    links,
    enclosures: uniqueEnclosures(
      childrenNamed(entry, context.atom, 'link')
        .filter((link) => attr(link, 'rel')?.trim() === 'enclosure')
        .map((link) => enclosure(linkHref(link), attr(link, 'type'), attr(link, 'length'))),
    ),
    baseUrl: xmlBaseOf(contentElement ?? summaryElement ?? entry),
  };
}

function first(parent: XmlElement, context: Context, local: string): XmlElement | null {
  return firstChild(parent, context.atom, local);
}

function firstText(parent: XmlElement, context: Context, names: string[]): string | null {
  for (const name of names) {
    const text = textOf(first(parent, context, name));
    if (text !== null) return text;
  }
  return null;
}

function people(parent: XmlElement, context: Context): ParsedPerson[] {
  return childrenNamed(parent, context.atom, 'author')
    .map((author) => ({
      name: collapse(textOf(first(author, context, 'name'))),
      email: collapse(textOf(first(author, context, 'email'))),
      url: resolveUrl(textOf(first(author, context, 'uri') ?? first(author, context, 'url')), author.base),
    }))
    .filter((person) => person.name !== null || person.email !== null || person.url !== null);
}

function linkList(parent: XmlElement, context: Context): ParsedLink[] {
  const links: ParsedLink[] = [];
  for (const link of childrenNamed(parent, context.atom, 'link')) {
    const href = linkHref(link);
    if (!href) continue;
    links.push({ href, rel: collapse(attr(link, 'rel')) ?? 'alternate', type: collapse(attr(link, 'type')), title: collapse(attr(link, 'title')) });
  }
  return links;
}

/** Atom 0.3 feeds sometimes put the address in the element instead of `href`. */
function linkHref(link: XmlElement): string | null {
  const href = attr(link, 'href');
  // An empty reference is the base itself (RFC 3986 §5.2.2).
  if (href !== null && href.trim() === '') return link.base;
  return resolveUrl(href ?? textContent(link), link.base);
}

/** The page: the first `alternate` link of an HTML type (or none given), else the first `alternate` at all. */
function alternate(links: ParsedLink[]): string | null {
  const alternates = links.filter((link) => link.rel === 'alternate' && /^https?:/i.test(link.href));
  const page = alternates.find((link) => link.type === null || /html/i.test(link.type)) ?? alternates[0];
  return page ? resolveWebUrl(page.href, null) : null;
}

type Kind = 'text' | 'html' | 'xhtml' | 'xml' | 'binary';

function kindOf(element: XmlElement, context: Context): Kind {
  const type = (attr(element, 'type') ?? '').trim().toLowerCase();
  const mode = (attr(element, 'mode') ?? '').trim().toLowerCase();
  if (mode === 'base64') return 'binary';
  const kind: Kind =
    type === '' || type === 'text' || type === 'text/plain' ? 'text'
    : type === 'html' || type === 'text/html' ? 'html'
    : type === 'xhtml' || type === 'application/xhtml+xml' ? 'xhtml'
    : /[/+]xml$/.test(type) ? 'xml'
    : type.startsWith('text/') ? 'text'
    : context.version === '1.0' ? 'binary' // RFC 4287 §4.1.3.3: other media types are Base64
    : 'text';
  if (mode === 'escaped' && kind === 'xhtml') return 'html';
  return kind;
}

/** A text construct as HTML (not yet sanitised): text escaped, inline XHTML written out. */
function textHtml(element: XmlElement | null, context: Context): string | null {
  if (!element) return null;
  const kind = kindOf(element, context);
  const children = elements(element);
  let html: string;
  if (kind === 'binary') {
    const decoded = decodeBase64Text(textContent(element));
    html = decoded === null ? '' : /html/i.test(attr(element, 'type') ?? 'html') || /<[a-z]/i.test(decoded) ? decoded : escapeText(decoded);
  } else if (kind === 'xhtml' || kind === 'xml' || children.length > 0) {
    const wrapper = xhtmlWrapper(element, context);
    // TypePad writes escaped HTML inside a <div> of an html-typed element: the div's text is the HTML.
    if (kind === 'html' && wrapper && elements(wrapper).length === 0) html = textContent(wrapper);
    else html = innerHtml(kind === 'xhtml' && context.version === '1.0' && wrapper ? wrapper : element);
  } else {
    const text = textContent(element);
    html = kind === 'html' ? text : escapeText(text);
  }
  html = html.trim();
  return html === '' ? null : html;
}

/**
 * A text construct as plain text (titles), read by its type (RFC 4287 §3.1):
 * `html` is escaped HTML, so its text is what a browser would show; `xhtml`
 * (inline markup) gives its text; `text` is kept character for character, so
 * `Vector&lt;T&gt;` stays `Vector<T>`. Without a type, brackets are kept too,
 * but character references left after XML decoding are read once more, for
 * feeds that escape twice (`&amp;#39;`).
 */
function textTitle(element: XmlElement | null): string | null {
  if (!element) return null;
  const type = (attr(element, 'type') ?? '').trim().toLowerCase();
  const mode = (attr(element, 'mode') ?? '').trim().toLowerCase();
  if (elements(element).length > 0) return collapse(textContent(element)); // inline markup: its text
  const text = textContent(element);
  if (mode === 'base64' || /^application\/(?!.*xml)/.test(type)) {
    const decoded = decodeBase64Text(text);
    return decoded === null ? null : htmlTitle(decoded);
  }
  if (type === 'html' || type === 'text/html' || mode === 'escaped') return htmlTitle(text);
  if (type === '') return plainTitle(text, { mayBeHtml: false });
  return literalTitle(text);
}

/** The single XHTML `<div>` an xhtml construct wraps its content in, if that is what it holds. */
function xhtmlWrapper(element: XmlElement, context: Context): XmlElement | null {
  const children = elements(element);
  const only = children.length === 1 ? children[0]! : null;
  if (!only || only.local !== 'div' || (only.ns !== NS.xhtml && !context.atom.includes(only.ns))) return null;
  const strayText = element.children.some((node) => typeof node === 'string' && node.trim() !== '');
  return strayText ? null : only;
}

/** Base64 that decodes to text (UTF-8, no control characters); binary media is of no use to us. */
function decodeBase64Text(value: string): string | null {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
    return /[\u0000-\u0008\u000E-\u001F]/.test(text) ? null : text;
  } catch {
    return null;
  }
}
