/**
 * A WordPress export (WXR 1.0-1.2: RSS 2.0 with the `wp:` namespace) as an
 * archive Source: the blog's own posts with their exact dates, authors,
 * categories and tags, which the archive pages only partly show.
 *
 * Three parts, as for every input format: the wire shape (`WxrPost`), the parse
 * (`parseWordpressExport`) and the adapter to the Item (`wxrPostToItem`).
 */
import { InputError } from '../../errors.js';
import { parseAttribution } from '../archive/attribution.js';
import { canonicalUrlOrNull } from '../normalize/canonical-url.js';
import { contentHash, itemId, type Item } from '../item.js';
import { endsCutShort, plainText, uniqueLabels } from '../normalize/normalize.js';
import { htmlToText, sanitizeHtml, summarize } from '../../html/sanitize.js';
import { parseStrictXml, XmlSyntaxError } from './strict-xml.js';
import { attr, elements, textContent, textOf as elementText, type XmlElement } from './xml-tree.js';

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

// --- XML: read with the project's parser; strict-xml.ts refuses malformed files.

/**
 * RSS's own elements (`item`, `title`, `category`) carry no prefix: matched by
 * name as written, whatever default namespace the file may declare.
 */
function rssChildren(parent: XmlElement, name: string): XmlElement[] {
  return elements(parent).filter((element) => element.qname === name);
}

/** Text of the first `name` child, trimmed; null when absent or blank. */
function rssText(parent: XmlElement, name: string): string | null {
  return elementText(rssChildren(parent, name)[0] ?? null);
}

// --- Namespaces: matched by URI, so any prefix works; WXR 1.0-1.2 differ only in the version.

const NAMESPACES = {
  wp: /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/?$/,
  excerpt: /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/?$/,
  content: /^http:\/\/purl\.org\/rss\/1\.0\/modules\/content\/?$/,
  dc: /^http:\/\/purl\.org\/dc\/elements\/1\.1\/?$/,
};
type Module = keyof typeof NAMESPACES;

/**
 * Children `local` in one module's namespace. parse-xml gives an undeclared
 * prefix the prefix itself as namespace (`dc:` and `content:` their own URIs), so a
 * hand-trimmed export's bare `wp:` elements are found too.
 */
function moduleChildren(parent: XmlElement, module: Module, local: string): XmlElement[] {
  return elements(parent).filter((element) => element.local === local && (element.ns === module || NAMESPACES[module].test(element.ns)));
}

function moduleText(parent: XmlElement, module: Module, local: string): string | null {
  return elementText(moduleChildren(parent, module, local)[0] ?? null);
}

/** An `xmlns:*` declaration of the WXR namespace on one of `declarers`. */
function declaresWxr(...declarers: XmlElement[]): boolean {
  return declarers.some((element) => element.attrs.some((a) => a.qname.startsWith('xmlns:') && NAMESPACES.wp.test(a.value)));
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

function readPost(item: XmlElement, authors: Map<string, string>): WxrPost {
  const wp = (local: string): string | null => moduleText(item, 'wp', local);
  const link = rssText(item, 'link');
  const postId = wp('post_id');
  const creator = moduleText(item, 'dc', 'creator');
  const categories: string[] = [];
  const tags: string[] = [];
  for (const category of rssChildren(item, 'category')) {
    const domain = attr(category, 'domain') ?? 'category';
    // Other taxonomies (`post_format`, plugin ones) are not what the blog calls categories or tags.
    if (domain === 'category') categories.push(textContent(category));
    else if (domain === 'post_tag' || domain === 'tag') tags.push(textContent(category));
  }
  return {
    guid: rssText(item, 'guid') ?? link ?? `wp:post_id:${postId ?? ''}`,
    title: plainText(rssText(item, 'title')),
    link,
    published: gmtDate(wp('post_date_gmt')) ?? plausible(new Date(rssText(item, 'pubDate') ?? '')),
    author: creator === null ? null : plainText(authors.get(creator) ?? creator) || null,
    categories: uniqueLabels(categories),
    tags: uniqueLabels(tags),
    contentHtml: moduleText(item, 'content', 'encoded') ?? '',
    excerptHtml: moduleText(item, 'excerpt', 'encoded'),
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
  let root: XmlElement;
  try {
    root = parseStrictXml(xml, name);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    throw notAnExport(name, `invalid XML: ${error.message}`, error);
  }
  if (root.qname !== 'rss') throw notAnExport(name, `root element is <${root.qname}>, not <rss>`);
  const channel = rssChildren(root, 'channel')[0];
  if (!channel) throw notAnExport(name, 'no <channel>');
  // An export declares the namespace; a hand-trimmed one may only keep the version element.
  if (!declaresWxr(root, channel) && moduleChildren(channel, 'wp', 'wxr_version').length === 0) {
    throw notAnExport(name, 'an RSS channel without the WXR namespace (xmlns:wp="http://wordpress.org/export/1.2/")');
  }
  const authors = new Map<string, string>();
  for (const author of moduleChildren(channel, 'wp', 'author')) {
    const login = moduleText(author, 'wp', 'author_login');
    const display = moduleText(author, 'wp', 'author_display_name');
    if (login !== null && display !== null) authors.set(login, display);
  }
  return rssChildren(channel, 'item').map((item) => readPost(item, authors));
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
export function splitCreditLine(html: string): { html: string; line: string | null } {
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
  const { html: contentHtml, line } = splitCreditLine(fullHtml);
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
