/**
 * The Feed files as HTTP resources: the overall Feed, each Topic's, the
 * Editions Feed and each sent Edition's page, read from the output folder the
 * publish job writes (atomically, so a reader never sees half a file).
 * ETags from the content and Last-Modified from the file, so feed readers
 * polling every few minutes get 304 Not Modified.
 *
 * Compressed (gzip or brotli, by @fastify/compress, as the reader's
 * Accept-Encoding asks) or not, a file is one resource: every variant carries
 * the same weak ETag and `Vary: Accept-Encoding`. RFC 9110 §8.8.1: a strong
 * ETag promises the same bytes, which a gzip and a brotli body are not; a weak
 * one promises the same content, which they are, and If-None-Match compares
 * weakly (§13.1.2), so the ETag a reader got with any variant gets its 304.
 * (A strong tag per variant would need the encoding known before the
 * compressor chooses it; nothing here uses Range, the one place strong tags matter.)
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
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
      etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: new Date(Math.floor(info.mtimeMs / 1000) * 1000),
      contentType: contentTypeOf(path.basename(name)),
    };
    this.cache.set(name, { version, file: feed });
    return feed;
  }
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; either one matching means 304.
 * ETags compare weakly (§13.1.2): `W/"x"` and `"x"` (what an older version of us sent) both match.
 */
export function notModified(file: FeedFile, headers: { 'if-none-match'?: string; 'if-modified-since'?: string }): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(file.etag));
  }
  const since = headers['if-modified-since'] ? Date.parse(headers['if-modified-since']) : Number.NaN;
  return !Number.isNaN(since) && file.lastModified.getTime() <= since;
}

/** How long a reader may reuse a Feed without asking (it then revalidates with its ETag). */
const FEED_MAX_AGE_SECONDS = 300;
/** Published files (Feeds, Edition pages): inline styles and images only; links open in a new context outside the sandbox. */
const PUBLISHED_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';

/**
 * The Feed route, a catch-all: fastify matches every fixed path before any
 * wildcard, whatever the order they are registered in. In a plugin of its own,
 * so it is added after @fastify/compress has loaded (the compressor hooks
 * every route added from then on).
 */
export function registerFeeds(app: FastifyInstance, folder: string): void {
  const feeds = new FeedFiles(folder);
  app.register(async (scope) => {
    scope.get('/*', async (request, reply) => {
      const name = feedFileName(request.url.split('?')[0]!);
      const file = name ? await feeds.read(name) : null;
      if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
      reply
        .header('etag', file.etag)
        .header('last-modified', file.lastModified.toUTCString())
        .header('cache-control', `public, max-age=${FEED_MAX_AGE_SECONDS}`)
        // On every variant and on the 304 (RFC 9110 §12.5.5, §15.4.5), compressed or not, so a shared cache keeps them apart.
        // Lower case: @fastify/compress adds its own unless it finds exactly this.
        .header('vary', 'accept-encoding')
        .header('x-content-type-options', 'nosniff')
        // The published Edition pages share this origin with the editor pages: no script, no forms, no frames,
        // whatever a page holds; the email's own styles and images still show. (Feeds need none of it either.)
        .header('content-security-policy', PUBLISHED_PAGE_POLICY);
      if (notModified(file, request.headers as Record<string, string | undefined>)) return reply.code(304).send();
      return reply.type(file.contentType).send(file.body);
    });
  });
}
