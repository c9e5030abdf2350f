/**
 * `newsdesk sources list | import | export`: Source health for operators, and
 * OPML in and out so a reading list moves between newsdesk and feed readers.
 */
import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import type { Config, FeedSourceConfig } from '../config.js';
import { parseOpml, toOpml, type OpmlFeed } from '../ingest/opml.js';
import type { Logger } from '../log.js';
import { openRuntime } from '../runtime.js';
import { listSourceHealth, type SourceHealth } from '../store/sources.js';
import { appendSources } from './config-append.js';
import { formatTable } from './table.js';

const when = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');

/**
 * Each Source's state (`new` until its first read, `disabled` when switched
 * off), its last read (a fetch for feeds, the folder or file for the others),
 * the Items it gave and what its last read refused.
 */
export async function listSourcesCommand(config: Config, log: Logger, options: { json: boolean }): Promise<string> {
  const runtime = await openRuntime(config, log);
  try {
    const sources = await listSourceHealth(runtime.db);
    if (options.json) return JSON.stringify(sources, null, 2);
    const rows = sources.map((source: SourceHealth) => [
      source.id,
      source.kind,
      source.state,
      when(source.lastFetchAt),
      source.lastStatus ?? '-',
      String(source.items),
      source.lastProblems === null ? '-' : String(source.lastProblems),
      when(source.lastSuccessAt),
      source.enabled ? when(source.nextFetchAt) : '-',
      String(source.errorStreak),
      (source.lastMessage ?? '').slice(0, 60),
    ]);
    return formatTable(['Source', 'kind', 'state', 'last read', 'fetch', 'Items', 'problems', 'last success', 'next fetch', 'errors', 'message'], rows);
  } finally {
    await runtime.close();
  }
}

export function exportSources(config: Config): string {
  const feeds: OpmlFeed[] = config.sources
    .filter((source): source is FeedSourceConfig => source.kind === 'feed')
    .map((source) => ({ title: source.name, xmlUrl: source.url, htmlUrl: null, category: source.outlet ?? null }));
  return toOpml(feeds, `${config.site.title}: Sources`, new Date());
}

/** Feed addresses compared as URLs (case of scheme and host, default port); not canonicalUrl, whose AMP rules are for article pages. */
function sameFeedKey(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url.trim();
  }
}

/** `NK News` -> `nk-news`: a Source id for an imported feed, unique among the taken ones. */
function sourceIdFor(title: string, taken: Set<string>): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'feed';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * Adds the OPML file's feeds that the config does not have yet (compared by
 * canonical address) to the config file's `sources`; the rest of the file
 * stays as it was, byte for byte (src/cli/config-append.ts).
 */
export async function importSources(config: Config, opmlFile: string, options: { dryRun: boolean }): Promise<string> {
  const feeds = parseOpml(await readFile(opmlFile, 'utf8'), opmlFile);
  const known = new Set(config.sources.filter((s) => s.kind === 'feed').map((s) => sameFeedKey((s as FeedSourceConfig).url)));
  const taken = new Set(config.sources.map((source) => source.id));
  const added: { id: string; kind: 'feed'; name: string; url: string }[] = [];
  for (const feed of feeds) {
    const key = sameFeedKey(feed.xmlUrl);
    if (known.has(key)) continue;
    known.add(key);
    added.push({ id: sourceIdFor(feed.title, taken), kind: 'feed', name: feed.title, url: feed.xmlUrl });
  }
  const text = appendSources(await readFile(config.file, 'utf8'), config.file, added);
  if (!options.dryRun && added.length > 0) writeFileSync(config.file, text);
  const verb = options.dryRun ? 'would add' : 'added';
  return [
    `${feeds.length} feeds in ${opmlFile}; ${verb} ${added.length}, ${feeds.length - added.length} already configured`,
    ...added.map((source) => `  + ${source.id}  ${source.url}`),
  ].join('\n');
}
