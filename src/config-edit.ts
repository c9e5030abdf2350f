/**
 * Changes to the config file's `sources`, the one place Sources are listed
 * (`newsdesk sources import | add | enable | disable` and the Sources page all
 * change them here). The file is the operator's (comments, blank lines,
 * quoting, key order, flow or block style), so a change is made as text where
 * it belongs rather than the whole document printed again (the yaml package's
 * toString() re-flows and re-quotes what it prints). The result is parsed again
 * and compared with what was meant, so a file the change would break is
 * refused instead of written.
 *
 * The file is read, changed and written synchronously: two editors' changes in
 * one `serve` process cannot interleave and lose one of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument, stringify, type Pair } from 'yaml';
import { parseYamlText } from './config.js';
import { feedSource, resolveSourcePaths, sourceList, type SourceConfig } from './config-sources.js';
import { ConfigError, errorMessage, NewsdeskError } from './errors.js';

export function appendSources(text: string, file: string, entries: Record<string, unknown>[]): string {
  if (entries.length === 0) return text;
  const document = parseDocument(text);
  const list = document.get('sources', true);
  if (document.errors.length > 0 || !isSeq(list) || list.items.length === 0 || !list.range) {
    throw new NewsdeskError('usage', `sources: ${file}: no sources list to add to`);
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const last = list.items[list.items.length - 1] as { range?: [number, number, number] };
  const lastEnd = last.range?.[1] ?? list.range[1];

  let updated: string;
  if (list.flow) {
    // `sources: [ {...}, {...} ]`: more flow mappings after the last one.
    const added = entries.map((entry) => stringify(entry, { collectionStyle: 'flow', lineWidth: 0 }).trim());
    updated = `${text.slice(0, lastEnd)}, ${added.join(', ')}${text.slice(lastEnd)}`;
  } else {
    const lineStart = text.lastIndexOf('\n', list.range[0] - 1) + 1;
    const indent = ' '.repeat(list.range[0] - lineStart);
    const at = endOfLastItem(text, lastEnd, list.range[2], indent.length);
    const lines = stringify(entries, { lineWidth: 0 }).trimEnd().split('\n').map((line) => `${indent}${line}`);
    const before = at > 0 && !text.slice(0, at).endsWith('\n') ? newline : '';
    updated = `${text.slice(0, at)}${before}${lines.join(newline)}${newline}${text.slice(at)}`;
  }

  const expected = [...(document.toJS().sources as unknown[]), ...entries];
  const check = parseDocument(updated);
  if (check.errors.length > 0 || !isDeepStrictEqual(check.toJS().sources, expected)) {
    throw new NewsdeskError('sources_edit', `sources: ${file}: cannot add the Sources without rewriting the file; add them by hand:\n${stringify(entries)}`);
  }
  return updated;
}

/**
 * Where the last item of a block list ends: after its value and the comment
 * lines indented under it (a commented-out key belongs to it), before blank
 * lines and comments at the list's own indentation (they introduce what follows).
 */
function endOfLastItem(text: string, valueEnd: number, listEnd: number, dashColumn: number): number {
  let end = text.indexOf('\n', valueEnd);
  if (end === -1 || end >= listEnd) return end === -1 ? text.length : end + 1;
  end += 1;
  let position = end;
  while (position < listEnd) {
    const next = text.indexOf('\n', position);
    const lineEnd = next === -1 ? text.length : next + 1;
    const line = text.slice(position, lineEnd).replace(/\r?\n$/, '');
    if (line.trim() !== '') {
      if (line.length - line.trimStart().length <= dashColumn) break;
      end = lineEnd;
    }
    position = lineEnd;
  }
  return end;
}

/**
 * Sets a Source's `enabled` key in the text: the value replaced where the key
 * is written, or the key added after the entry's first line (`- id: ...`)
 * where it is not (enabled is the default, so enabling such a Source changes nothing).
 */
export function setSourceEnabled(text: string, file: string, id: string, enabled: boolean): string {
  const document = parseDocument(text);
  const list = document.get('sources', true);
  if (document.errors.length > 0 || !isSeq(list)) throw new NewsdeskError('usage', `sources: ${file}: no sources list`);
  const entry = list.items.find((item) => isMap(item) && item.get('id') === id);
  if (!isMap(entry)) throw new NewsdeskError('not_found', `sources: ${file}: no Source "${id}" in the config file`);
  const pairs = entry.items as Pair[];
  const written = pairs.find((pair) => isScalar(pair.key) && pair.key.value === 'enabled');
  const first = pairs[0];
  let updated: string;
  if (written && isScalar(written.value) && written.value.range) {
    if (written.value.value === enabled) return text;
    const [start, end] = written.value.range;
    updated = `${text.slice(0, start)}${enabled}${text.slice(end)}`;
  } else if (!written && enabled) {
    return text;
  } else if (!written && first && isScalar(first.key) && isScalar(first.value) && first.key.range && first.value.range) {
    const valueEnd = first.value.range[1];
    if (entry.flow) {
      updated = `${text.slice(0, valueEnd)}, enabled: ${enabled}${text.slice(valueEnd)}`;
    } else {
      const keyStart = first.key.range[0];
      const indent = ' '.repeat(keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1));
      const lineEnd = text.indexOf('\n', valueEnd);
      const at = lineEnd === -1 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      const newline = text.includes('\r\n') ? '\r\n' : '\n';
      updated = `${text.slice(0, at)}${newline}${indent}enabled: ${enabled}${text.slice(at)}`;
    }
  } else {
    updated = text;
  }

  const expected = (document.toJS().sources as Record<string, unknown>[]).map((source) => (source.id === id ? { ...source, enabled } : source));
  const check = parseDocument(updated);
  if (check.errors.length > 0 || !isDeepStrictEqual(check.toJS().sources, expected)) {
    throw new NewsdeskError('sources_edit', `sources: ${file}: cannot change Source "${id}" without rewriting the file; set \`enabled: ${enabled}\` in it by hand`);
  }
  return updated;
}

/** Feed addresses compared as URLs (case of scheme and host, default port); not canonicalUrl, whose AMP rules are for article pages. */
export function sameFeedKey(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url.trim();
  }
}

/** `NK News` -> `nk-news`: a Source id for a new feed, unique among the taken ones (which it joins). */
export function sourceIdFor(title: string, taken: Set<string>): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'feed';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The Sources a config file's text lists, validated and with their paths
 * resolved as loadConfig gives them. The environment overrides no key of
 * `sources`, so the file alone says what they are.
 */
export function configuredSources(text: string, file: string): SourceConfig[] {
  const raw = parseYamlText(text, file) as { sources?: unknown } | null;
  const result = sourceList.safeParse(raw?.sources);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map((issue) => ({ key: ['sources', ...issue.path].join('.'), message: issue.message })));
  }
  return resolveSourcePaths(result.data, path.dirname(path.resolve(file)));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new NewsdeskError('sources_edit', `sources: cannot read the config file ${file}: ${errorMessage(error)}`, { cause: error });
  }
}

function writeText(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    // serve in a container whose config is part of the image, or mounted read-only: say where to change it.
    throw new NewsdeskError('sources_edit', `sources: cannot write the config file ${file}: ${errorMessage(error)} (serve changes Sources in it: it must be writable, and the file every process reads)`, { cause: error });
  }
}

/** A feed to add: its address, the name editors see, and optionally who wrote the journalism. */
export interface NewFeed {
  url: string;
  name: string;
  outlet?: string | undefined;
}

export interface AddedFeeds {
  /** The entries written (or, on a dry run, that would be), with the ids given them. */
  added: { id: string; kind: 'feed'; name: string; url: string; outlet?: string }[];
  /** Feeds whose address the file lists already (as a URL), with that Source's id. */
  known: { feed: NewFeed; id: string }[];
  /** Every Source the file lists afterwards. */
  sources: SourceConfig[];
}

/**
 * Adds feed Sources to the end of the config file's `sources`: each address
 * once (compared as URLs, against the file and each other), each with an id
 * made from its name. Every entry is checked as the config checks a feed
 * Source before anything is written; a bad one refuses the whole change.
 */
export function addFeedSources(file: string, feeds: NewFeed[], options: { dryRun?: boolean } = {}): AddedFeeds {
  const text = readText(file);
  const sources = configuredSources(text, file);
  const owners = new Map(sources.flatMap((source) => (source.kind === 'feed' ? [[sameFeedKey(source.url), source.id] as const] : [])));
  const taken = new Set(sources.map((source) => source.id));
  const result: AddedFeeds = { added: [], known: [], sources };
  for (const feed of feeds) {
    const key = sameFeedKey(feed.url);
    const owner = owners.get(key);
    if (owner !== undefined) {
      result.known.push({ feed, id: owner });
      continue;
    }
    const name = feed.name.trim();
    const outlet = feed.outlet?.trim();
    const entry = { id: sourceIdFor(name, taken), kind: 'feed' as const, name, url: feed.url.trim(), ...(outlet ? { outlet } : {}) };
    const checked = feedSource.safeParse(entry);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new NewsdeskError('usage', `sources add: ${issue.path.join('.') || 'feed'} "${String((entry as Record<string, unknown>)[String(issue.path[0])] ?? '')}": ${issue.message}`);
    }
    owners.set(key, entry.id);
    result.added.push(entry);
  }
  if (result.added.length === 0 || options.dryRun) return result;
  const updated = appendSources(text, file, result.added);
  writeText(file, updated);
  return { ...result, sources: configuredSources(updated, file) };
}

/** Switches a Source on or off in the config file; returns whether the file changed and every Source it lists afterwards. */
export function switchSource(file: string, id: string, enabled: boolean): { changed: boolean; sources: SourceConfig[] } {
  const text = readText(file);
  const updated = setSourceEnabled(text, file, id, enabled);
  if (updated !== text) writeText(file, updated);
  return { changed: updated !== text, sources: configuredSources(updated, file) };
}
