/**
 * Switching a Source on and off in the config file's text (the Sources page's
 * buttons, `newsdesk sources enable | disable`), and adding a feed: only the
 * value or line that changes, the rest of the file byte for byte; a change the
 * text cannot take is refused, not written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFeedSources, configuredSources, setSourceEnabled, switchSource } from '../../src/config-edit.js';
import { loadConfig } from '../../src/config.js';

const BLOCK = `site: { title: Desk, url: "https://desk.example.org" }
sources:
  # our archive
  - id: archive   # the pages
    kind: archive
    name: Archive
    path: pages

  - id: nk-news
    kind: feed
    name: 'NK News'
    url: https://www.nknews.org/feed/
    enabled: false   # off for the demo
`;

describe('setSourceEnabled', () => {
  it('replaces the value where `enabled` is written, and nothing else', () => {
    const on = setSourceEnabled(BLOCK, 'newsdesk.yaml', 'nk-news', true);
    expect(on).toBe(BLOCK.replace('enabled: false   # off', 'enabled: true   # off'));
    expect(setSourceEnabled(on, 'newsdesk.yaml', 'nk-news', false)).toBe(BLOCK);
  });

  it("adds `enabled: false` under an entry's first line where it is not written, at the entry's indentation", () => {
    const off = setSourceEnabled(BLOCK, 'newsdesk.yaml', 'archive', false);
    expect(off).toBe(BLOCK.replace('  - id: archive   # the pages\n', '  - id: archive   # the pages\n    enabled: false\n'));
    // Enabled is the default: enabling a Source that does not say changes nothing.
    expect(setSourceEnabled(BLOCK, 'newsdesk.yaml', 'archive', true)).toBe(BLOCK);
  });

  it('keeps CRLF line ends and flow mappings', () => {
    const crlf = BLOCK.replaceAll('\n', '\r\n');
    expect(setSourceEnabled(crlf, 'f', 'archive', false)).toBe(crlf.replace('# the pages\r\n', '# the pages\r\n    enabled: false\r\n'));
    const flow = 'site: { title: D, url: "https://d.example.org" }\nsources:\n  - { id: a, kind: archive, name: A, path: p }\n';
    expect(setSourceEnabled(flow, 'f', 'a', false)).toBe('site: { title: D, url: "https://d.example.org" }\nsources:\n  - { id: a, enabled: false, kind: archive, name: A, path: p }\n');
  });

  it('refuses an unknown Source, naming it and the file', () => {
    expect(() => setSourceEnabled(BLOCK, 'newsdesk.yaml', 'nope', false)).toThrow('sources: newsdesk.yaml: no Source "nope" in the config file');
  });

  it('refuses a change it cannot make as text, rather than rewrite the file', () => {
    // An explicit key (`? id`) first: the line added at its column would not be a key of the entry; the check sees it.
    const odd = 'site: { title: D, url: "https://d.example.org" }\nsources:\n  - ? id\n    : a\n    kind: archive\n    name: A\n    path: p\n';
    expect(() => setSourceEnabled(odd, 'f', 'a', false)).toThrow(/cannot change Source "a" without rewriting the file; set `enabled: false` in it by hand/);
  });
});

describe('the config file itself', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-config-edit-'));
  const file = path.join(folder, 'newsdesk.yaml');

  it('switches a Source in the file, which loadConfig then reads, and lists the Sources with their paths resolved', () => {
    writeFileSync(file, BLOCK);
    const { changed, sources } = switchSource(file, 'archive', false);
    expect(changed).toBe(true);
    expect(sources.find((s) => s.id === 'archive')).toMatchObject({ enabled: false, path: path.join(folder, 'pages') });
    expect(loadConfig(file, {}).sources).toEqual(sources);
    expect(switchSource(file, 'archive', false).changed).toBe(false);
  });

  it('adds a feed once, with an id from its name and only the keys given; a second add of the same address finds it', () => {
    writeFileSync(file, BLOCK);
    const first = addFeedSources(file, [{ url: 'https://www.dailynk.com/english/feed/', name: 'Daily NK', outlet: '' }]);
    expect(first.added).toEqual([{ id: 'daily-nk', kind: 'feed', name: 'Daily NK', url: 'https://www.dailynk.com/english/feed/' }]);
    expect(readFileSync(file, 'utf8').startsWith(BLOCK)).toBe(true);
    expect(configuredSources(readFileSync(file, 'utf8'), file).map((s) => s.id)).toEqual(['archive', 'nk-news', 'daily-nk']);
    const again = addFeedSources(file, [{ url: 'https://WWW.dailynk.com/english/feed/', name: 'Other name' }]);
    expect(again).toMatchObject({ added: [], known: [{ id: 'daily-nk' }] });
  });

  it('refuses a feed that is not a valid Source, writing nothing', () => {
    writeFileSync(file, BLOCK);
    expect(() => addFeedSources(file, [{ url: 'ftp://example.org/feed', name: 'X' }])).toThrow(/sources add: url "ftp:\/\/example.org\/feed": must be an http\(s\) address/);
    expect(readFileSync(file, 'utf8')).toBe(BLOCK);
  });
});
