/**
 * The dedupe index lookup: which stored Items a batch of new prints must be
 * compared with. A few queries for the whole batch: postings for its
 * fingerprints, prints with the same text, address or series, then the
 * candidates' prints with their Stories.
 *
 * Stock text: a fingerprint held by more than `maxPostings` Items is a common
 * phrase or a stock paragraph, not a sign of a copy. The first lookup that sees
 * one so common records it in dedupe_stock and drops its postings; later
 * lookups and saves skip it. (Copies of one text do not count towards this:
 * the process job indexes a near or exact copy's fingerprints only once.)
 */
import { fingerprintWeight, rankCandidates, type StoredPrint } from '../dedupe/cluster.js';
import type { DedupePrint } from '../dedupe/print.js';
import type { DedupeSettings } from '../dedupe/rules.js';
import type { Queryable } from './db.js';
import { printColumns, printFromRow, seriesKey, type PrintRow } from './dedupe-prints.js';

/** What the lookup reads of the settings: see DedupeSettings. */
export type IndexLookupOptions = Pick<DedupeSettings, 'maxPostings' | 'maxCandidates' | 'minSharedFingerprints' | 'minShared'>;

export interface IndexLookup {
  stored: Map<string, StoredPrint>;
  candidates: Map<string, string[]>;
  storyCreated: Map<string, number>;
}

export interface IndexLookup {
  stored: Map<string, StoredPrint>;
  candidates: Map<string, string[]>;
  storyCreated: Map<string, number>;
  /** The batch's fingerprints that are stock text: not to be indexed. */
  stock: Set<number>;
}

/** Fingerprints of `fingerprints` already known as stock. */
async function knownStock(db: Queryable, fingerprints: number[]): Promise<Set<number>> {
  const rows = await db.query<{ fingerprint: number }>('select fingerprint from dedupe_stock where fingerprint = any($1::integer[])', [fingerprints]);
  return new Set(rows.map((row) => row.fingerprint));
}

/** Records fingerprints found to be stock and takes their postings out of the index. */
async function markStock(db: Queryable, fingerprints: number[]): Promise<void> {
  if (fingerprints.length === 0) return;
  await db.query('insert into dedupe_stock (fingerprint) select * from unnest($1::integer[]) on conflict do nothing', [fingerprints]);
  await db.query('delete from dedupe_postings where fingerprint = any($1::integer[])', [fingerprints]);
}

/** The stored Items each new print should be compared with, and their prints and Stories. */
export async function lookupCandidates(db: Queryable, prints: DedupePrint[], options: IndexLookupOptions): Promise<IndexLookup> {
  const all = [...new Set(prints.flatMap((print) => print.fingerprints))];
  const stock = await knownStock(db, all);
  const empty: IndexLookup = { stored: new Map(), candidates: new Map(prints.map((p) => [p.itemId, []])), storyCreated: new Map(), stock };
  if (prints.length === 0) return empty;

  const fingerprints = all.filter((fingerprint) => !stock.has(fingerprint));
  // One index scan over the sorted keys, not one scan per key: stock fingerprints are out of the
  // table, so no posting list is longer than about maxPostings.
  const postings = await db.query<{ fingerprint: number; printId: string }>(
    'select fingerprint, print_id::text as "printId" from dedupe_postings where fingerprint = any($1::integer[])',
    [fingerprints],
  );
  const holders = new Map<number, string[]>();
  for (const row of postings) {
    const list = holders.get(row.fingerprint);
    if (list) list.push(row.printId);
    else holders.set(row.fingerprint, [row.printId]);
  }
  const common = [...holders].filter(([, list]) => list.length > options.maxPostings).map(([fingerprint]) => fingerprint);
  await markStock(db, common);
  for (const fingerprint of common) {
    stock.add(fingerprint);
    holders.delete(fingerprint);
  }

  const keyed = await db.query<{ printId: string; contentHash: string; url: string | null; seriesKey: string | null }>(
    `select id::text as "printId", content_hash as "contentHash", url, series_key as "seriesKey" from dedupe_prints
     where content_hash = any($1) or url = any($2) or series_key = any($3)`,
    [prints.flatMap((p) => (p.wordCount >= options.minShared ? [p.contentHash] : [])), prints.flatMap((p) => (p.url ? [p.url] : [])), prints.flatMap((p) => seriesKey(p) ?? [])],
  );

  const perPrint = new Map<string, string[]>();
  for (const print of prints) {
    const hits = new Map<string, number>();
    for (const fingerprint of print.fingerprints) {
      const list = holders.get(fingerprint) ?? [];
      const weight = fingerprintWeight(list.length);
      for (const printId of list) hits.set(printId, (hits.get(printId) ?? 0) + weight);
    }
    const key = seriesKey(print);
    for (const row of keyed) {
      if ((row.contentHash === print.contentHash && print.wordCount >= options.minShared) || (row.url !== null && row.url === print.url) || (key !== null && row.seriesKey === key)) {
        hits.set(row.printId, Infinity);
      }
    }
    const usable = print.fingerprints.filter((fingerprint) => !stock.has(fingerprint)).length;
    perPrint.set(print.itemId, rankCandidates(hits, usable, options));
  }

  const wanted = [...new Set([...perPrint.values()].flat())];
  if (wanted.length === 0) return empty;
  const rows = await db.query<PrintRow & { printId: string }>(
    `select p.id::text as "printId", ${printColumns}
     from dedupe_prints p join story_items si on si.item_id = p.item_id join stories s on s.id = si.story_id
     where p.id = any($1::integer[])`,
    [wanted],
  );
  const byPrintId = new Map(rows.map((row) => [row.printId, row]));
  const stored = new Map<string, StoredPrint>();
  const storyCreated = new Map<string, number>();
  for (const row of rows) {
    stored.set(row.itemId, { print: printFromRow(row), storyId: row.storyId });
    storyCreated.set(row.storyId, new Date(row.storyCreated).getTime());
  }
  const candidates = new Map(
    [...perPrint].map(([itemId, printIds]) => [itemId, printIds.flatMap((id) => byPrintId.get(id)?.itemId ?? [])]),
  );
  return { stored, candidates, storyCreated, stock };
}

