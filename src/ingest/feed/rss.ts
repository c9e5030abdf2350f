/**
 * RSS 0.9x and 2.0 (`<rss>`), RSS 0.90 and 1.0 (RDF: `<rdf:RDF>` with items
 * beside the channel) and RSS 1.1 (`<Channel>`) to ParsedFeed, with the modules
 * feeds use for what the core lacks: Dublin Core (authors, dates, subjects),
 * content:encoded (full text), Atom links, Media RSS, iTunes and FeedBurner.
 *
 * Core elements are matched by namespace too, so a module element that reuses
 * a core name (`<szf:description>`) is never taken for the core one.
 */
import {
  authorLabel, categoryList, collapse, enclosure, firstEntries, htmlBody, parsePerson, plainTitle, resolveUrl, resolveWebUrl,
  uniqueEnclosures, xmlBaseOf,
} from './fields.js';
import { parseFeedDate } from './dates.js';
import type { FeedFormat, ParsedEntry, ParsedFeed, ParsedLink, ParsedPerson } from './parsed-feed.js';
import { attr, Children, childrenNamed, escapeText, firstChild, innerHtml, NS, textOf, type XmlElement } from './xml-tree.js';

/** Namespaces of the RSS core elements: none (RSS 2.0), RDF-era RSS, and UserLand's and Harvard's RSS 2.0 names. */
const RSS_CORE = ['', NS.rss10, NS.rss090, NS.rss11, 'http://backend.userland.com/rss2', 'http://blogs.law.harvard.edu/tech/rss', 'http://backend.userland.com/rss'];

export function rssFeed(root: XmlElement, format: Extract<FeedFormat, 'rss' | 'rdf'>, warnings: string[]): ParsedFeed {
  const core = RSS_CORE.includes(root.ns) || root.ns === NS.rdf ? RSS_CORE : [...RSS_CORE, root.ns];
  const channel = root.local === 'Channel' ? root : (firstChild(root, core, 'channel') ?? root);
  // RSS 2.0 puts items in the channel, RSS 0.90/1.0 beside it, RSS 1.1 in <items>; broken feeds anywhere of these.
  const itemElements = [
    ...childrenNamed(channel, core, 'item'),
    ...(channel === root ? [] : childrenNamed(root, core, 'item')),
    ...childrenNamed(channel, core, 'items').flatMap((items) => childrenNamed(items, core, 'item')),
  ];
  const complete = itemElements.filter((item) => !item.truncated);
  if (complete.length < itemElements.length) warnings.push('the document ends inside an item: that item is left out');

  const children = new Children(channel);
  const one = (ns: readonly string[], local: string): XmlElement | null => children.first(ns, local);
  const links = [...rssLinks(children, core), ...atomLinks(children)];
  const ttl = textOf(one(core, 'ttl'));
  return {
    format,
    title: plainTitle(textOf(one(core, 'title')) ?? textOf(one([NS.dc], 'title')) ?? textOf(one([NS.itunes], 'title')), { mayBeHtml: true }),
    link: links.find((link) => link.rel === 'alternate' && /^https?:/i.test(link.href))?.href ?? null,
    description:
      htmlBody(one(core, 'description')) ?? htmlBody(one([NS.dc], 'description')) ??
      plainHtml(one([NS.itunes], 'subtitle') ?? one([NS.itunes], 'summary') ?? one([NS.googleplay], 'description')),
    language: collapse(textOf(one(core, 'language')) ?? textOf(one([NS.dc], 'language'))) ?? channel.lang,
    // <ttl> is a number of minutes (RSS 2.0); anything else is ignored.
    ttlMinutes: ttl && /^\d{1,6}$/.test(ttl) && Number(ttl) > 0 ? Number(ttl) : null,
    entries: firstEntries(complete, warnings).map((item) => rssEntry(item, core)),
    links,
  };
}

function rssEntry(item: XmlElement, core: string[]): ParsedEntry {
  const children = new Children(item);
  const one = children.first.bind(children);
  const all = children.all.bind(children);
  const media = [item, ...all([NS.media], 'group')];

  const guidElement = one(core, 'guid');
  const guid = textOf(guidElement) ?? collapse(attr(item, 'about', NS.rdf));
  // RSS 2.0: a guid is the item's permanent address unless isPermaLink="false".
  const guidLink = guidElement && attr(guidElement, 'isPermaLink')?.trim().toLowerCase() !== 'false' ? resolveWebUrl(guid, item.base) : null;
  // FeedBurner replaces <link> with a tracking redirect and keeps the article's address here.
  const origLink = resolveWebUrl(textOf(one([NS.feedburner], 'origLink')), item.base);
  const links = [...rssLinks(children, core), ...atomLinks(children)];
  const pageLink = links.find((link) => link.rel === 'alternate' && /^https?:/i.test(link.href))?.href ?? null;
  if (origLink) links.push({ href: origLink, rel: 'alternate', type: null, title: 'feedburner:origLink' });

  // feedparser's reading, which no spec contradicts: of <description> and a non-standard
  // <summary>, the first is the summary and the other one the full text.
  const bodies = item.children.filter(
    (node): node is XmlElement => typeof node !== 'string' && (node.local === 'description' || node.local === 'summary') && core.includes(node.ns),
  );
  const contentElement = one([NS.content], 'encoded') ?? one([NS.xhtml], 'body') ?? one([NS.xhtml], 'div') ?? one(core, 'fullitem');
  const summary =
    htmlBody(bodies[0] ?? null) ??
    media.map((parent) => firstChild(parent, [NS.media], 'description')).map(plainHtml).find((html) => html !== null) ??
    plainHtml(one([NS.itunes], 'summary') ?? one([NS.itunes], 'subtitle') ?? one([NS.googleplay], 'description'));
  const content = contentElement?.ns === NS.xhtml ? innerHtml(contentElement).trim() || null : htmlBody(contentElement);

  const published = textOf(one(core, 'pubDate')) ?? textOf(one([NS.dc], 'date')) ?? textOf(one([NS.dcterms], 'issued')) ??
    textOf(one([NS.dcterms], 'created')) ?? textOf(one([NS.atom10], 'published'));
  const updated = textOf(one([NS.dcterms], 'modified')) ?? textOf(one([NS.atom10], 'updated'));
  const people = authorsOf(children, core);

  return {
    guid,
    title: plainTitle(
      textOf(one(core, 'title')) ?? textOf(one([NS.dc], 'title')) ??
        media.map((parent) => textOf(firstChild(parent, [NS.media], 'title'))).find((title) => title !== null) ?? null,
      { mayBeHtml: true },
    ),
    link: origLink ?? pageLink ?? guidLink,
    author: authorLabel(people),
    categories: categoryList([
      ...all(core, 'category').map(textOf),
      ...all([NS.dc], 'subject').map(textOf),
      ...all([NS.atom10], 'category').map((category) => attr(category, 'term')),
      ...media.flatMap((parent) => childrenNamed(parent, [NS.media], 'category')).map(textOf),
      ...all([NS.itunes], 'category').flatMap((category) => [category, ...childrenNamed(category, [NS.itunes], 'category')]).map((c) => attr(c, 'text')),
    ]),
    summary,
    content: content ?? htmlBody(bodies[1] ?? null) ?? summary,
    published: parseFeedDate(published),
    updated: parseFeedDate(updated),
    publishedText: published,
    updatedText: updated,
    authors: people,
    links,
    enclosures: uniqueEnclosures([
      ...all(core, 'enclosure').map((e) => enclosure(resolveUrl(attr(e, 'url'), e.base), attr(e, 'type'), attr(e, 'length'))),
      ...media
        .flatMap((parent) => childrenNamed(parent, [NS.media], 'content'))
        .map((e) => enclosure(resolveUrl(attr(e, 'url'), e.base), attr(e, 'type'), attr(e, 'fileSize'))),
      ...media.flatMap((parent) => childrenNamed(parent, [NS.media], 'thumbnail')).map((e) => enclosure(resolveUrl(attr(e, 'url'), e.base), null, null)),
      ...links.filter((link) => link.rel === 'enclosure').map((link) => enclosure(link.href, link.type, null)),
    ]),
    baseUrl: xmlBaseOf(contentElement ?? bodies[0] ?? item),
  };
}

/** Authors from the first source that names any: <author>, dc:creator, dc:author, atom:author, itunes:author. */
function authorsOf(item: Children, core: string[]): ParsedPerson[] {
  const sources = [item.all(core, 'author'), item.all([NS.dc], 'creator'), item.all([NS.dc], 'author')];
  for (const elements of sources) {
    const authors = peopleFromText(elements);
    if (authors.length > 0) return authors;
  }
  const atom = item
    .all([NS.atom10], 'author')
    .map((author) => ({
      name: collapse(textOf(firstChild(author, [NS.atom10], 'name'))),
      email: collapse(textOf(firstChild(author, [NS.atom10], 'email'))),
      url: resolveUrl(textOf(firstChild(author, [NS.atom10], 'uri')), author.base),
    }))
    .filter((person) => person.name !== null || person.email !== null);
  if (atom.length > 0) return atom;
  const podcast = peopleFromText(item.all([NS.itunes], 'author'));
  return podcast.length > 0 ? podcast : peopleFromText(item.all([NS.googleplay], 'author'));
}

function peopleFromText(elements: XmlElement[]): ParsedPerson[] {
  const people: ParsedPerson[] = [];
  for (const element of elements) {
    const person = parsePerson(textOf(element));
    if (person && (person.name !== null || person.email !== null)) people.push(person);
  }
  return people;
}

/** The RSS <link> (its text is the address), as an `alternate` link. */
function rssLinks(parent: Children, core: string[]): ParsedLink[] {
  for (const link of parent.all(core, 'link')) {
    const href = resolveUrl(textOf(link) ?? attr(link, 'href'), link.base);
    if (href) return [{ href, rel: 'alternate', type: null, title: null }];
  }
  return [];
}

function atomLinks(parent: Children): ParsedLink[] {
  return parent.all([NS.atom10, NS.atom03], 'link').flatMap((link) => {
    const href = resolveUrl(attr(link, 'href'), link.base);
    return href ? [{ href, rel: collapse(attr(link, 'rel')) ?? 'alternate', type: collapse(attr(link, 'type')), title: collapse(attr(link, 'title')) }] : [];
  });
}

/** A plain-text element (iTunes summary, Media RSS description) as HTML. */
function plainHtml(element: XmlElement | null): string | null {
  const text = textOf(element);
  if (text === null) return null;
  return element && attr(element, 'type') === 'html' ? text : escapeText(text);
}
