import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldWords } from '../../../src/dedupe/prepare.js';
import { deriveWordVectors, sourceVectors } from '../../../src/tag/vectors-build.js';
import type { Logger } from '../../../src/log.js';
import { loadWordVectors, parseWordVectors, rowSimilarity, wordVectorsInUse } from '../../../src/tag/vectors.js';
import { sourceJson, streamOf } from '../../helpers/word-vectors.js';

const SOURCE: [string, number[]][] = [
  ['the', [0.9, 0.1, 0, 0]],
  [',', [0.1, 0.9, 0, 0]],
  ['"', [0, 0, 1, 0]],
  ['vectors', [0, 1, 1, 0]],
  ['repatriation', [2, 0, 0, 0]],
  ['deported', [0.8, 0.6, 0, 0]],
  ['café', [0, 0, 0, 3]],
  ['1984', [1, 1, 1, 1]],
  ['gulag', [0, 0.5, 0.5, 0]],
  ['travelled', [1, 0, 0, 1]],
  ['traveled', [0, 1, 1, 0]],
];

describe('deriveWordVectors', () => {
  it('reads the vectors from the stream whatever the chunk boundaries, escaped words included', async () => {
    const seen: string[] = [];
    for await (const v of sourceVectors(streamOf(sourceJson(SOURCE), 5), () => true)) seen.push(`${v.word}:${v.rank}:${v.values.length}`);
    expect(seen).toEqual(SOURCE.map(([word], rank) => `${word}:${rank}:4`));
  });

  it('keeps the frequent words tagging can look up and the taxonomy words, as tagging folds them, quantised to unit vectors', async () => {
    const bytes = await deriveWordVectors(streamOf(sourceJson(SOURCE)), { top: 7, keep: new Set(['gulag', 'traveled']), fold: foldWords, source: 'test@1' });
    const vectors = parseWordVectors(bytes);
    // Punctuation and bare numbers are not words tagging looks up; gulag (rank 8) is kept for the taxonomy;
    // travelled is folded to traveled, and the more frequent of the two spellings gives the vector.
    expect([...vectors.rows.keys()]).toEqual(['the', 'vectors', 'repatriation', 'deported', 'café', 'gulag', 'traveled']);
    expect(vectors.words.at(-1)).toBe('travelled');
    expect([...vectors.ranks]).toEqual([0, 3, 4, 5, 6, 8, 9]);
    expect(vectors.source).toBe('test@1');
    const row = (word: string) => vectors.rows.get(word)!;
    expect(rowSimilarity(vectors, row('repatriation'), row('deported'))).toBeCloseTo(0.8, 2);
    expect(rowSimilarity(vectors, row('café'), row('café'))).toBeCloseTo(1, 2);
    expect(rowSimilarity(vectors, row('vectors'), row('gulag'))).toBeCloseTo(1, 2);
    expect(rowSimilarity(vectors, row('traveled'), row('café'))).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('stops with an error on a source that is not in the layout, rather than deriving a wrong subset', async () => {
    const read = async (text: string) => {
      for await (const _ of sourceVectors(streamOf(text), () => true)) void _;
    };
    await expect(read('{"dimensions":4,"wordIndex":5,"words":[]}')).rejects.toThrow(/no "vectors" object/);
    await expect(read('{"dimensions":4,"wordIndex":5,"vectors":{"a":[1,2,3,4,5,0],"b":[1,2')).rejects.toThrow(/ends inside the vectors/);
    await expect(read('{"dimensions":4,"wordIndex":5,"vectors":{"a":[1,2,3,0]}}')).rejects.toThrow(/"a": 4 numbers, expected 6/);
  });
});

describe('loadWordVectors', () => {
  it('is null when the install step left no file, and refuses a file of another kind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vectors-'));
    expect(loadWordVectors(path.join(dir, 'missing.bin'))).toBeNull();
    writeFileSync(path.join(dir, 'other.bin'), '{"format":"something else"}\n');
    expect(() => loadWordVectors(path.join(dir, 'other.bin'))).toThrow(/vectors: format "something else"/);
    const bytes = await deriveWordVectors(streamOf(sourceJson(SOURCE)), { top: 9, keep: new Set(), fold: foldWords, source: 'test@1' });
    writeFileSync(path.join(dir, 'cut.bin'), bytes.subarray(0, bytes.length - 3));
    expect(() => loadWordVectors(path.join(dir, 'cut.bin'))).toThrow(/vectors: \d+ bytes, expected \d+/);
  });
});

describe('wordVectorsInUse', () => {
  it('says once in the log that tagging goes on without vectors when the file is missing', () => {
    const warnings: string[] = [];
    const log = { warn: (_: object, message: string) => warnings.push(message), debug: () => undefined } as unknown as Logger;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vectors-')), 'word-vectors.bin');
    expect(wordVectorsInUse(log, file)).toBeNull();
    expect(wordVectorsInUse(log, file)).toBeNull();
    expect(warnings).toEqual(['word vectors missing (install scripts did not run?): tagging without them; npm run vectors derives them']);
  });
});
