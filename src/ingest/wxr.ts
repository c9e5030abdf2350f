/**
 * A WordPress export (WXR 1.0-1.2: RSS 2.0 with the `wp:` namespace) as an
 * archive Source: the blog's own posts with their exact dates, authors,
 * categories and tags, which the archive pages only partly show.
 *
 * Three parts, as for every input format: the wire shape (`WxrPost`), the parse
 * (`parseWordpressExport`) and the adapter to the Item (`wxrPostToItem`).
 */
import { createRequire } from 'node:module';
import { InputError, errorMessage } from '../errors.js';
import { parseAttribution } from './archive-attribution.js';
import { canonicalUrlOrNull } from './canonical-url.js';
import { contentHash, itemId, type Item } from './item.js';
import { endsCutShort, plainText, uniqueLabels } from './normalize.js';
import { htmlToText, sanitizeHtml, summarize } from './sanitize.js';

/** One `<item>` of the export, as WordPress wrote it (HTML not yet sanitised). */
export interface WxrPost {
  /** `<guid>` (WordPress writes `https://blog/?p=123`); else the link, else `wp:post_id:<id>`. */
  guid: string;
  /** Plain text. */
  title: string;
  link: string | null;
  /** `wp:post_date_gmt` (UTC), else `pubDate`; null for drafts (`0000-00-00 00:00:00`). */
  published: Date | null;
  /** Display name of the `dc:creator` login, from the export's `wp:author` list. */
  author: string | null;
  /** `<category domain="category">` (or no domain, WXR 1.0). */
  categories: string[];
  /** `<category domain="post_tag">` (`tag` in WXR 1.0). */
  tags: string[];
  /** `content:encoded`: the post as stored, paragraphs as blank lines (classic editor) or `<p>`. */
  contentHtml: string;
  excerptHtml: string | null;
  /** `publish`, `draft`, `private`, `pending`, `future`, `inherit`, `trash`. */
  status: string;
  /** `post`, `page`, `attachment`, `nav_menu_item`, ... */
  postType: string;
  /** The post has a `wp:post_password`: its text is not for the public. */
  passwordProtected: boolean;
}

/** The posts a reader of the blog can see: published posts without a password (no pages, drafts, attachments). */
export function publishedPosts(posts: WxrPost[]): WxrPost[] {
  return posts.filter((post) => post.postType === 'post' && post.status === 'publish' && !post.passwordProtected);
}

// --- XML: xml2js ships with rss-parser (our dependency) and has no types; it is
// loaded from rss-parser's own location so a non-hoisted install still works.

interface XmlElement {
  $?: Record<string, string>;
  _?: string;
  [child: string]: unknown;
}
type Xml2js = {
  parseString(xml: string, options: object, callback: (error: Error | null, result: unknown) => void): void;
};
const requireHere = createRequire(import.meta.url);
const xml2js = createRequire(requireHere.resolve('rss-parser'))('xml2js') as Xml2js;

/** Strict XML parse (no DTD entities are expanded); xml2js calls back synchronously unless `async` is set. */
function parseXml(xml: string): Record<string, XmlElement> {
  let failure: Error | null = null;
  let tree: unknown = null;
  xml2js.parseString(xml, { explicitCharkey: true, emptyTag: () => ({}) }, (error, result) => {
    // xml2js may report more than one error for one document: keep the first.
    if (error) failure ??= error;
    else tree = result;
  });
  if (failure) throw failure;
  if (tree === null || typeof tree !== 'object') throw new Error('empty document');
  return tree as Record<string, XmlElement>;
}

function children(node: XmlElement | undefined, name: string): XmlElement[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XmlElement[]) : [];
}

/** Text of the first `name` child, trimmed; null when absent or blank. */
function childText(node: XmlElement, name: string): string | null {
  const text = children(node, name)[0]?._?.trim() ?? '';
  return text === '' ? null : text;
}

// --- Namespaces: prefixes are whatever the export declared, `wp` etc. by default.

const NAMESPACES = {
  wp: /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/?$/,
  excerpt: /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/?$/,
  content: /^http:\/\/purl\.org\/rss\/1\.0\/modules\/content\/?$/,
  dc: /^http:\/\/purl\.org\/dc\/elements\/1\.1\/?$/,
};
type Prefixes = Record<keyof typeof NAMESPACES, string | null>;

function prefixes(...declarers: XmlElement[]): Prefixes {
  const found: Prefixes = { wp: null, excerpt: null, content: null, dc: null };
  for (const node of declarers) {
    for (const [attribute, uri] of Object.entries(node.$ ?? {})) {
      if (!attribute.startsWith('xmlns:')) continue;
      for (const [key, pattern] of Object.entries(NAMESPACES) as [keyof Prefixes, RegExp][]) {
        if (pattern.test(uri)) found[key] ??= attribute.slice('xmlns:'.length);
      }
    }
  }
  return found;
}

// --- Dates

/** `2024-05-06 10:00:00` in UTC; WordPress writes `0000-00-00 00:00:00` for "not yet". */
function gmtDate(text: string | null): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  if (!year || !month || !day) return null;
  return plausible(new Date(Date.UTC(year, month - 1, day, hour ?? 0, minute ?? 0, second ?? 0)));
}

/** Drafts carry `pubDate` `Mon, 30 Nov -0001 00:00:00 +0000` (PHP's zero date): not a date. */
function plausible(date: Date): Date | null {
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 ? null : date;
}

// --- Parse

function notAnExport(name: string, detail: string, cause?: unknown): InputError {
  return new InputError('archive', name, `not a WordPress export: ${detail}`, cause === undefined ? undefined : { cause });
}

function readPost(item: XmlElement, ns: Prefixes, authors: Map<string, string>): WxrPost {
  const wp = (name: string): string | null => childText(item, `${ns.wp ?? 'wp'}:${name}`);
  const link = childText(item, 'link');
  const postId = wp('post_id');
  const creator = childText(item, `${ns.dc ?? 'dc'}:creator`);
  const categories: string[] = [];
  const tags: string[] = [];
  for (const category of children(item, 'category')) {
    const domain = category.$?.domain ?? 'category';
    // Other taxonomies (`post_format`, plugin ones) are not what the blog calls categories or tags.
    if (domain === 'category') categories.push(category._ ?? '');
    else if (domain === 'post_tag' || domain === 'tag') tags.push(category._ ?? '');
  }
  return {
    guid: childText(item, 'guid') ?? link ?? `wp:post_id:${postId ?? ''}`,
    title: plainText(childText(item, 'title')),
    link,
    published: gmtDate(wp('post_date_gmt')) ?? plausible(new Date(childText(item, 'pubDate') ?? '')),
    author: creator === null ? null : plainText(authors.get(creator) ?? creator) || null,
    categories: uniqueLabels(categories),
    tags: uniqueLabels(tags),
    contentHtml: childText(item, `${ns.content ?? 'content'}:encoded`) ?? '',
    excerptHtml: childText(item, `${ns.excerpt ?? 'excerpt'}:encoded`),
    status: wp('status') ?? '',
    postType: wp('post_type') ?? '',
    passwordProtected: wp('post_password') !== null,
  };
}

/**
 * Every `<item>` of a WordPress export, in file order (pages, drafts and
 * attachments included: `publishedPosts` keeps what the blog shows).
 * Throws InputError('archive', name, 'not a WordPress export: ...') for invalid
 * XML or a document without the WXR channel.
 */
export function parseWordpressExport(xml: string, name: string): WxrPost[] {
  let tree: Record<string, XmlElement>;
  try {
    tree = parseXml(xml);
  } catch (error) {
    throw notAnExport(name, `invalid XML: ${errorMessage(error).split('\n')[0]}`, error);
  }
  const rootName = Object.keys(tree)[0] ?? '';
  const rss = tree.rss;
  if (!rss) throw notAnExport(name, `root element is <${rootName}>, not <rss>`);
  const channel = children(rss, 'channel')[0];
  if (!channel) throw notAnExport(name, 'no <channel>');
  const ns = prefixes(rss, channel);
  // An export declares the namespace; a hand-trimmed one may only keep the version element.
  if (ns.wp === null && children(channel, 'wp:wxr_version').length === 0) {
    throw notAnExport(name, 'an RSS channel without the WXR namespace (xmlns:wp="http://wordpress.org/export/1.2/")');
  }
  const authors = new Map<string, string>();
  for (const author of children(channel, `${ns.wp ?? 'wp'}:author`)) {
    const login = childText(author, `${ns.wp ?? 'wp'}:author_login`);
    const display = childText(author, `${ns.wp ?? 'wp'}:author_display_name`);
    if (login !== null && display !== null) authors.set(login, display);
  }
  return children(channel, 'item').map((item) => readPost(item, ns, authors));
}

// --- Adapter

/**
 * WordPress keeps classic-editor posts with blank lines for paragraphs and adds
 * the `<p>`s when it renders (wpautop). A simple version of that: each blank-line
 * chunk that does not already start with a block element becomes a paragraph,
 * its single newlines `<br />`. Comments (block-editor markers, `<!--more-->`)
 * go first: the sanitiser would drop them anyway, and here they would hide
 * that a chunk starts with `<p>`.
 */
function autoParagraphs(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) =>
      /^<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|section|article)\b/i.test(chunk)
        ? chunk
        : `<p>${chunk.replace(/\s*\n\s*/g, '<br />\n')}</p>`,
    )
    .join('\n');
}

/**
 * Shortcodes are WordPress's own markup; a Feed reader would print them. An
 * `[embed]` holds only a URL (dropped); `[caption]` wraps an image and its
 * caption (kept). Lower-case names only, so `[NK News]` is never taken for one.
 */
function stripShortcodes(html: string): string {
  return html
    .replace(/\[embed\b[^\]]*\][\s\S]*?\[\/embed\]/g, '')
    .replace(/\[\/?(?:caption|wp_caption|gallery|video|audio|playlist)\b[^\]]*\]/g, '');
}

/** Top-level elements of sanitised HTML (well-formed, void elements written `<br />`). */
function topLevelBlocks(html: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let from = 0;
  for (const match of html.matchAll(/<(\/?)[a-z][a-z0-9]*\b[^>]*?(\/?)>/gi)) {
    const end = (match.index ?? 0) + match[0].length;
    if (match[2] !== '/') depth += match[1] === '/' ? -1 : 1;
    if (depth <= 0) {
      depth = 0;
      blocks.push(html.slice(from, end));
      from = end;
    }
  }
  if (html.slice(from).trim() !== '') blocks.push(html.slice(from));
  return blocks;
}

const BRACKETED = /^\[[^[\]]+\]$/;
const ELLIPSIS_ONLY = /^\[\s*(?:…|\.\.\.)\s*\]$/;
const READ_MORE = /^(?:read more|continue reading|keep reading)\b/i;

/**
 * The bracketed credit line closing a reposted excerpt (`[NK News]`), like the
 * archive pages print it; it is taken out of the text, as the archive reader
 * does, so the same post read from a page and from the export hashes alike.
 * `Read more` lines after it go with it.
 */
function splitAttribution(html: string): { html: string; line: string | null } {
  const blocks = topLevelBlocks(html);
  let end = blocks.length;
  const textOf = (block: string): string => htmlToText(block);
  while (end > 0 && (textOf(blocks[end - 1] ?? '') === '' || READ_MORE.test(textOf(blocks[end - 1] ?? '')))) end -= 1;
  const last = blocks[end - 1];
  if (last === undefined) return { html, line: null };
  const lines = textOf(last).split('\n');
  const line = lines[lines.length - 1]?.trim() ?? '';
  if (!BRACKETED.test(line) || ELLIPSIS_ONLY.test(line)) return { html, line: null };
  // The credit is its own paragraph, or the last line of one (`text<br />[NK News]`).
  const kept = lines.length === 1 ? '' : last.replace(/<br \/>(?:(?!<br \/>)[\s\S])*?((?:<\/[a-z0-9]+>)*)\s*$/i, '$1');
  return { html: [...blocks.slice(0, end - 1), kept].join('').trim(), line };
}

/** A WordPress post as an Item of the archive Source `sourceId`; `aliases` as for `parseAttribution`. */
export function wxrPostToItem(post: WxrPost, sourceId: string, aliases: Readonly<Record<string, string>> = {}): Item {
  const link = post.link?.trim() || null;
  const fullHtml = sanitizeHtml(autoParagraphs(stripShortcodes(post.contentHtml)), link);
  const { html: contentHtml, line } = splitAttribution(fullHtml);
  const credit = line === null ? null : parseAttribution(line, aliases);
  const contentText = htmlToText(contentHtml);
  const excerpt = post.excerptHtml === null ? '' : htmlToText(post.excerptHtml);
  return {
    id: itemId(sourceId, post.guid),
    sourceId,
    key: post.guid,
    title: post.title !== '' ? post.title : summarize(contentText, 100),
    url: canonicalUrlOrNull(link),
    attribution: credit?.attribution ?? null,
    outlets: credit?.outlets ?? [],
    author: post.author,
    publishedAt: post.published,
    archiveMonth: null,
    categories: post.categories,
    tags: post.tags,
    contentHtml,
    contentText,
    summary: summarize(excerpt !== '' ? excerpt : contentText),
    // The export has the whole post; it is cut short only when it is itself a
    // teaser (`... [NK News] Read more`), which the closing lines show.
    truncated: endsCutShort(contentText) || endsCutShort(htmlToText(fullHtml)),
    contentHash: contentHash(contentText),
  };
}
