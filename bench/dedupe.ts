/**
 * Dedupe at scale, on PostgreSQL: the index is filled with N generated Stories
 * (bulk-loaded: prints made by makePrint from generated articles, written
 * straight to the tables), then measured:
 * - index lookup latency: lookupCandidates for one new Item at a time, p50/p99;
 * - sustained ingest + dedupe: new Items stored with upsertItem and deduped by
 *   the process job in batches of 500 (two jobs in flight, after two batches
 *   not counted), a quarter of them planted reposts of
 *   stored Stories (excerpts, copy-edited copies, exact copies), the rest new;
 *   the planted reposts found are counted too;
 * - the index's size in PostgreSQL.
 * The rows (and memory) are made in dedupe-rows.ts.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { makePrint } from '../src/dedupe/print.js';
import { dedupeSettings } from '../src/dedupe/rules.js';
import { contentHash, itemId, type Item } from '../src/ingest/item.js';
import { createLogger } from '../src/log.js';
import { openPostgres, type Db } from '../src/store/db.js';
import { lookupCandidates } from '../src/store/dedupe-index.js';
import { savePrints } from '../src/store/dedupe-prints.js';
import { countPages, countParagraphs } from '../src/store/text-counts.js';
import { upsertItems } from '../src/store/items.js';
import { migrate } from '../src/store/migrate.js';
import { syncSources } from '../src/store/sources.js';
import { processItems } from '../src/dedupe/process-items.js';
import { startCpuClock } from './cpu.js';
import { copyEdit, newsGenerator, type Article } from '../tests/helpers/news-generator.js';
import { EMPTY_TAXONOMY } from '../src/tag/taxonomy.js';

const settings = dedupeSettings();
const generator = newsGenerator(20261201);
const BULK_CHUNK = 5_000;
const BATCH = 500;
const CONCURRENCY = 2;
const WARM_UP_BATCHES = 2;

function item(key: string, sourceId: string, article: Article, text = article.text): Item {
  return {
    id: itemId(sourceId, key),
    sourceId,
    key,
    title: article.title,
    url: sourceId === 'wire' ? `https://wire.example/${key}` : null,
    attribution: null,
    outlets: sourceId === 'wire' ? ['Wire'] : [],
    author: null,
    publishedAt: null,
    archiveMonth: null,
    categories: [],
    tags: [],
    contentHtml: '',
    contentText: text,
    summary: '',
    truncated: false,
    contentHash: contentHash(text),
  };
}

/** Stories from..to-1 as the pipeline would have left them (without running the rules), with their prints. */
function makeChunk(from: number, to: number): { items: Item[]; prints: ReturnType<typeof makePrint>[] } {
  const items: Item[] = [];
  for (let i = from; i < to; i += 1) items.push(item(`s${i}`, 'wire', generator.articleAt(i)));
  return { items, prints: items.map((it) => makePrint(it, settings)) };
}

async function writeChunk(db: Db, { items, prints }: ReturnType<typeof makeChunk>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into items (id, source_id, key, title, url, outlets, content_html, content_text, summary, content_hash)
       select id, 'wire', key, title, url, '{Wire}', '', '', '', hash from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         as t (id, key, title, url, hash)`,
      [items.map((i) => i.id), items.map((i) => i.key), items.map((i) => i.title), items.map((i) => i.url), items.map((i) => i.contentHash)],
    );
    const storyIds = items.map((i) => `st_bench_${i.key}`);
    await tx.query('insert into stories (id, representative_item_id) select * from unnest($1::text[], $2::text[])', [storyIds, items.map((i) => i.id)]);
    await tx.query(
      `insert into story_items (item_id, story_id, role, reason) select i, s, 'original', '{"rule":"first-seen"}' from unnest($1::text[], $2::text[]) as t (i, s)`,
      [items.map((i) => i.id), storyIds],
    );
    await savePrints(tx, prints);
    // Each is a Story of its own: its paragraphs are in the text counts, as the process job would have put them.
    await countPages(tx, prints);
  });
}

/**
 * Bulk load, the way one loads a database: the posting index is dropped and
 * built again at the end, and the next chunk is generated while PostgreSQL
 * writes the last one.
 */
export async function bulkLoad(db: Db, from: number, to: number): Promise<void> {
  await db.exec('alter table dedupe_postings drop constraint dedupe_postings_pkey');
  let writing: Promise<void> = Promise.resolve();
  for (let start = from; start < to; start += BULK_CHUNK) {
    const chunk = makeChunk(start, Math.min(to, start + BULK_CHUNK));
    await writing;
    writing = writeChunk(db, chunk);
  }
  await writing;
  await db.exec(`set maintenance_work_mem = '1GB'; alter table dedupe_postings add primary key (fingerprint, print_id)`);
  // What the lookups would have done on the way: fingerprints held by more than maxPostings Items are stock, their postings gone.
  await db.query(
    `insert into dedupe_stock (fingerprint) select fingerprint from dedupe_postings group by fingerprint having count(*) > $1
     on conflict do nothing`,
    [settings.maxPostings],
  );
  await db.exec('delete from dedupe_postings p using dedupe_stock s where s.fingerprint = p.fingerprint');
}

/** A new Item: a planted repost of stored Story `target` (excerpt, copy-edited or exact copy), or a new article. */
function newItem(n: number, stored: number, next: () => number): { item: Item; target: number | null } {
  if (next() < 0.25) {
    const target = Math.floor(next() * stored);
    const article = generator.articleAt(target);
    const kind = next();
    const text =
      kind < 0.5
        ? article.paragraphs.slice(0, Math.max(2, Math.ceil(article.paragraphs.length / 3))).join('\n\n')
        : kind < 0.8
          ? copyEdit(article.text, 0.05, n)
          : article.text;
    return { item: item(`n${n}`, 'blog', { ...article, title: `Repost ${n}` }, text), target };
  }
  return { item: item(`n${n}`, 'blog', generator.articleAt(10_000_000 + n)), target: null };
}

/** Latencies (ms, sorted) of `count` lookups, one new Item at a time, as a feed with a single new entry would. */
export async function measureLookups(db: Db, stored: number, next: () => number, count = 500): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { item: it } = newItem(-1 - i, stored, next);
    const print = makePrint(it, settings);
    const started = performance.now();
    await lookupCandidates(db, [print], settings);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

export interface IngestRun {
  perSecond: number;
  ingested: number;
  planted: number;
  found: number;
  /** CPU ms per timed Item: this process (text work, the driver) and the server's processes (null when not readable). */
  cpuPerItem: { node: number; server: number | null };
}

/**
 * `ingestCount` new Items stored and deduped in batches, after two batches not counted; the planted reposts found,
 * and the CPU the timed batches took here and in `serverPids` (the database server's processes, when on this machine).
 */
export async function measureIngest(
  db: Db,
  stored: number,
  ingestCount: number,
  seq: { n: number },
  next: () => number,
  serverPids: () => number[] = () => [],
): Promise<IngestRun> {
  const deps = { db, config: { dedupe: settings }, log: createLogger({ level: 'silent' }), taxonomy: EMPTY_TAXONOMY, jobs: { add: async () => undefined }, now: () => new Date() };
  const planted: { id: string; target: number }[] = [];
  const batches = Array.from({ length: Math.ceil(ingestCount / BATCH) + WARM_UP_BATCHES }, () =>
    Array.from({ length: BATCH }, () => newItem((seq.n += 1), stored, next)),
  );
  // Sustained rate: the first batches (connections, compiled code, caches) are not counted.
  for (const batch of batches.splice(0, WARM_UP_BATCHES)) {
    await upsertItems(db, batch.map((b) => b.item));
    await processItems({ itemIds: batch.map((b) => b.item.id) }, deps);
    for (const { item: it, target } of batch) if (target !== null) planted.push({ id: it.id, target });
  }
  const timed = batches.reduce((sum, batch) => sum + batch.length, 0);
  const cpu = startCpuClock(serverPids);
  const started = performance.now();
  // Two jobs in flight, as a worker with concurrency 2 runs them: one prepares prints while the other holds the dedupe lock.
  const lane = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      await upsertItems(db, batch.map((b) => b.item));
      await processItems({ itemIds: batch.map((b) => b.item.id) }, deps);
      for (const { item: it, target } of batch) if (target !== null) planted.push({ id: it.id, target });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = cpu.read();

  const rows = await db.query<{ itemId: string; storyId: string }>(
    'select item_id as "itemId", story_id as "storyId" from story_items where item_id = any($1)',
    [planted.map((p) => p.id)],
  );
  const storyOf = new Map(rows.map((row) => [row.itemId, row.storyId]));
  const found = planted.filter((p) => storyOf.get(p.id) === `st_bench_s${p.target}`).length;
  const perItem = (cpuSeconds: number) => (1000 * cpuSeconds) / timed;
  return {
    perSecond: timed / seconds,
    ingested: timed,
    planted: planted.length,
    found,
    cpuPerItem: { node: perItem(used.self), server: used.others === null ? null : perItem(used.others) },
  };
}

/**
 * What keeping the text counts costs the process job: ms to add one batch's
 * paragraphs (BATCH new Items, each counted), inside a transaction rolled back
 * so the index stays as loaded. Median of `count` batches.
 */
export async function measureCountUpkeep(db: Db, stored: number, next: () => number, count = 10): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < count; run += 1) {
    const prints = Array.from({ length: BATCH }, (_, i) => makePrint(newItem(-1_000_000 - run * BATCH - i, stored, next).item, settings));
    await db
      .transaction(async (tx) => {
        const started = performance.now();
        await countParagraphs(tx, prints);
        times.push(performance.now() - started);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  }
  return times.sort((a, b) => a - b);
}

class RolledBack extends Error {}

/** The dedupe index's size in PostgreSQL: prints, postings and text counts, with their indexes. */
export async function indexBytes(db: Db): Promise<number> {
  const [size] = await db.query<{ bytes: string }>(
    `select (pg_total_relation_size('dedupe_prints') + pg_total_relation_size('dedupe_postings') + pg_total_relation_size('text_counts'))::text as bytes`,
  );
  return Number(size!.bytes);
}

/**
 * A new database on the server at `adminUrl` (one we may create databases on), migrated, with the bench's two
 * Sources; drop() removes it (kept when NEWSDESK_BENCH_KEEP is set).
 */
export async function openBenchDatabase(adminUrl: string): Promise<{ db: Db; drop(): Promise<void> }> {
  const name = `newsdesk_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString());
  const drop = async () => {
    await db.close();
    if (process.env.NEWSDESK_BENCH_KEEP) process.stderr.write(`bench database kept: ${url}\n`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  try {
    await migrate(db);
    await syncSources(db, [
      { id: 'wire', kind: 'feed', name: 'Wire', enabled: true, url: 'https://wire.example/feed', role: 'outlet', allowAddresses: [] },
      { id: 'blog', kind: 'archive', name: 'Blog', enabled: true, path: '/nonexistent', maxFileBytes: 1, siteNames: [] },
    ]);
  } catch (error) {
    await drop();
    throw error;
  }
  return { db, drop };
}

/**
 * Loads the index up to `size` Stories (from `loaded`) and leaves the database as autovacuum leaves one that has
 * been running: statistics, and the visibility map that index-only scans need; and the load's dirty pages written
 * out, so the checkpointer is not busy with them while we measure.
 */
export async function loadIndex(db: Db, loaded: number, size: number): Promise<void> {
  await bulkLoad(db, loaded, size);
  await db.exec('vacuum analyze');
  await db.exec('checkpoint');
}

/**
 * Reads the indexes into shared buffers, where every lookup and batch keeps them on a server that has been
 * running (a bulk load leaves in the cache what it wrote last, and this machine's kernel gives back page cache
 * not touched for a minute). The tables are not read in: a planted repost's original is read from disk, as an
 * old Story's print would be. False when pg_prewarm (PostgreSQL's contrib) is not installed.
 */
export async function warmIndexes(db: Db): Promise<boolean> {
  try {
    await db.exec('create extension if not exists pg_prewarm');
  } catch {
    return false;
  }
  await db.query(`select pg_prewarm(oid::regclass) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'i'`);
  return true;
}
