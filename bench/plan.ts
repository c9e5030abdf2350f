/**
 * What one `npm run bench` measures, from its arguments:
 *
 *   npm run bench [-- PEER_DIR] [--quick] [--dedupe-sizes 100000,1000000]
 *                 [--no-dedupe] [--no-queues] [--no-send] [--only SECTIONS] [--json FILE]
 *
 * `--only dedupe,tagging` measures just those sections (of SECTIONS below), as
 * when one row must be measured again on a quiet machine.
 * `--quick` is the short version (a few minutes on two cores): smaller inputs,
 * 3 runs instead of 5, dedupe at 10,000 Stories. PEER_DIR (or
 * $NEWSDESK_PEER_DIR) holds the feed corpus, laid out like the shared peer
 * folder; ../shared/peer when it exists.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The bench's sections, in the order they run. */
export const SECTIONS = ['archive', 'feeds', 'render', 'edition', 'tagging', 'embedded', 'queues', 'send', 'dedupe'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchPlan {
  quick: boolean;
  /** The sections measured (all unless --only). */
  sections: ReadonlySet<Section>;
  /** Runs of a row whose run takes a second or less to set up. */
  runs: number;
  /** Runs of a row that creates a database or starts processes for each run. */
  longRuns: number;
  archiveRounds: number;
  peerDir: string | null;
  feedEntries: number;
  tagStories: number;
  sampleFactors: number[];
  queues: { sources: number; perSource: number; workerCounts: number[] } | null;
  send: { subscribers: number; connections: number[] } | null;
  dedupe: { sizes: number[]; ingest: number; ingestRuns: number } | null;
  /** The shared PostgreSQL server (queue and send rows: a database is created and dropped for each run). */
  postgresUrl: string;
  /** A server for the dedupe rows instead of a private one. */
  dedupePostgresUrl: string | null;
  redisUrl: string;
  json: string | null;
}

export function readPlan(argv = process.argv.slice(2)): BenchPlan {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      'dedupe-sizes': { type: 'string' },
      'no-dedupe': { type: 'boolean', default: false },
      'no-queues': { type: 'boolean', default: false },
      'no-send': { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const quick = values.quick;
  const peer = positionals[0] ?? process.env.NEWSDESK_PEER_DIR ?? (existsSync('../shared/peer') ? '../shared/peer' : '');
  const sizes = (values['dedupe-sizes'] ?? (quick ? '10000' : '100000,1000000')).split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`bench: --dedupe-sizes: whole numbers above 0, comma-separated (got ${values['dedupe-sizes']})`);
  const only = values.only?.split(',').map((name) => name.trim()) ?? [...SECTIONS];
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`bench: --only: unknown section ${unknown.join(', ')} (one of ${SECTIONS.join(', ')})`);
  return {
    quick,
    sections: new Set(only as Section[]),
    runs: quick ? 3 : 5,
    longRuns: quick ? 2 : 3,
    archiveRounds: quick ? 50 : 200,
    peerDir: peer === '' ? null : peer,
    feedEntries: 1000,
    tagStories: quick ? 5_000 : 50_000,
    sampleFactors: quick ? [1, 10] : [1, 10, 50],
    queues: values['no-queues'] ? null : { sources: quick ? 20 : 50, perSource: quick ? 10 : 20, workerCounts: [1, 2] },
    send: values['no-send'] ? null : { subscribers: quick ? 1_000 : 2_000, connections: quick ? [4] : [1, 4, 8] },
    dedupe: values['no-dedupe'] ? null : { sizes, ingest: quick ? 2_000 : 20_000, ingestRuns: 3 },
    postgresUrl: process.env.NEWSDESK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    dedupePostgresUrl: process.env.NEWSDESK_BENCH_POSTGRES_URL ?? null,
    redisUrl: process.env.NEWSDESK_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    json: values.json ?? null,
  };
}
