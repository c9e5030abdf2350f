/**
 * Labelled documents as the pipeline's Items, made by the pipeline's own
 * normalize stages, so `eval dedupe` measures what a run would do:
 * - a post cut out of an archive dump page is put back on a one-post page
 *   (title, `Posted on by`, body) and read by the archive parser; a single-post
 *   page of the archive is read whole, with its address;
 * - a web page is a feed entry whose content is the page text, normalized like
 *   any outlet's entry.
 * The same archive post on two dump pages gives one Item, as it does in a run.
 */
import { archivePageToItems } from '../ingest/archive/item.js';
import { parseArchivePage } from '../ingest/archive/parse.js';
import type { Item } from '../ingest/item.js';
import { normalizeEntry } from '../ingest/normalize/normalize.js';
import type { ParsedEntry, ParsedFeed } from '../ingest/feed/parsed-feed.js';
import { textToHtml } from '../html/text.js';
import type { DedupeDocument } from './dedupe-dataset.js';

/** The Source an evaluated document is read from: the blog's archive, or a site's feed. */
export interface EvalSource {
  id: string;
  kind: 'archive' | 'feed';
  name: string;
  site: string;
}

export function sourceOf(doc: DedupeDocument): EvalSource {
  const slug = doc.site.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return doc.sourceKind === 'archive'
    ? { id: `archive-${slug}`, kind: 'archive', name: doc.site, site: doc.site }
    : { id: `web-${slug}`, kind: 'feed', name: doc.site, site: doc.site };
}

function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((block) => block.trim()).filter((block) => block !== '');
}

function archiveItem(doc: DedupeDocument, sourceId: string): Item | null {
  const single = doc.id.startsWith('arch:') && doc.url !== null;
  const pageText = single ? doc.text : `${doc.title ?? ''}\n\nPosted on by\n\n${doc.text}`;
  try {
    const page = parseArchivePage(pageText, { name: doc.id, url: single ? doc.url : null });
    return archivePageToItems(page, sourceId, doc.id).items[0] ?? null;
  } catch {
    return null;
  }
}

function webItem(doc: DedupeDocument, sourceId: string): Item {
  const url = doc.url ?? `https://${doc.site}/`;
  const entry: ParsedEntry = {
    guid: doc.url === null ? doc.id : null,
    title: doc.title,
    link: url,
    author: null,
    categories: [],
    summary: null,
    content: textToHtml(paragraphs(doc.text)),
    published: null,
    updated: null,
  };
  const feed: ParsedFeed = { format: 'rss', title: doc.site, link: `https://${doc.site}/`, description: null, language: null, ttlMinutes: null, entries: [entry] };
  return normalizeEntry(entry, feed, { id: sourceId, outlet: doc.outlet, feedUrl: url });
}

/**
 * The Item the pipeline makes of a document. An archive post the parser cannot
 * read (no text once the furniture is gone) falls back to a plain entry of its
 * text, so every document is scored.
 */
export function documentToItem(doc: DedupeDocument): Item {
  const source = sourceOf(doc);
  return (source.kind === 'archive' ? archiveItem(doc, source.id) : null) ?? webItem(doc, source.id);
}
