/** Adapter: writes the Feed documents to the output folder, atomically, only when changed. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeedDocuments } from './feeds.js';

/** File names of the three Feeds, as served. */
export const feedFileNames: Record<keyof FeedDocuments, string> = {
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

export async function writeFeedFiles(
  folder: string,
  documents: FeedDocuments,
): Promise<{ written: string[]; unchanged: string[] }> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [format, name] of Object.entries(feedFileNames) as [keyof FeedDocuments, string][]) {
    const file = path.join(folder, name);
    const content = documents[format];
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === content) {
      unchanged.push(file);
      continue;
    }
    // Write then rename: a reader (or the web server) never sees half a Feed.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    written.push(file);
  }
  return { written, unchanged };
}
