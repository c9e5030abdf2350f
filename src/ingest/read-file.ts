/**
 * Sources that are local files: a feed document (kind `file`, for demos and
 * tests) and a WordPress export (kind `wordpress-export`, the archive blog's own
 * posts with dates, categories, tags and authors).
 */
import { readFile, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { InputError, errorMessage } from '../errors.js';
import type { SourceRow } from './source.js';
import { aliasTable, parseAttribution } from './archive/attribution.js';
import { contentHash, type Appearance, type Item } from './item.js';
import { normalizeEntry } from './normalize/normalize.js';
import { parseFeed } from './feed/parse.js';
import type { ParsedFeed } from './feed/parsed-feed.js';
import { htmlToText } from '../html/text.js';
import type { SourceContent } from './source-content.js';
import { parseWordpressExport, publishedPosts, splitCreditLine, wxrPostToItem } from './feed/wxr.js';

async function readLimited(file: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(file).catch((error: unknown) => {
    throw new InputError('ingest', file, `cannot read: ${errorMessage(error)}`, { cause: error });
  });
  if (info.size > maxBytes) throw new InputError('ingest', file, `file is ${info.size} bytes, over the limit of ${maxBytes}`, { code: 'too_large' });
  if (info.size === 0) throw new InputError('ingest', file, 'empty file', { code: 'empty' });
  return readFile(file);
}

function appearancesOf(items: Item[], location: string): Appearance[] {
  return items.map((item, index) => ({ itemId: item.id, location, position: index + 1, context: {} }));
}

function failedRead(source: SourceRow, error: unknown): SourceContent {
  return { items: [], appearances: [], documents: 0, problems: [{ where: source.location, message: errorMessage(error) }] };
}

/** Config Outlet aliases, as the attribution parser looks them up. */
export type OutletAliases = Readonly<Record<string, string>>;

/**
 * A parsed feed's entries as Items of `source`: for an outlet's feed the Outlet
 * is the configured one (or the feed's title); for the organisation's own blog
 * (`role: archive`) it is the post's `[Outlet]` credit line.
 */
export function feedItems(parsed: ParsedFeed, source: SourceRow, feedUrl: string, aliases: OutletAliases): Item[] {
  const outlet = (source.settings.outlet as string | undefined) ?? null;
  return parsed.entries.map((entry) => {
    const item = normalizeEntry(entry, parsed, { id: source.id, outlet, feedUrl });
    return source.settings.role === 'archive' ? attributeArchiveItem(item, aliases) : item;
  });
}

export async function readFeedFile(source: SourceRow, aliases: OutletAliases): Promise<SourceContent> {
  try {
    const body = await readLimited(source.location, Number(source.settings.maxFileBytes ?? 2 * 1024 * 1024));
    const feedUrl = pathToFileURL(source.location).href;
    const parsed = await parseFeed(body, { url: feedUrl, contentType: null, name: source.location });
    const items = feedItems(parsed, source, feedUrl, aliases);
    const problems = parsed.encodingProblem ? [{ where: source.location, message: `parse: ${source.location}: ${parsed.encodingProblem}` }] : [];
    return { items, appearances: appearancesOf(items, source.location), documents: parsed.entries.length, problems };
  } catch (error) {
    return failedRead(source, error);
  }
}

export async function readWordpressExport(source: SourceRow, aliases: OutletAliases): Promise<SourceContent> {
  try {
    const body = await readLimited(source.location, Number(source.settings.maxFileBytes ?? 64 * 1024 * 1024));
    const posts = publishedPosts(parseWordpressExport(body.toString('utf8'), source.location));
    const items = posts.map((post) => wxrPostToItem(post, source.id, aliasTable(aliases)));
    return { items, appearances: appearancesOf(items, source.location), documents: posts.length, problems: [] };
  } catch (error) {
    return failedRead(source, error);
  }
}

/**
 * The organisation's own blog credits the Outlet on a bracketed line closing
 * the post (`[NK News]`), as on its archive pages and in its WordPress export:
 * that line, not the feed's title, names the Outlet, and it is taken out of the
 * text the same way, so the same post from any of the three hashes alike.
 */
export function attributeArchiveItem(item: Item, aliases: OutletAliases): Item {
  const { html, line } = splitCreditLine(item.contentHtml);
  if (line === null) return { ...item, attribution: null, outlets: [] };
  const { attribution, outlets } = parseAttribution(line, aliasTable(aliases));
  const contentText = htmlToText(html);
  return { ...item, attribution, outlets, contentHtml: html, contentText, contentHash: contentHash(contentText) };
}
