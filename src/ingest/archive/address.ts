/**
 * What a page's address says about it before its text is read: a single post
 * or a listing, the post's slug, and which tag, category or author a listing is
 * for. WordPress (familycarefoundation.biz) and Squarespace (crossingbordersnk.org
 * and its staging copy) lay out their addresses differently; both are read here.
 */
import type { ArchivePageKind } from './page.js';

export interface AddressFacts {
  /** null when the address does not tell (no address, or an unknown layout). */
  kind: ArchivePageKind | null;
  /** Words of a single post's slug (`why-north-koreans-dont-escape` -> why north koreans dont escape). */
  slugWords: string[];
  /** The listing's facet: `/blog/tag/South+Korea` -> tag `South Korea`. */
  facet: { kind: 'tag' | 'category' | 'author'; value: string | null } | null;
}

const NONE: AddressFacts = { kind: null, slugWords: [], facet: null };

/** Path words that name a listing, never a post. */
const LISTING_ROOTS = new Set(['blog', 'news', 'posts', 'archive', 'archives', 'stories', 'journal', 'home']);
const FACETS: Record<string, 'tag' | 'category' | 'author'> = { tag: 'tag', category: 'category', author: 'author' };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment.replace(/\+/g, ' ')).trim();
  } catch {
    return segment.replace(/\+/g, ' ').trim();
  }
}

/**
 * Listings: `/`, `/blog`, `/page/N`, `/category/x/`, `/tag/x`, `/author/x`,
 * `/2016/04/`, `?offset=`, `?author=`, `?tag=`. Single posts: one slug segment
 * (`/why-the-majority-...`), `/2017/12/13/slug`, `/blog/slug`, `/blog/slug/2021/10/16`.
 */
export function readAddress(url: string | null | undefined): AddressFacts {
  if (!url || !/^https?:\/\//i.test(url)) return NONE;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return NONE;
  }
  const segments = parsed.pathname.split('/').filter((part) => part !== '').map(decode);
  const query = parsed.searchParams;
  for (const name of ['tag', 'category', 'author'] as const) {
    const value = query.get(name);
    if (value !== null) return { kind: 'listing', slugWords: [], facet: { kind: name, value: name === 'author' ? null : decode(value) } };
  }
  if (['offset', 's', 'page', 'paged', 'month', 'cat'].some((name) => query.has(name))) return { ...NONE, kind: 'listing' };
  // WordPress short links: `/?p=1234` is a post with no slug in its address.
  if (query.has('p') || query.has('page_id')) return { ...NONE, kind: 'single-post' };

  const facetAt = segments.findIndex((part) => part.toLowerCase() in FACETS);
  if (facetAt >= 0) {
    const facetKind = FACETS[(segments[facetAt] ?? '').toLowerCase()] ?? 'tag';
    const value = segments[facetAt + 1] ?? null;
    return { kind: 'listing', slugWords: [], facet: { kind: facetKind, value } };
  }
  if (segments.some((part) => part.toLowerCase() === 'page')) return { ...NONE, kind: 'listing' };

  const words = segments.filter((part) => !/^\d+$/.test(part) && !LISTING_ROOTS.has(part.toLowerCase()));
  if (words.length === 0) return { ...NONE, kind: 'listing' };
  const slug = words[words.length - 1] ?? '';
  return { kind: 'single-post', slugWords: slugToWords(slug), facet: null };
}

export function slugToWords(slug: string): string[] {
  return slug
    .replace(/\.(?:html?|php|aspx?)$/i, '')
    .toLowerCase()
    .split(/[-_\s]+/)
    .filter((word) => word !== '');
}

/** A title rebuilt from a slug, for a single-post page whose text has no title line. */
export function titleFromSlug(words: string[]): string {
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
