/**
 * Ill-formed documents and undeclared entities (feedparser's illformed/ and
 * entities/ folders): each must end in a parsed result or an InputError within
 * a second, never a crash or a hang. Each parse is timed.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import { parseFeed } from '../../src/ingest/feed/parse.js';

export const TIME_LIMIT_MS = 1000;

export interface RobustnessTally {
  folder: string;
  files: number;
  parsed: number;
  refused: number;
  /** Thrown values that are not InputErrors, and parses over the time limit. */
  failures: { file: string; problem: string }[];
  slowestMs: number;
  slowestFile: string | null;
}

export async function runRobustness(feedparserDir: string, folder: string): Promise<RobustnessTally> {
  const root = path.join(feedparserDir, folder);
  const files = (await readdir(root, { recursive: true })).map(String).filter((name) => name.endsWith('.xml')).sort();
  const tally: RobustnessTally = { folder, files: 0, parsed: 0, refused: 0, failures: [], slowestMs: 0, slowestFile: null };
  for (const name of files) {
    const body = await readFile(path.join(root, name));
    tally.files += 1;
    const started = performance.now();
    try {
      await parseFeed(body, { url: `http://127.0.0.1:8097/tests/${folder}/${name}`, name });
      tally.parsed += 1;
    } catch (error) {
      if (error instanceof InputError) tally.refused += 1;
      else tally.failures.push({ file: name, problem: `crash: ${error instanceof Error ? error.stack : String(error)}` });
    }
    const elapsed = performance.now() - started;
    if (elapsed > tally.slowestMs) [tally.slowestMs, tally.slowestFile] = [elapsed, name];
    if (elapsed > TIME_LIMIT_MS) tally.failures.push({ file: name, problem: `took ${elapsed.toFixed(0)} ms` });
  }
  return tally;
}
