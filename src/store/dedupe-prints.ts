/**
 * Dedupe prints in the store (dedupe_prints), with their fingerprints in the
 * posting table (dedupe_postings) that the index lookup reads. Shingles travel
 * and rest as bytea.
 */
import { endianness } from 'node:os';
import type { Fact, FactKind } from '../dedupe/facts.js';
import type { DedupePrint } from '../dedupe/print.js';
import type { Queryable } from './db.js';
import { countPages, countParagraphs } from './text-counts.js';

const LITTLE_ENDIAN = endianness() === 'LE';

export interface PrintRow {
  itemId: string;
  contentHash: string;
  url: string | null;
  seriesKey: string | null;
  seriesPart: number | null;
  datedFrom: string | null;
  datedTo: string | null;
  wordCount: number;
  shingles: Buffer;
  quoted: Buffer;
  fingerprints: number[];
  titleKey: string | null;
  facts: string;
  skeleton: Buffer;
  skeletonOwners: Buffer;
  site: string;
  paragraphs: Buffer;
  counted: boolean;
  storyId: string;
  storyCreated: Date;
}

/** The key that finds the other parts of a series: base title words. */
export function seriesKey(print: DedupePrint): string | null {
  return print.series ? print.series.baseWords.join(' ') : null;
}

/** A fact as stored (dedupe_prints.facts): compact, since every print carries a few dozen. */
type StoredFact = [at: number, words: number, kind: FactKind, shown: string, value: string];

const KINDS: Record<FactKind, string> = { number: 'n', date: 'd', weekday: 'w', name: 'p' };
const KIND_OF = Object.fromEntries(Object.entries(KINDS).map(([kind, code]) => [code, kind])) as Record<string, FactKind>;

export function encodeFacts(facts: readonly Fact[]): string {
  return JSON.stringify(facts.map((f) => [f.at, f.words, KINDS[f.kind], f.shown, f.value]));
}

function decodeFacts(stored: string): Fact[] {
  return (JSON.parse(stored) as StoredFact[]).map(([at, words, kind, shown, value]) => ({ at, words, kind: KIND_OF[kind] ?? kind, shown, value }));
}

export function printFromRow(row: PrintRow): DedupePrint {
  return {
    itemId: row.itemId,
    contentHash: row.contentHash,
    url: row.url,
    series: row.seriesKey === null || row.seriesPart === null ? null : { part: row.seriesPart, baseWords: row.seriesKey.split(' ') },
    dated: row.datedFrom && row.datedTo ? { from: day(row.datedFrom), to: day(row.datedTo) } : null,
    wordCount: row.wordCount,
    shingles: decodeHashes(row.shingles),
    quoted: new Set(decodeHashes(row.quoted)),
    fingerprints: row.fingerprints,
    titleKey: row.titleKey,
    // Decoded when first read: most candidates are judged by their shingles and never need them.
    get facts() {
      const facts = decodeFacts(row.facts);
      Object.defineProperty(this, 'facts', { value: facts, enumerable: true });
      return facts;
    },
    skeleton: { skeleton: decodeHashes(row.skeleton), owners: decodeHashes(row.skeletonOwners) },
    site: row.site,
    paragraphs: decodeHashes(row.paragraphs),
    counted: row.counted,
  };
}

/**
 * Shingle hashes travel and rest as bytea, 4 bytes each (little-endian): a
 * tenth of the size of an integer array written as text, and parsed by
 * PostgreSQL without reading numbers.
 */
export function encodeHashes(hashes: Iterable<number>): Buffer {
  if (hashes instanceof Int32Array && LITTLE_ENDIAN) return Buffer.from(hashes.buffer.slice(hashes.byteOffset, hashes.byteOffset + hashes.byteLength));
  const list = [...hashes];
  const buffer = Buffer.allocUnsafe(list.length * 4);
  list.forEach((hash, index) => buffer.writeInt32LE(hash, index * 4));
  return buffer;
}

/** Hash lists in one buffer, with where each starts (1-based, as SQL substring counts) and its length in bytes. */
function packHashes(lists: Iterable<number>[]): { bytes: Buffer; at: number[]; length: number[] } {
  const parts = lists.map((list) => encodeHashes(list));
  const at: number[] = [];
  let offset = 1;
  for (const part of parts) {
    at.push(offset);
    offset += part.length;
  }
  return { bytes: Buffer.concat(parts), at, length: parts.map((part) => part.length) };
}

export function decodeHashes(buffer: Uint8Array): Int32Array {
  // On a little-endian machine (all that Node runs on in practice) the bytes are the array: one copy, no loop.
  if (LITTLE_ENDIAN) return new Int32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + (buffer.byteLength & ~3)));
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const out = new Int32Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i += 1) out[i] = bytes.readInt32LE(i * 4);
  return out;
}


/** PostgreSQL `date` arrives as a string from PGlite and as a Date from pg (read as local midnight). */
function day(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

export const printColumns = `p.item_id as "itemId", p.content_hash as "contentHash", p.url, p.series_key as "seriesKey",
  p.series_part as "seriesPart", p.dated_from::text as "datedFrom", p.dated_to::text as "datedTo",
  p.word_count as "wordCount", p.shingles, p.quoted, p.fingerprints, p.title_key as "titleKey", p.facts, p.skeleton,
  p.skeleton_owners as "skeletonOwners", p.site, p.paragraphs, p.counted, si.story_id as "storyId", s.created_at as "storyCreated"`;

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

/**
 * Stores new prints (one statement for the whole batch) and the postings of
 * those that bring new text to the index: not of `unindexed` Items (a near or
 * exact copy of an Item already indexed), nor for `stock` fingerprints. They
 * are stored uncounted: countPages adds the paragraphs of those that started a Story.
 */
export async function savePrints(
  db: Queryable,
  prints: DedupePrint[],
  skip: { unindexed?: ReadonlySet<string>; stock?: ReadonlySet<number> } = {},
): Promise<void> {
  if (prints.length === 0) return;
  for (const print of prints) print.counted = false;
  const column = <T>(pick: (print: DedupePrint) => T) => prints.map(pick);
  // Every print's shingles and quoted shingles in one binary parameter, cut apart in the server: a
  // bytea array would travel as hex text, twice the bytes, escaped element by element.
  const packed = packHashes(prints.flatMap((p) => [p.shingles, p.quoted, p.skeleton.skeleton, p.paragraphs, p.skeleton.owners]));
  const at = (i: number, part: number) => packed.at[5 * i + part];
  const length = (i: number, part: number) => packed.length[5 * i + part];
  const saved = await db.query<{ id: string; itemId: string }>(
    `insert into dedupe_prints (item_id, content_hash, url, series_key, series_part, dated_from, dated_to, word_count, shingles, quoted, fingerprints,
       title_key, facts, skeleton, site, paragraphs, counted, skeleton_owners)
     select item_id, content_hash, url, series_key, series_part, dated_from, dated_to, word_count,
       substring($9::bytea from shingles_at for shingles_bytes), substring($9::bytea from quoted_at for quoted_bytes),
       fingerprints::integer[], title_key, facts, substring($9::bytea from skeleton_at for skeleton_bytes),
       site, substring($9::bytea from paragraphs_at for paragraphs_bytes), counted, substring($9::bytea from owners_at for owners_bytes)
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::date[], $7::date[], $8::integer[],
       $10::integer[], $11::integer[], $12::integer[], $13::integer[], $14::text[], $15::text[], $16::text[], $17::integer[], $18::integer[],
       $19::text[], $20::integer[], $21::integer[], $22::boolean[], $23::integer[], $24::integer[])
       as r (item_id, content_hash, url, series_key, series_part, dated_from, dated_to, word_count,
         shingles_at, shingles_bytes, quoted_at, quoted_bytes, fingerprints, title_key, facts, skeleton_at, skeleton_bytes,
         site, paragraphs_at, paragraphs_bytes, counted, owners_at, owners_bytes)
     on conflict (item_id) do nothing
     returning id::text, item_id as "itemId"`,
    [
      column((p) => p.itemId),
      column((p) => p.contentHash),
      column((p) => p.url),
      column(seriesKey),
      column((p) => p.series?.part ?? null),
      column((p) => p.dated?.from ?? null),
      column((p) => p.dated?.to ?? null),
      column((p) => p.wordCount),
      packed.bytes,
      prints.map((_, i) => at(i, 0)),
      prints.map((_, i) => length(i, 0)),
      prints.map((_, i) => at(i, 1)),
      prints.map((_, i) => length(i, 1)),
      column((p) => `{${p.fingerprints.join(',')}}`),
      column((p) => p.titleKey),
      column((p) => encodeFacts(p.facts)),
      prints.map((_, i) => at(i, 2)),
      prints.map((_, i) => length(i, 2)),
      column((p) => p.site),
      prints.map((_, i) => at(i, 3)),
      prints.map((_, i) => length(i, 3)),
      column((p) => p.counted),
      prints.map((_, i) => at(i, 4)),
      prints.map((_, i) => length(i, 4)),
    ],
  );
  const idOf = new Map(saved.map((row) => [row.itemId, row.id]));
  const postings: [number, string][] = [];
  for (const print of prints) {
    const id = idOf.get(print.itemId);
    if (id === undefined || skip.unindexed?.has(print.itemId)) continue;
    for (const fingerprint of print.fingerprints) if (!skip.stock?.has(fingerprint)) postings.push([fingerprint, id]);
  }
  // In key order, the B-tree pages are visited once each rather than at random.
  postings.sort((a, b) => a[0] - b[0]);
  await db.query(`insert into dedupe_postings (fingerprint, print_id) select * from unnest($1::integer[], $2::integer[])`, [
    postings.map((p) => p[0]),
    postings.map((p) => p[1]),
  ]);
}

/**
 * Replaces the print of an Item whose text changed (its Story membership
 * stays). Its paragraphs are counted when it started its Story, the old ones
 * taken back: so `stories reindex` also fills the text counts of a store from before them.
 */
export async function replacePrint(db: Queryable, print: DedupePrint): Promise<void> {
  const old = await db.query<{ id: string; fingerprints: number[]; site: string; paragraphs: Buffer; counted: boolean }>(
    'delete from dedupe_prints where item_id = $1 returning id::text, fingerprints, site, paragraphs, counted',
    [print.itemId],
  );
  for (const row of old) {
    await db.query('delete from dedupe_postings where fingerprint = any($1) and print_id = $2', [row.fingerprints, row.id]);
    if (row.counted) await countParagraphs(db, [{ ...print, site: row.site, paragraphs: decodeHashes(row.paragraphs) }], -1);
  }
  const [first] = await db.query<{ first: boolean }>(
    `select coalesce(reason->>'rule', 'first-seen') = 'first-seen' as first from story_items where item_id = $1`,
    [print.itemId],
  );
  await savePrints(db, [print]);
  if (first?.first) await countPages(db, [print]);
}
