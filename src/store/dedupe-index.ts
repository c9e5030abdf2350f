/**
 * The dedupe index in the store: one print per Item (dedupe_prints) and its
 * fingerprints in a posting table (dedupe_postings), so every worker looks up
 * and extends the same index. A lookup is a few queries for a whole batch:
 * postings for all fingerprints, prints with the same text, address or series,
 * then the candidates' prints with their Stories.
 */
import { rankCandidates, type StoredPrint } from '../dedupe/cluster.js';
import type { DedupePrint } from '../dedupe/print.js';
import type { DedupeSettings } from '../dedupe/rules.js';
import type { Queryable } from './db.js';

/** What the lookup reads of the settings: see DedupeSettings. */
export type IndexLookupOptions = Pick<DedupeSettings, 'maxPostings' | 'maxCandidates' | 'minSharedFingerprints' | 'minShared'>;

export interface IndexLookup {
  stored: Map<string, StoredPrint>;
  candidates: Map<string, string[]>;
  storyCreated: Map<string, number>;
}

interface PrintRow {
  itemId: string;
  contentHash: string;
  url: string | null;
  seriesKey: string | null;
  seriesPart: number | null;
  datedFrom: string | null;
  datedTo: string | null;
  wordCount: number;
  shingles: number[];
  quoted: number[];
  fingerprints: number[];
  storyId: string;
  storyCreated: Date;
}

/** The key that finds the other parts of a series: base title words. */
export function seriesKey(print: DedupePrint): string | null {
  return print.series ? print.series.baseWords.join(' ') : null;
}

function printFromRow(row: PrintRow): DedupePrint {
  return {
    itemId: row.itemId,
    contentHash: row.contentHash,
    url: row.url,
    series: row.seriesKey === null || row.seriesPart === null ? null : { part: row.seriesPart, baseWords: row.seriesKey.split(' ') },
    dated: row.datedFrom && row.datedTo ? { from: day(row.datedFrom), to: day(row.datedTo) } : null,
    wordCount: row.wordCount,
    shingles: Int32Array.from(row.shingles),
    quoted: new Set(row.quoted),
    fingerprints: row.fingerprints,
  };
}

/** PostgreSQL `date` arrives as a string from PGlite and as a Date from pg (read as local midnight). */
function day(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

const printColumns = `p.item_id as "itemId", p.content_hash as "contentHash", p.url, p.series_key as "seriesKey",
  p.series_part as "seriesPart", p.dated_from::text as "datedFrom", p.dated_to::text as "datedTo",
  p.word_count as "wordCount", p.shingles, p.quoted, p.fingerprints,
  si.story_id as "storyId", s.created_at as "storyCreated"`;

/** The stored Items each new print should be compared with, and their prints and Stories. */
export async function lookupCandidates(db: Queryable, prints: DedupePrint[], options: IndexLookupOptions): Promise<IndexLookup> {
  const empty: IndexLookup = { stored: new Map(), candidates: new Map(), storyCreated: new Map() };
  if (prints.length === 0) return empty;

  const fingerprints = [...new Set(prints.flatMap((print) => print.fingerprints))];
  const postings = await db.query<{ fingerprint: number; printId: string }>(
    `select f.fingerprint, p.print_id::text as "printId"
     from unnest($1::integer[]) as f (fingerprint)
     cross join lateral (select print_id from dedupe_postings d where d.fingerprint = f.fingerprint limit $2) p`,
    [fingerprints, options.maxPostings + 1],
  );
  const holders = new Map<number, string[]>();
  for (const row of postings) holders.set(row.fingerprint, [...(holders.get(row.fingerprint) ?? []), row.printId]);

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
      if (list.length > options.maxPostings) continue;
      for (const printId of list) hits.set(printId, (hits.get(printId) ?? 0) + 1);
    }
    for (const row of keyed) {
      const key = seriesKey(print);
      if ((row.contentHash === print.contentHash && print.wordCount >= options.minShared) || (row.url !== null && row.url === print.url) || (key !== null && row.seriesKey === key)) {
        hits.set(row.printId, Infinity);
      }
    }
    perPrint.set(print.itemId, rankCandidates(hits, print.fingerprints.length, options));
  }

  const wanted = [...new Set([...perPrint.values()].flat())];
  if (wanted.length === 0) return { ...empty, candidates: new Map(prints.map((p) => [p.itemId, []])) };
  const rows = await db.query<PrintRow & { printId: string }>(
    `select p.id::text as "printId", ${printColumns}
     from dedupe_prints p join story_items si on si.item_id = p.item_id join stories s on s.id = si.story_id
     where p.id = any($1::bigint[])`,
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
  return { stored, candidates, storyCreated };
}

/** The stored prints of these Items (for roles and representatives), without their Stories. */
export async function loadPrints(db: Queryable, itemIds: string[]): Promise<Map<string, DedupePrint>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.query<PrintRow>(
    `select ${printColumns} from dedupe_prints p join story_items si on si.item_id = p.item_id
     join stories s on s.id = si.story_id where p.item_id = any($1)`,
    [itemIds],
  );
  return new Map(rows.map((row) => [row.itemId, printFromRow(row)]));
}

/** Stores new prints and their postings (one statement each for the whole batch). */
export async function savePrints(db: Queryable, prints: DedupePrint[]): Promise<void> {
  if (prints.length === 0) return;
  const records = prints.map((print) => ({
    item_id: print.itemId,
    content_hash: print.contentHash,
    url: print.url,
    series_key: seriesKey(print),
    series_part: print.series?.part ?? null,
    dated_from: print.dated?.from ?? null,
    dated_to: print.dated?.to ?? null,
    word_count: print.wordCount,
    shingles: Array.from(print.shingles),
    quoted: [...print.quoted],
    fingerprints: print.fingerprints,
  }));
  const saved = await db.query<{ id: string; itemId: string }>(
    `insert into dedupe_prints (item_id, content_hash, url, series_key, series_part, dated_from, dated_to, word_count, shingles, quoted, fingerprints)
     select item_id, content_hash, url, series_key, series_part, dated_from, dated_to, word_count, shingles, quoted, fingerprints
     from jsonb_to_recordset($1::jsonb) as r (item_id text, content_hash text, url text, series_key text, series_part integer,
       dated_from date, dated_to date, word_count integer, shingles integer[], quoted integer[], fingerprints integer[])
     on conflict (item_id) do nothing
     returning id::text, item_id as "itemId"`,
    [JSON.stringify(records)],
  );
  const idOf = new Map(saved.map((row) => [row.itemId, row.id]));
  const keys: number[] = [];
  const ids: string[] = [];
  for (const print of prints) {
    const id = idOf.get(print.itemId);
    if (id === undefined) continue;
    for (const fingerprint of print.fingerprints) {
      keys.push(fingerprint);
      ids.push(id);
    }
  }
  await db.query(
    `insert into dedupe_postings (fingerprint, print_id) select * from unnest($1::integer[], $2::bigint[]) on conflict do nothing`,
    [keys, ids],
  );
}

/** Replaces the print of an Item whose text changed (its Story membership stays). */
export async function replacePrint(db: Queryable, print: DedupePrint): Promise<void> {
  const old = await db.query<{ id: string; fingerprints: number[] }>(
    'delete from dedupe_prints where item_id = $1 returning id::text, fingerprints',
    [print.itemId],
  );
  for (const row of old) {
    await db.query('delete from dedupe_postings where fingerprint = any($1) and print_id = $2', [row.fingerprints, row.id]);
  }
  await savePrints(db, [print]);
}
