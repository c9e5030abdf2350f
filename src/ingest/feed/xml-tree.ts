/**
 * The element tree xml.ts builds, the namespaces feeds use, and the few
 * ways the format mappers read it: children by namespace and local name, text
 * content, and inline XHTML written out as an HTML string.
 */

export const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rss10: 'http://purl.org/rss/1.0/',
  rss11: 'http://purl.org/net/rss1.1#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  googleplay: 'http://www.google.com/schemas/play-podcasts/1.0',
  media: 'http://search.yahoo.com/mrss/',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
  svg: 'http://www.w3.org/2000/svg',
  mathml: 'http://www.w3.org/1998/Math/MathML',
} as const;

/**
 * Namespace names as feeds misspell them (case, a missing slash), and the
 * namespaces of prefixes feeds use without declaring them (`<dc:creator>` in a
 * document with no `xmlns:dc`), as feedparser also accepts.
 */
export const NS_ALIASES: Record<string, string> = lookupTable({
  'http://www.itunes.com/dtds/podcast-1.0.dtd': NS.itunes,
  'http://search.yahoo.com/mrss': NS.media,
  'http://purl.org/dc/elements/1.0/': NS.dc,
  'http://purl.org/atom/ns': NS.atom03,
  'http://www.w3.org/2005/atom': NS.atom10,
});
export const KNOWN_PREFIXES: Record<string, string> = lookupTable({
  atom: NS.atom10, content: NS.content, dc: NS.dc, dcterms: NS.dcterms, feedburner: NS.feedburner,
  googleplay: NS.googleplay, itunes: NS.itunes, media: NS.media, rdf: NS.rdf, xhtml: NS.xhtml,
});

/**
 * A table looked up with names taken from documents: without a prototype, so
 * `constructor` or `__proto__` in a feed finds nothing instead of Object's members.
 */
export function lookupTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export interface XmlAttribute {
  ns: string;
  local: string;
  /** As written, with its prefix (`xlink:href`). */
  qname: string;
  value: string;
}

export interface XmlElement {
  /** Namespace name; '' for none. */
  ns: string;
  local: string;
  qname: string;
  attrs: XmlAttribute[];
  children: XmlNode[];
  /** The absolute address relative references in this element resolve against (xml:base, else the document's). */
  base: string | null;
  /** `base` comes from an xml:base in scope (this element's or an ancestor's), not from the document's address. */
  xmlBase: boolean;
  /** xml:lang in scope. */
  lang: string | null;
  /** The document ended before this element's end tag (a cut-off download). */
  truncated: boolean;
}

export type XmlNode = XmlElement | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

export function elements(parent: XmlElement): XmlElement[] {
  return parent.children.filter(isElement);
}

/** Children of `parent` named `local` in one of the namespaces `ns`. */
export function childrenNamed(parent: XmlElement, ns: readonly string[], local: string): XmlElement[] {
  return parent.children.filter((node): node is XmlElement => isElement(node) && node.local === local && ns.includes(node.ns));
}

export function firstChild(parent: XmlElement, ns: readonly string[], local: string): XmlElement | null {
  for (const node of parent.children) if (isElement(node) && node.local === local && ns.includes(node.ns)) return node;
  return null;
}

const NONE: XmlElement[] = [];

/**
 * The element children of one parent grouped by local name, for elements read
 * field by field: an RSS item is asked for some thirty names, and scanning its
 * children for each would cost more than parsing it.
 */
export class Children {
  private readonly byLocal = new Map<string, XmlElement[]>();

  constructor(parent: XmlElement) {
    for (const node of parent.children) {
      if (!isElement(node)) continue;
      const list = this.byLocal.get(node.local);
      if (list) list.push(node);
      else this.byLocal.set(node.local, [node]);
    }
  }

  all(ns: readonly string[], local: string): XmlElement[] {
    const list = this.byLocal.get(local);
    return list ? list.filter((element) => ns.includes(element.ns)) : NONE;
  }

  first(ns: readonly string[], local: string): XmlElement | null {
    for (const element of this.byLocal.get(local) ?? NONE) if (ns.includes(element.ns)) return element;
    return null;
  }
}

/** An attribute in no namespace (or in `ns`). */
export function attr(element: XmlElement, local: string, ns = ''): string | null {
  for (const a of element.attrs) if (a.local === local && a.ns === ns) return a.value;
  return null;
}

/** All character data inside the element, markup removed. */
export function textContent(node: XmlNode): string {
  if (!isElement(node)) return node;
  if (node.children.length === 1) return textContent(node.children[0]!);
  let out = '';
  for (const child of node.children) out += textContent(child);
  return out;
}

/** Trimmed text content, null when empty. */
export function textOf(element: XmlElement | null): string | null {
  if (!element) return null;
  const text = textContent(element).trim();
  return text === '' ? null : text;
}

export function hasElementChildren(element: XmlElement): boolean {
  return element.children.some(isElement);
}

/** HTML elements that have no end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * The children of an element holding inline markup (Atom `type="xhtml"`, naked
 * markup in an RSS description), written as HTML: names without prefixes (HTML
 * parsers know `svg` and `math` by name), namespace declarations and xml:base
 * dropped, text and attribute values escaped.
 */
export function innerHtml(element: XmlElement): string {
  const out: string[] = [];
  for (const child of element.children) writeHtml(child, out);
  return out.join('');
}

function writeHtml(node: XmlNode, out: string[]): void {
  if (!isElement(node)) {
    out.push(escapeText(node));
    return;
  }
  out.push('<', node.local);
  for (const a of node.attrs) {
    if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:') || (a.ns === NS.xml && a.local === 'base')) continue;
    out.push(' ', a.qname, '="', escapeAttribute(a.value), '"');
  }
  const foreign = node.ns === NS.svg || node.ns === NS.mathml;
  if (VOID.has(node.local) || (foreign && node.children.length === 0)) {
    // A void element never has content; what a feed put inside `<br>...</br>` follows it.
    out.push(' />');
    for (const child of node.children) writeHtml(child, out);
    return;
  }
  out.push('>');
  for (const child of node.children) writeHtml(child, out);
  out.push('</', node.local, '>');
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
