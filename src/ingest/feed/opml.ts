/**
 * OPML subscription lists (OPML 1.0 and 2.0, http://opml.org/spec2.opml): how
 * editors bring their feed-reader subscriptions in as Sources and take ours out.
 * A subscription is any `<outline>` with an `xmlUrl` (`type="rss"` by the spec,
 * but readers write `atom`, `feed` or nothing); an outline without one is a folder
 * whose title is the category of what it holds.
 */
import { InputError } from '../../errors.js';
import { parseStrictXml, XmlSyntaxError } from './strict-xml.js';
import { elements, type XmlElement } from './xml-tree.js';

export interface OpmlFeed {
  title: string;
  xmlUrl: string;
  htmlUrl: string | null;
  /** The enclosing folder's title (the innermost, when folders nest), else the outline's `category`. */
  category: string | null;
}

/** Children named `name` as written: OPML has no namespace, and readers write none. */
function children(parent: XmlElement, name: string): XmlElement[] {
  return elements(parent).filter((element) => element.qname === name);
}

/** Attributes by lower-cased name: exporters write `xmlUrl`, `xmlurl` and `XMLURL`. */
function attributes(element: XmlElement): Map<string, string> {
  const found = new Map<string, string>();
  for (const { qname, value } of element.attrs) {
    const trimmed = value.replace(/\s+/g, ' ').trim();
    if (trimmed !== '') found.set(qname.toLowerCase(), trimmed);
  }
  return found;
}

/** `feed://host/x` and `feed:https://host/x` (old browser handlers) name the http(s) address. */
function httpUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  const address = value.replace(/^feed:(?:\/\/)?(?=https?:)/i, '').replace(/^feed:\/\//i, 'http://');
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** OPML 2.0 `category`: comma-separated slash paths (`/News/Korea`); the last part of the first one. */
function categoryAttribute(value: string | undefined): string | null {
  const first = value?.split(',')[0]?.split('/').filter((part) => part.trim() !== '').pop();
  return first?.trim() || null;
}

function walk(outlines: XmlElement[], folder: string | null, name: string, out: Map<string, OpmlFeed>): void {
  for (const outline of outlines) {
    const attrs = attributes(outline);
    const label = attrs.get('text') ?? attrs.get('title') ?? null;
    const xmlUrlAttr = attrs.get('xmlurl');
    if (xmlUrlAttr === undefined) {
      walk(children(outline, 'outline'), label ?? folder, name, out);
      continue;
    }
    const xmlUrl = httpUrl(xmlUrlAttr);
    if (xmlUrl === null) {
      throw new InputError('opml', name, `outline "${label ?? ''}": xmlUrl is not an http(s) address: ${xmlUrlAttr}`);
    }
    // One Source per feed address: a feed filed under two folders keeps its first.
    if (!out.has(xmlUrl)) {
      out.set(xmlUrl, {
        title: label ?? xmlUrl,
        xmlUrl,
        htmlUrl: httpUrl(attrs.get('htmlurl')),
        category: folder ?? categoryAttribute(attrs.get('category')),
      });
    }
    // Some readers nest subscriptions under a subscription; they belong to the same folder.
    walk(children(outline, 'outline'), folder, name, out);
  }
}

/**
 * The subscriptions of an OPML document, in document order. Throws
 * InputError('opml', name, ...) for invalid XML, a document that is not OPML, or
 * an outline whose xmlUrl is not an http(s) address.
 */
export function parseOpml(xml: string, name: string): OpmlFeed[] {
  let opml: XmlElement;
  try {
    opml = parseStrictXml(xml, name);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    throw new InputError('opml', name, `not an OPML document: invalid XML: ${error.message}`, { cause: error });
  }
  if (opml.qname !== 'opml') throw new InputError('opml', name, `not an OPML document: root element is <${opml.qname}>, not <opml>`);
  const body = children(opml, 'body')[0];
  if (!body) throw new InputError('opml', name, 'not an OPML document: no <body>');
  const feeds = new Map<string, OpmlFeed>();
  walk(children(body, 'outline'), null, name, feeds);
  return [...feeds.values()];
}

// --- Writing

/** XML 1.0 §2.2 forbids these characters anywhere in a document. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * An attribute value in double quotes. Tab, newline and carriage return are
 * written as character references: literally they would be read back as spaces
 * (XML 1.0 §3.3.3, attribute-value normalization).
 */
function attr(value: string): string {
  return value
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Case-insensitive order with a case-sensitive tie-break: the same set of feeds always gives the same bytes. */
function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function feedOutline(feed: OpmlFeed, indent: string): string {
  const html = feed.htmlUrl === null ? '' : ` htmlUrl="${attr(feed.htmlUrl)}"`;
  return `${indent}<outline type="rss" text="${attr(feed.title)}" title="${attr(feed.title)}" xmlUrl="${attr(feed.xmlUrl)}"${html}/>`;
}

/**
 * An OPML 2.0 document of `feeds`: uncategorised feeds first, then one folder
 * outline per category, categories and feeds within them ordered by name
 * (then address). `now` is the `dateCreated` (RFC 822, as the spec asks).
 */
export function toOpml(feeds: OpmlFeed[], title: string, now: Date): string {
  const byTitle = (a: OpmlFeed, b: OpmlFeed): number => compare(a.title, b.title) || compare(a.xmlUrl, b.xmlUrl);
  const groups = new Map<string, OpmlFeed[]>();
  const loose: OpmlFeed[] = [];
  for (const feed of feeds) {
    const category = feed.category?.trim() || null;
    if (category === null) loose.push(feed);
    else groups.set(category, [...(groups.get(category) ?? []), feed]);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${attr(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...loose.sort(byTitle).map((feed) => feedOutline(feed, '    ')),
  ];
  for (const category of [...groups.keys()].sort(compare)) {
    lines.push(`    <outline text="${attr(category)}" title="${attr(category)}">`);
    lines.push(...(groups.get(category) ?? []).sort(byTitle).map((feed) => feedOutline(feed, '      ')));
    lines.push('    </outline>');
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
