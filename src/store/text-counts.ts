/**
 * The text counts (text_counts): on how many pages of each site every
 * paragraph was seen, counted once per Story (see migration 015). Written with
 * the prints, under the dedupe lock; read by the index lookup for the
 * paragraphs of the Items being processed.
 */
import type { DedupePrint } from '../dedupe/print.js';
import type { Queryable } from './db.js';

/** paragraph -> pages holding it on each site, and on all sites together. */
export type TextCounts = Map<number, { sites: Map<string, number>; all: number }>;

/**
 * Adds (or, with -1, takes back) one page per distinct paragraph of each print
 * to the text counts, on the print's site. Sorted by key, so concurrent
 * writers (none under the dedupe lock, but `reindex` too) lock rows in one order.
 */
export async function countParagraphs(db: Queryable, prints: readonly DedupePrint[], sign: 1 | -1 = 1): Promise<void> {
  // One page per (paragraph, site) per print: a paragraph printed twice on a page is one page's.
  const rows: [number, string][] = [];
  for (const print of prints) {
    const seen = new Set<number>();
    for (let i = 0; i < print.paragraphs.length; i += 3) {
      const paragraph = print.paragraphs[i]!;
      if (!seen.has(paragraph)) rows.push([paragraph, print.site]);
      seen.add(paragraph);
    }
  }
  if (rows.length === 0) return;
  rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  await db.query(
    `insert into text_counts (paragraph, site, pages)
     select paragraph, site, count(*) * $3::integer from unnest($1::integer[], $2::text[]) as r (paragraph, site) group by paragraph, site
     order by paragraph, site
     on conflict (paragraph, site) do update set pages = text_counts.pages + excluded.pages`,
    [rows.map((row) => row[0]), rows.map((row) => row[1]), sign],
  );
}


/**
 * Counts the pages of these stored prints (Items that started a Story): marks
 * each counted and adds its paragraphs, once. Idempotent (only prints not yet
 * counted are added), so the process job runs it after the dedupe lock is
 * released, in a transaction of its own: the counts are evidence derived from
 * the prints, and a worker stopped between the two leaves the prints
 * uncounted, to be counted by `stories reindex`, never twice.
 */
export async function countPages(db: Queryable, prints: readonly DedupePrint[]): Promise<void> {
  if (prints.length === 0) return;
  const marked = await db.query<{ itemId: string }>(
    'update dedupe_prints set counted = true where item_id = any($1::text[]) and not counted returning item_id as "itemId"',
    [prints.map((print) => print.itemId)],
  );
  const now = new Set(marked.map((row) => row.itemId));
  const counted = prints.filter((print) => now.has(print.itemId));
  for (const print of counted) print.counted = true;
  await countParagraphs(db, counted);
}

/**
 * The counts of the paragraphs of `prints`. Only theirs: a candidate's other
 * paragraphs cannot be shared whole with them, so their counts would change
 * nothing in a comparison (and reading them would multiply the lookup's reads).
 */
export async function readTextCounts(db: Queryable, prints: readonly Pick<DedupePrint, 'paragraphs'>[]): Promise<TextCounts> {
  const paragraphs = new Set<number>();
  for (const print of prints) for (let i = 0; i < print.paragraphs.length; i += 3) paragraphs.add(print.paragraphs[i]!);
  const counts: TextCounts = new Map();
  if (paragraphs.size === 0) return counts;
  const rows = await db.query<{ paragraph: number; site: string; pages: number }>(
    'select paragraph, site, pages from text_counts where paragraph = any($1::integer[]) and pages > 0',
    [[...paragraphs]],
  );
  for (const row of rows) {
    const entry = counts.get(row.paragraph) ?? { sites: new Map<string, number>(), all: 0 };
    entry.sites.set(row.site, row.pages);
    entry.all += row.pages;
    counts.set(row.paragraph, entry);
  }
  return counts;
}

/** Sets each print's `pages` from the counts (0 for a paragraph the counts were not read for). */
export function attachPages(prints: Iterable<Pick<DedupePrint, 'paragraphs' | 'site' | 'pages'>>, counts: TextCounts): void {
  for (const print of prints) {
    const size = print.paragraphs.length / 3;
    const pages = { site: new Int32Array(size), all: new Int32Array(size) };
    for (let i = 0; i < size; i += 1) {
      const entry = counts.get(print.paragraphs[3 * i]!);
      if (!entry) continue;
      pages.site[i] = entry.sites.get(print.site) ?? 0;
      pages.all[i] = entry.all;
    }
    print.pages = pages;
  }
}

/** Adds each print's distinct paragraphs to in-memory counts, as countParagraphs adds them to the store's (the eval replays the pipeline's counts). */
export function addToCounts(counts: TextCounts, prints: Iterable<Pick<DedupePrint, 'paragraphs' | 'site'>>): void {
  for (const print of prints) {
    for (const paragraph of new Set(Array.from({ length: print.paragraphs.length / 3 }, (_, i) => print.paragraphs[3 * i]!))) {
      const entry = counts.get(paragraph) ?? { sites: new Map<string, number>(), all: 0 };
      entry.sites.set(print.site, (entry.sites.get(print.site) ?? 0) + 1);
      entry.all += 1;
      counts.set(paragraph, entry);
    }
  }
}
