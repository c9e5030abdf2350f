/**
 * parse: the bytes of a fetched feed to a ParsedFeed, whatever the format.
 *
 *   bytes ─▶ text (encoding.ts) ─┬─ JSON ─▶ json-feed.ts
 *                                     └─ XML ─▶ element tree (xml.ts) ─┬─ <rss>, <rdf:RDF> ─▶ rss.ts
 *                                                                           └─ <feed> ─▶ atom.ts
 *
 * then GUIDs are made unique within the document. Failures are InputErrors
 * with the code `empty`, `invalid_xml` (including refused entity tricks) or
 * `not_a_feed`, which the feed reader stores as the Source's fetch status
 * (`empty`, `invalid-xml`, `not-a-feed`: read-feed.ts).
 *
 * rss-parser (and the xml2js/sax under it) does not read Sources: it drops xml:base,
 * Atom text-construct types and 0.3 modes, author details and namespaces (so
 * `<szf:description>` passes for `<description>`) and loses document order in
 * inline XHTML: mapped by rss-parser, about half of feedparser's checks pass.
 * It is also slower: about 1.5 times as long on its own test feeds.
 * It reads what newsdesk publishes instead, as the common Node.js client
 * (tests/integration/feed-client.test.ts).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import { decodeFeedBody } from './encoding.js';
import { firstWebUrl } from './fields.js';
import { atomFeed } from './atom.js';
import { jsonFeed } from './json-feed.js';
import { rssFeed } from './rss.js';
import { parseXml } from './xml.js';
import type { ParsedEntry, ParsedFeed } from './parsed-feed.js';
import { NS, type XmlElement } from './xml-tree.js';

export interface ParseContext {
  /** The address the document came from (after redirects): the base for relative links. */
  url: string;
  /** The HTTP Content-Type, with its charset parameter if any. */
  contentType?: string | null;
  /** The Source's name, for error messages. */
  name: string;
}

export async function parseFeed(body: Buffer | string, context: ParseContext): Promise<ParsedFeed> {
  const { name } = context;
  // A string was decoded by the caller; bytes are decoded here.
  const decoded = typeof body === 'string' ? { text: body, encoding: undefined, warnings: [] } : decodeFeedBody(body, context.contentType);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const start = /\S/.exec(text);
  if (!start) {
    throw new InputError('parse', name, body.length === 0 ? 'empty document (0 bytes)' : 'empty document (only whitespace)', { code: 'empty' });
  }
  const url = absoluteUrl(context.url);
  let feed: ParsedFeed;
  const warnings: string[] = [];
  if (start[0] === '{' || (start[0] === '[' && /json/i.test(context.contentType ?? ''))) {
    feed = jsonFeed(text, { url, name }, warnings);
  } else {
    const from = feedStart(text, start.index);
    if (from === null) {
      const sample = JSON.stringify(text.slice(start.index, start.index + 40));
      throw new InputError('parse', name, `not a feed: neither XML nor JSON (starts with ${sample})`, { code: 'not_a_feed' });
    }
    if (from > start.index) warnings.push(`${from - start.index} characters before the feed skipped: ${JSON.stringify(text.slice(start.index, start.index + 40))}`);
    const document = parseXml(from > 0 ? text.slice(from) : text, { url, name });
    warnings.push(...document.warnings);
    feed = mapXml(document.root, warnings, name);
  }
  disambiguateGuids(feed.entries);
  settleContentBases(feed, url);
  const encoding = { ...(decoded.encoding ? { encoding: decoded.encoding } : {}), ...('problem' in decoded && decoded.problem ? { encodingProblem: decoded.problem } : {}) };
  return { ...feed, ...encoding, warnings: [...decoded.warnings, ...warnings] };
}

const FEED_START = /<(?:\?xml|rss|feed|rdf:RDF)[\s>]/;

/**
 * Where the XML starts: at the first non-blank character when that opens markup
 * the usual way (`<?xml`, `<!--`, `<!DOCTYPE`, or the root itself), else at a
 * feed's start within the first 4 kB (junk printed before the feed, such as a
 * PHP warning). Null when the body is no XML at all.
 */
function feedStart(text: string, first: number): number | null {
  const head = text.slice(first, first + 4096);
  if (head.startsWith('<?') || head.startsWith('<!')) return first;
  const feed = FEED_START.exec(head);
  if (feed) return first + feed.index;
  return head.startsWith('<') ? first : null;
}

function mapXml(root: XmlElement, warnings: string[], name: string): ParsedFeed {
  const { local, ns } = root;
  if (local === 'rss' || (local === 'channel' && ns === '')) return rssFeed(root, 'rss', warnings);
  if ((local === 'RDF' && ns === NS.rdf) || (local === 'Channel' && ns === NS.rss11)) return rssFeed(root, 'rdf', warnings);
  if (local === 'feed' || (local === 'entry' && (ns === NS.atom10 || ns === NS.atom03))) return atomFeed(root, warnings);
  const what = local.toLowerCase() === 'html' ? 'an HTML page' : `XML whose root element is <${root.qname}>${ns ? ` (${ns})` : ''}`;
  throw new InputError('parse', name, `not a feed: ${what}, not RSS, RDF or Atom`, { code: 'not_a_feed' });
}

function absoluteUrl(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/**
 * Each entry's base for the relative URLs in its HTML: the first web address of
 * the xml:base in scope (RFC 4287 §2; the mappers give it), the entry's page
 * (its content was written for that page, as Miniflux reads it), the address
 * the document came from after redirects (RFC 3986 §5.1.3), the feed's site.
 * None (a file that names no web address): relative URLs are dropped.
 */
function settleContentBases(feed: ParsedFeed, url: string | null): void {
  for (const entry of feed.entries) entry.baseUrl = firstWebUrl(entry.baseUrl, entry.link, url, feed.link);
}

/**
 * Some publishing systems give every item the same guid, or reuse one after an
 * edit. Items are keyed by guid downstream, so a collision would merge
 * different stories into one Item and lose all but one. Every entry that shares
 * its guid gets `#` and a short hash of its own link, title and date: derived
 * from the entry, not its position, so the id stays the same on the next fetch
 * when new items are added above it. Entries identical in all three (the same
 * item listed twice) are numbered in document order.
 */
function disambiguateGuids(entries: ParsedEntry[]): void {
  const counts = new Map<string, number>();
  for (const entry of entries) if (entry.guid !== null) counts.set(entry.guid, (counts.get(entry.guid) ?? 0) + 1);
  const copies = new Map<string, number>();
  for (const entry of entries) {
    if (entry.guid === null || counts.get(entry.guid) === 1) continue;
    const identity = [entry.link, entry.title, entry.published?.toISOString()].some((part) => part != null)
      ? [entry.link, entry.title, entry.published?.toISOString()]
      : [entry.content ?? entry.summary];
    const hash = createHash('sha256').update(identity.map((part) => part ?? '').join('\u0000')).digest('hex').slice(0, 10);
    const guid = `${entry.guid}#${hash}`;
    const copy = (copies.get(guid) ?? 0) + 1;
    copies.set(guid, copy);
    entry.guid = copy === 1 ? guid : `${guid}-${copy}`;
  }
}
