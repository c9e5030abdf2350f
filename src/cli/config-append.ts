/**
 * Adds entries to the `sources` list of a config file's text, touching nothing
 * else: the file is the operator's (comments, blank lines, quoting, key order,
 * flow or block style), so the new entries are inserted as text where the list
 * ends rather than the whole document printed again (the yaml package's
 * toString() re-flows and re-quotes what it prints). The result is parsed again
 * and compared with what was meant, so a file the insertion would break is
 * refused instead of written.
 */
import { isDeepStrictEqual } from 'node:util';
import { isSeq, parseDocument, stringify } from 'yaml';
import { NewsdeskError } from '../errors.js';

export function appendSources(text: string, file: string, entries: Record<string, unknown>[]): string {
  if (entries.length === 0) return text;
  const document = parseDocument(text);
  const list = document.get('sources', true);
  if (document.errors.length > 0 || !isSeq(list) || list.items.length === 0 || !list.range) {
    throw new NewsdeskError('usage', `sources import: ${file}: no sources list to add to`);
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
    throw new NewsdeskError('sources_import', `sources import: ${file}: cannot add the Sources without rewriting the file; add them by hand:\n${stringify(entries)}`);
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
