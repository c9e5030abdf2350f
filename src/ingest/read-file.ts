/**
 * Sources that are local files: a feed document (kind `file`, for demos and
 * tests) and a WordPress export (kind `wordpress-export`, the archive blog's own
 * posts with dates, categories, tags and authors).
 */
import { readFile, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { InputError, errorMessage } from '../errors.js';
import type { SourceRow } from '../store/sources.js';
import { parseAttribution } from './archive-attribution.js';
import type { Appearance, Item } from './item.js';
import { normalizeEntry } from './normalize.js';
import { parseFeed } from './parse.js';
import type { SourceContent } from './source-content.js';
import { parseWordpressExport, publishedPosts, wxrPostToItem } from './wxr.js';

async function readLimited(file: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(file).catch((error: unknown) => {
    throw new InputError('ingest', file, `cannot read: ${errorMessage(error)}`, { cause: error });
  });
  if (info.size > maxBytes) throw new InputError('ingest', file, `file is ${info.size} bytes, over the limit of ${maxBytes}`, { code: 'too-large' });
  if (info.size === 0) throw new InputError('ingest', file, 'empty file', { code: 'empty' });
  return readFile(file);
}

function appearancesOf(items: Item[], location: string): Appearance[] {
  return items.map((item, index) => ({ itemId: item.id, location, position: index + 1, context: {} }));
}

function failedRead(source: SourceRow, error: unknown): SourceContent {
  return { items: [], appearances: [], documents: 0, problems: [{ where: source.location, message: errorMessage(error) }] };
}

export async function readFeedFile(source: SourceRow): Promise<SourceContent> {
  try {
    const body = await readLimited(source.location, Number(source.settings.maxFileBytes ?? 2 * 1024 * 1024));
    const feedUrl = pathToFileURL(source.location).href;
    const parsed = await parseFeed(body, { url: feedUrl, contentType: null, name: source.location });
    const outlet = (source.settings.outlet as string | undefined) ?? null;
    const items = parsed.entries.map((entry) => {
      const item = normalizeEntry(entry, parsed, { id: source.id, outlet, feedUrl });
      return source.settings.role === 'archive' ? attributeArchiveItem(item) : item;
    });
    return { items, appearances: appearancesOf(items, source.location), documents: parsed.entries.length, problems: [] };
  } catch (error) {
    return failedRead(source, error);
  }
}

export async function readWordpressExport(source: SourceRow): Promise<SourceContent> {
  try {
    const body = await readLimited(source.location, Number(source.settings.maxFileBytes ?? 64 * 1024 * 1024));
    const posts = publishedPosts(parseWordpressExport(body.toString('utf8'), source.location));
    const items = posts.map((post) => wxrPostToItem(post, source.id));
    return { items, appearances: appearancesOf(items, source.location), documents: posts.length, problems: [] };
  } catch (error) {
    return failedRead(source, error);
  }
}

/**
 * The organisation's own blog credits the Outlet on a bracketed line closing
 * the post (`[NK News]`), as on its archive pages: that line, not the feed's
 * title, names the Outlet of a reposted excerpt.
 */
export function attributeArchiveItem(item: Item): Item {
  const last = item.contentText.trim().split(/\n+/).pop()?.trim() ?? '';
  if (!/^\[[^[\]]+\]$/.test(last)) return { ...item, outlets: [] };
  const { attribution, outlets } = parseAttribution(last);
  return { ...item, attribution, outlets };
}
