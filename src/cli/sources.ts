/**
 * `newsdesk sources list | add | enable | disable | import | export`: Source
 * health for operators; a feed added after a test fetch, a Source switched on
 * or off (the config file changed as the Sources page changes it); and OPML in
 * and out so a reading list moves between newsdesk and feed readers.
 */
import { readFile } from 'node:fs/promises';
import type { Config, FeedSourceConfig } from '../config.js';
import { addFeedSources, switchSource } from '../config-edit.js';
import { HostPoliteness } from '../ingest/fetch/politeness.js';
import type { FeedTrial } from '../ingest/fetch/try-feed.js';
import { parseOpml, toOpml, type OpmlFeed } from '../ingest/feed/opml.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { openRuntime } from '../runtime.js';
import { listSourceHealth, type SourceHealth } from '../store/sources.js';
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

/**
 * Adds the OPML file's feeds that the config does not have yet (compared by
 * address) to the config file's `sources`; the rest of the file stays as it
 * was, byte for byte (src/config-edit.ts).
 */
export async function importSources(config: Config, opmlFile: string, options: { dryRun: boolean }): Promise<string> {
  const feeds = parseOpml(await readFile(opmlFile, 'utf8'), opmlFile);
  const { added } = addFeedSources(config.file, feeds.map((feed) => ({ url: feed.xmlUrl, name: feed.title })), options);
  const verb = options.dryRun ? 'would add' : 'added';
  return [
    `${feeds.length} feeds in ${opmlFile}; ${verb} ${added.length}, ${feeds.length - added.length} already configured`,
    ...added.map((source) => `  + ${source.id}  ${source.url}`),
  ].join('\n');
}

/** What a test fetch found, in lines: the Sources page shows the same. */
export function describeTrial(trial: FeedTrial): string[] {
  const lines = trial.discovered.length > 0 ? [`${trial.address} is a page; it announces ${trial.discovered.length} feed(s): ${trial.discovered.join(', ')}`] : [];
  if (!trial.ok) return [...lines, `not added: ${trial.message}`];
  const newest = trial.newest ? `newest ${trial.newest.date.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${trial.newest.title ?? '(untitled)'}` : 'no dated entry';
  return [...lines, `${trial.feedUrl}: ${trial.format} feed "${trial.title ?? '(untitled)'}", ${trial.entries} ${trial.entries === 1 ? 'entry' : 'entries'}, ${newest}`];
}

/**
 * `newsdesk sources add <address>`: a test fetch of the address (a feed, or a
 * page that names its feeds), then the feed written to the config file as the
 * Sources page's Save does (addFeedSources). Nothing is written when the
 * fetch fails (an error) or the feed is there already (exit 3).
 */
export async function addSourceCommand(config: Config, log: Logger, address: string, options: { name?: string; outlet?: string; dryRun: boolean }): Promise<{ text: string; added: boolean }> {
  // The feed reader (parsers, sanitising) is loaded by the command that reads a feed.
  const { checkFeedAddress, tryFeed } = await import('../ingest/fetch/try-feed.js');
  const url = checkFeedAddress(address, 'sources add');
  const trial = await tryFeed(url, config, new HostPoliteness({ minGapMs: config.fetch.hostGapSeconds * 1000 }));
  const lines = describeTrial(trial);
  if (!trial.ok) throw new NewsdeskError('source_unreadable', `sources add: ${lines.join('\n')}`);
  const name = options.name ?? trial.title ?? new URL(trial.feedUrl).hostname;
  const { added, known } = addFeedSources(config.file, [{ url: trial.feedUrl, name, outlet: options.outlet }], { dryRun: options.dryRun });
  if (known[0]) return { text: [...lines, `already configured as Source ${known[0].id}`].join('\n'), added: false };
  log.debug({ source: added[0]!.id }, 'sources add');
  return { text: [...lines, `${options.dryRun ? 'would add' : 'added'} Source ${added[0]!.id} to ${config.file}`].join('\n'), added: true };
}

/** `newsdesk sources enable|disable <id>`: the Source's `enabled` key in the config file, as the Sources page's buttons set it. */
export function switchSourceCommand(config: Config, id: string, enabled: boolean): string {
  const { changed } = switchSource(config.file, id, enabled);
  const state = enabled ? 'enabled' : 'disabled';
  return changed ? `Source ${id}: ${state} in ${config.file}` : `Source ${id}: already ${state}`;
}
