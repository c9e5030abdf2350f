/** Adapter: writes the Feed documents (and the Edition pages) to the output folder, atomically, only when changed. */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { feedFiles, type FeedDocuments, type FeedFiles } from './feeds.js';

export async function writeFeedFiles(
  folder: string,
  documents: FeedDocuments,
  files: FeedFiles = feedFiles(),
): Promise<{ written: string[]; unchanged: string[] }> {
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const format of Object.keys(files) as (keyof FeedDocuments)[]) {
    const file = path.join(folder, files[format]);
    (await writeIfChanged(file, documents[format]) ? written : unchanged).push(file);
  }
  return { written, unchanged };
}

/** Writes the file unless it already holds exactly this content; true when it wrote. */
export async function writeIfChanged(file: string, content: string): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === content) return false;
  await mkdir(path.dirname(file), { recursive: true });
  // Write then rename: a reader (or the web server) never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
  return true;
}

/** Removes the Feed files of Topics no longer in the taxonomy (`topics/<slug>.*`); returns what it removed. */
export async function removeStaleTopicFeeds(folder: string, slugs: string[]): Promise<string[]> {
  const dir = path.join(folder, 'topics');
  const keep = new Set(slugs.flatMap((slug) => Object.values(feedFiles(slug)).map((file) => path.basename(file))));
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => /\.(?:xml|atom|json)$/.test(name) && !keep.has(name)).map((name) => path.join(dir, name));
  for (const file of stale) await rm(file, { force: true });
  return stale;
}
