/**
 * The Feed files as HTTP resources: the overall Feed, each Topic's, the
 * Editions Feed and each sent Edition's page, read from the output folder the
 * publish job writes (atomically, so a reader never sees half a file). Strong ETags from the content and Last-Modified from the
 * file, so feed readers polling every few minutes get 304 Not Modified.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EDITION_FEED_FILES, EDITION_ID, EDITION_PAGES_FOLDER } from '../publish/editions.js';

export interface FeedFile {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
}

/** Media types by file: RSS 2.0, Atom 1.0, JSON Feed 1.1, and the Editions' pages. */
function contentTypeOf(name: string): string {
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  if (name === 'atom.xml' || name.endsWith('.atom')) return 'application/atom+xml; charset=utf-8';
  if (name.endsWith('.json')) return 'application/feed+json; charset=utf-8';
  return 'application/rss+xml; charset=utf-8';
}

const fixedNames = new Set(['feed.xml', 'atom.xml', 'feed.json', ...Object.values(EDITION_FEED_FILES)]);

/**
 * The only names served: `feed.xml`, `atom.xml`, `feed.json`, `topics/<slug>.xml|.atom|.json`,
 * `editions.xml|.atom|.json` and `email/<edition id>.html` (no other path reaches the disk).
 */
export function feedFileName(urlPath: string): string | null {
  const name = urlPath.replace(/^\/+/, '');
  if (fixedNames.has(name)) return name;
  const page = new RegExp(`^${EDITION_PAGES_FOLDER}/([^/]+)\\.html$`).exec(name);
  if (page) return EDITION_ID.test(page[1]!) ? name : null;
  return /^topics\/[a-z0-9]+(?:-[a-z0-9]+)*\.(?:xml|atom|json)$/.test(name) ? name : null;
}

export class FeedFiles {
  /** Read once per version of each file (by modification time and size). */
  private readonly cache = new Map<string, { version: string; file: FeedFile }>();

  constructor(private readonly folder: string) {}

  /** The file, or null when it does not exist (yet). */
  async read(name: string): Promise<FeedFile | null> {
    const file = path.join(this.folder, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const version = `${info.mtimeMs}:${info.size}`;
    const cached = this.cache.get(name);
    if (cached?.version === version) return cached.file;
    const body = await readFile(file);
    const feed: FeedFile = {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: new Date(Math.floor(info.mtimeMs / 1000) * 1000),
      contentType: contentTypeOf(path.basename(name)),
    };
    this.cache.set(name, { version, file: feed });
    return feed;
  }
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; either one matching means 304. */
export function notModified(file: FeedFile, headers: { 'if-none-match'?: string; 'if-modified-since'?: string }): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag);
  }
  const since = headers['if-modified-since'] ? Date.parse(headers['if-modified-since']) : Number.NaN;
  return !Number.isNaN(since) && file.lastModified.getTime() <= since;
}
