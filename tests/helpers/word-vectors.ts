/** Word vectors made in a test: a source in the package's layout, and the subset derived from it as the install step does. */
import { Readable } from 'node:stream';
import { foldWords } from '../../src/dedupe/prepare.js';
import { deriveWordVectors } from '../../src/tag/vectors-build.js';
import { parseWordVectors, type WordVectors } from '../../src/tag/vectors.js';

/** A source in the package's layout (words list, then "word": [values..., l2 norm, rank]), 4 dimensions, ranked in the given order. */
export function sourceJson(vectors: [string, number[]][]): string {
  const entries = vectors.map(([word, values], rank) => `${JSON.stringify(word)}:${JSON.stringify([...values, Math.hypot(...values), rank])}`);
  const words = JSON.stringify(vectors.map(([word]) => word));
  return `{"precision":8,"l2NormIndex":4,"wordIndex":5,"size":${vectors.length},"dimensions":4,"words":${words},"vectors":{${entries.join(',')}},"unkVector":[0,0,0,0,0,-1]}`;
}

/** The text in small pieces, so words and numbers fall across chunk boundaries. */
export const streamOf = (text: string, size = 7): Readable =>
  Readable.from(Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size)));

/** Every word of `vectors` kept, as the install step would write them. */
export async function testWordVectors(vectors: [string, number[]][]): Promise<WordVectors> {
  return parseWordVectors(await deriveWordVectors(streamOf(sourceJson(vectors)), { top: vectors.length, keep: new Set(), fold: foldWords, source: 'test@1' }));
}
