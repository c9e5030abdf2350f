/** Adapter: writes the Feed documents to the output folder, atomically, only when changed. */
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
    const content = documents[format];
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === content) {
      unchanged.push(file);
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader (or the web server) never sees half a Feed.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    written.push(file);
  }
  return { written, unchanged };
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
