/**
 * The dedupe index lookup: which stored Items a batch of new prints must be
 * compared with. A few queries for the whole batch: postings for its
 * fingerprints, prints with the same text, address or series, then the
 * candidates' prints with their Stories. It runs before the dedupe lock;
 * catchUp brings it up to date under the lock.
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
import { storyMoves } from './stories.js';
import { attachPages, readTextCounts, type TextCounts } from './text-counts.js';

/** What the lookup reads of the settings: see DedupeSettings. */
export type IndexLookupOptions = Pick<DedupeSettings, 'maxPostings' | 'maxCandidates' | 'minSharedFingerprints' | 'minShared'>;

export interface IndexLookup {
  stored: Map<string, StoredPrint>;
  candidates: Map<string, string[]>;
  storyCreated: Map<string, number>;
  /** The batch's fingerprints that are stock text: not to be indexed. */
  stock: Set<number>;
  /** The newest print the lookup saw (prints are written under the dedupe lock, so in id order). */
  upTo: number;
  /** Story moves counted when the lookup began (storyMoves). */
  moves: number;
  /** How common the batch's paragraphs are (text-counts.ts): set on every print as `pages`. */
  counts: TextCounts;
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

/** What a stored print is found by besides its fingerprints. */
interface KeyRow {
  contentHash: string;
  url: string | null;
  seriesKey: string | null;
  titleKey: string | null;
}

/** Stored prints with the same text (of a text long enough to say so), address, series or title as a new one. */
async function keyedPrints(db: Queryable, prints: DedupePrint[], options: IndexLookupOptions): Promise<(KeyRow & { printId: number })[]> {
  const keys = {
    content_hash: prints.flatMap((p) => (p.wordCount >= options.minShared ? [p.contentHash] : [])),
    url: prints.flatMap((p) => (p.url ? [p.url] : [])),
    series_key: prints.flatMap((p) => seriesKey(p) ?? []),
    title_key: prints.flatMap((p) => p.titleKey ?? []),
  };
  // Only the keys the batch has: each condition is an index scan of its own.
  const present = Object.entries(keys).filter(([, values]) => values.length > 0);
  if (present.length === 0) return [];
  return db.query(
    `select id as "printId", content_hash as "contentHash", url, series_key as "seriesKey", title_key as "titleKey" from dedupe_prints
     where ${present.map(([column], i) => `${column} = any($${i + 1}::text[])`).join(' or ')}`,
    present.map(([, values]) => values),
  );
}

/** The stored Items each new print should be compared with, and their prints and Stories. */
export async function lookupCandidates(db: Queryable, prints: DedupePrint[], options: IndexLookupOptions): Promise<IndexLookup> {
  // Read first: a print committed after this is caught up by catchUp, one committed before is in the postings.
  // The reads that do not depend on each other go together (on a pool, each on a connection of its own).
  const all = [...new Set(prints.flatMap((print) => print.fingerprints))];
  const [[newest], moves, stock, counts] = await Promise.all([
    db.query<{ id: number }>('select coalesce(max(id), 0) as id from dedupe_prints'),
    storyMoves(db),
    knownStock(db, all),
    readTextCounts(db, prints),
  ]);
  const upTo = newest!.id;
  attachPages(prints, counts);
  const empty: IndexLookup = { stored: new Map(), candidates: new Map(prints.map((p) => [p.itemId, []])), storyCreated: new Map(), stock, upTo, moves, counts };
  if (prints.length === 0) return empty;

  const fingerprints = all.filter((fingerprint) => !stock.has(fingerprint));
  // One index scan over the sorted keys, not one scan per key: stock fingerprints are out of the
  // table, so no posting list is longer than about maxPostings.
  // Grouped in the server: one row per fingerprint held, not one per posting.
  const [postings, keyed] = await Promise.all([
    db.query<{ fingerprint: number; holders: number[] }>(
      `select fingerprint, array_agg(print_id) as holders from dedupe_postings where fingerprint = any($1::integer[])
       group by fingerprint`,
      [fingerprints],
    ),
    keyedPrints(db, prints, options),
  ]);
  const holders = new Map(postings.map((row) => [row.fingerprint, row.holders]));
  const common = [...holders].filter(([, list]) => list.length > options.maxPostings).map(([fingerprint]) => fingerprint);
  await markStock(db, common);
  for (const fingerprint of common) {
    stock.add(fingerprint);
    holders.delete(fingerprint);
  }

  const perPrint = new Map<string, number[]>();
  for (const print of prints) {
    const hits = new Map<number, number>();
    for (const fingerprint of print.fingerprints) {
      const list = holders.get(fingerprint) ?? [];
      const weight = fingerprintWeight(list.length);
      for (const printId of list) hits.set(printId, (hits.get(printId) ?? 0) + weight);
    }
    for (const row of keyed) if (sameKey(print, row, options)) hits.set(row.printId, Infinity);
    const usable = print.fingerprints.filter((fingerprint) => !stock.has(fingerprint)).length;
    perPrint.set(print.itemId, rankCandidates(hits, usable, options));
  }

  const wanted = [...new Set([...perPrint.values()].flat())];
  if (wanted.length === 0) return empty;
  const rows = await readPrints(db, wanted);
  const byPrintId = new Map(rows.map((row) => [row.printId, row]));
  const stored = new Map<string, StoredPrint>();
  const storyCreated = new Map<string, number>();
  for (const row of rows) {
    stored.set(row.itemId, { print: printFromRow(row), storyId: row.storyId });
    storyCreated.set(row.storyId, new Date(row.storyCreated).getTime());
  }
  attachPages([...stored.values()].map((entry) => entry.print), counts);
  const candidates = new Map(
    [...perPrint].map(([itemId, printIds]) => [itemId, printIds.flatMap((id) => byPrintId.get(id)?.itemId ?? [])]),
  );
  return { stored, candidates, storyCreated, stock, upTo, moves, counts };
}

/** The candidates' prints with their Stories, by print id. */
async function readPrints(db: Queryable, printIds: number[]): Promise<(PrintRow & { printId: number })[]> {
  if (printIds.length === 0) return [];
  return db.query<PrintRow & { printId: number }>(
    `select p.id as "printId", ${printColumns}
     from dedupe_prints p join story_items si on si.item_id = p.item_id join stories s on s.id = si.story_id
     where p.id = any($1::integer[])`,
    [printIds],
  );
}

/**
 * Brings a lookup made before taking the dedupe lock up to date, under the
 * lock: the prints other workers stored since (ranked the same way, from
 * their fingerprints and keys; only the candidates' whole prints are read)
 * and the Stories of every candidate now (merges and splits since). The
 * costly index reads happen outside the lock, so workers overlap them.
 */
export async function catchUp(db: Queryable, lookup: IndexLookup, prints: DedupePrint[], options: IndexLookupOptions): Promise<IndexLookup> {
  // Another worker's whole batch is newer than the lookup: its keys are a tenth of its prints' bytes.
  const newer = await db.query<KeyRow & { printId: number; fingerprints: number[] }>(
    `select id as "printId", content_hash as "contentHash", url, series_key as "seriesKey", title_key as "titleKey", fingerprints
     from dedupe_prints where id > $1 order by id`,
    [lookup.upTo],
  );
  const stored = new Map(lookup.stored);
  const storyCreated = new Map(lookup.storyCreated);
  const candidates = new Map(lookup.candidates);
  if (newer.length > 0) {
    const holders = new Map<number, number[]>();
    for (const row of newer) {
      for (const fingerprint of row.fingerprints) {
        const list = holders.get(fingerprint);
        if (list) list.push(row.printId);
        else holders.set(fingerprint, [row.printId]);
      }
    }
    const perPrint = new Map<string, number[]>();
    for (const print of prints) {
      const hits = new Map<number, number>();
      for (const fingerprint of print.fingerprints) {
        const list = holders.get(fingerprint) ?? [];
        for (const printId of list) hits.set(printId, (hits.get(printId) ?? 0) + fingerprintWeight(list.length));
      }
      for (const row of newer) if (sameKey(print, row, options)) hits.set(row.printId, Infinity);
      const usable = print.fingerprints.filter((fingerprint) => !lookup.stock.has(fingerprint)).length;
      perPrint.set(print.itemId, rankCandidates(hits, usable, options));
    }
    const rows = await readPrints(db, [...new Set([...perPrint.values()].flat())]);
    const itemOf = new Map(rows.map((row) => [row.printId, row.itemId]));
    const read = rows.map((row) => printFromRow(row));
    attachPages(read, lookup.counts);
    rows.forEach((row, i) => {
      stored.set(row.itemId, { print: read[i]!, storyId: row.storyId });
      storyCreated.set(row.storyId, new Date(row.storyCreated).getTime());
    });
    for (const [itemId, printIds] of perPrint) {
      candidates.set(itemId, [...(candidates.get(itemId) ?? []), ...printIds.flatMap((id) => itemOf.get(id) ?? [])]);
    }
  }
  // Stories move under merges and splits: when any happened meanwhile, read where every candidate is now.
  const moves = await storyMoves(db);
  const now =
    moves === lookup.moves
      ? []
      : await db.query<{ itemId: string; storyId: string; storyCreated: Date }>(
          `select si.item_id as "itemId", si.story_id as "storyId", s.created_at as "storyCreated"
           from story_items si join stories s on s.id = si.story_id where si.item_id = any($1)`,
          [[...stored.keys()]],
        );
  for (const row of now) {
    stored.set(row.itemId, { print: stored.get(row.itemId)!.print, storyId: row.storyId });
    storyCreated.set(row.storyId, new Date(row.storyCreated).getTime());
  }
  return { stored, candidates, storyCreated, stock: lookup.stock, upTo: newer.at(-1)?.printId ?? lookup.upTo, moves, counts: lookup.counts };
}

/**
 * The same text (long enough to say so), address, series or title. A title
 * finds a synonym-spun copy, which keeps it and little else of the wording.
 */
function sameKey(print: DedupePrint, row: KeyRow, options: IndexLookupOptions): boolean {
  const key = seriesKey(print);
  return (
    (row.contentHash === print.contentHash && print.wordCount >= options.minShared) ||
    (row.url !== null && row.url === print.url) ||
    (key !== null && row.seriesKey === key) ||
    (row.titleKey !== null && row.titleKey === print.titleKey)
  );
}
