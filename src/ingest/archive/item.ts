/**
 * Normalize for the local archive: the posts of parsed archive pages become
 * Items, one Appearance per page they were seen on. The same post on several
 * pages (a category page and a monthly page) is one Item.
 */
import type { ArchivePage, ArchivePost } from './page.js';
import { contentHash, itemId, type Appearance, type Item } from '../item.js';
import { plainText } from '../normalize/normalize.js';
import { normalizeText } from '../../html/text.js';
import { summarize, textToHtml } from '../../html/sanitize.js';

/** Words of the opening paragraph that, with the title, identify a post across pages. */
const keyWords = 30;

export interface ArchivePageItems {
  items: Item[];
  appearances: Appearance[];
}

export function archivePostKey(post: ArchivePost): string {
  const lead = post.paragraphs[post.leadIndex] ?? post.paragraphs.join(' ');
  const opening = normalizeText(lead).split(' ').slice(0, keyWords).join(' ');
  return `${normalizeText(post.title)}\n${opening}`;
}

/** The Items and Appearances of one page; `location` names the page (file name or address). */
export function archivePageToItems(page: ArchivePage, sourceId: string, location: string): ArchivePageItems {
  const items: Item[] = [];
  const appearances: Appearance[] = [];
  page.posts.forEach((post, index) => {
    const key = archivePostKey(post);
    const id = itemId(sourceId, key);
    const contentText = post.paragraphs.join('\n\n');
    // Plain text, as every Item's title: a dump taken from a page's HTML may
    // carry its markup (`<em>`, `&amp;`). The key keeps the line as printed, so ids do not change.
    const title = plainText(post.title);
    const footer = page.kind === 'single-post' ? page.footer : null;
    items.push({
      id,
      sourceId,
      key,
      title: title !== '' ? title : summarize(contentText, 100),
      url: null,
      attribution: post.attribution,
      outlets: post.outlets,
      author: footer?.author ?? page.context.author,
      publishedAt: null,
      archiveMonth: page.context.month,
      categories: unique([page.context.category, ...(footer?.categories ?? [])]),
      tags: unique([page.context.tag, ...(footer?.tags ?? [])]),
      contentHtml: textToHtml(post.paragraphs),
      contentText,
      summary: summarize(post.paragraphs[post.leadIndex] ?? contentText),
      truncated: post.truncated || post.readMore,
      contentHash: contentHash(contentText),
    });
    appearances.push({
      itemId: id,
      location,
      position: index + 1,
      context: { heading: page.heading, ...page.context },
    });
  });
  return { items, appearances };
}

/**
 * One Item per id across all pages of a run: the fullest text wins (a page may
 * cut a post short), context from every page is kept (a monthly page dates a post
 * that a category page does not).
 */
export function mergeArchiveItems(items: Item[]): Item[] {
  const byId = new Map<string, Item>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (!seen) {
      byId.set(item.id, item);
      continue;
    }
    const fuller = item.contentText.length > seen.contentText.length ? item : seen;
    byId.set(item.id, {
      ...fuller,
      author: seen.author ?? item.author,
      archiveMonth: seen.archiveMonth ?? item.archiveMonth,
      categories: unique([...seen.categories, ...item.categories]),
      tags: unique([...seen.tags, ...item.tags]),
    });
  }
  return [...byId.values()];
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}
