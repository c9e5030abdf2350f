import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSources, importSources } from '../../../src/cli/sources.js';
import { loadConfig } from '../../../src/config.js';
import { parseOpml } from '../../../src/ingest/feed/opml.js';

const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-opml-'));
const configFile = path.join(folder, 'newsdesk.yaml');
writeFileSync(
  configFile,
  `site: { title: Desk, url: "https://desk.example.org" }
sources:
  # our archive
  - { id: archive, kind: archive, name: Archive, path: pages }
  - { id: nk-news, kind: feed, name: NK News, url: "https://www.nknews.org/feed/" }
`,
);
const opmlFile = path.join(folder, 'reader.opml');
writeFileSync(
  opmlFile,
  `<?xml version="1.0"?>
<opml version="2.0"><head><title>My reader</title></head><body>
  <outline text="Korea">
    <outline type="rss" text="NK News" xmlUrl="https://WWW.nknews.org/feed/"/>
    <outline type="rss" text="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/"/>
    <outline type="rss" text="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/?lang=en"/>
  </outline>
</body></opml>`,
);

describe('sources import and export', () => {
  it('adds only the feeds the config lacks, keeps the file readable and its comments, and exports them back', async () => {
    const dry = await importSources(loadConfig(configFile, {}), opmlFile, { dryRun: true });
    expect(dry).toContain('would add 2');
    expect(readFileSync(configFile, 'utf8')).not.toContain('dailynk');

    const report = await importSources(loadConfig(configFile, {}), opmlFile, { dryRun: false });
    expect(report).toMatch(/added 2, 1 already configured/);
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain('# our archive');
    const config = loadConfig(configFile, {});
    expect(config.sources.map((source) => source.id)).toEqual(['archive', 'nk-news', 'daily-nk', 'daily-nk-2']);

    expect(await importSources(config, opmlFile, { dryRun: false })).toMatch(/added 0/);

    const exported = parseOpml(exportSources(config), 'export');
    expect(exported.map((feed) => feed.xmlUrl).sort()).toEqual([
      'https://www.dailynk.com/english/feed/',
      'https://www.dailynk.com/english/feed/?lang=en',
      'https://www.nknews.org/feed/',
    ]);
  });
});

describe('sources import keeps the config file as it was outside the lines it adds', () => {
  const reader = `<?xml version="1.0"?>
<opml version="2.0"><head><title>r</title></head><body>
  <outline type="rss" text="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/"/>
  <outline type="rss" text="38 North: &quot;analysis&quot;" xmlUrl="https://www.38north.org/feed/?a=1&amp;b=2"/>
</body></opml>`;

  /** Imports into a file holding `text`; returns the file's text after, and what it inserted (one block, at one place). */
  async function importInto(name: string, text: string): Promise<{ after: string; inserted: string }> {
    const file = path.join(folder, name);
    writeFileSync(file, text);
    const opml = path.join(folder, `${name}.opml`);
    writeFileSync(opml, reader);
    expect(await importSources(loadConfig(file, {}), opml, { dryRun: false })).toContain('added 2');
    const after = readFileSync(file, 'utf8');
    let prefix = 0;
    while (prefix < text.length && text[prefix] === after[prefix]) prefix += 1;
    let suffix = 0;
    while (suffix < text.length - prefix && text[text.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix += 1;
    // The file before is the file after with one block taken out: every byte of it is where it was.
    expect(prefix + suffix).toBe(text.length);
    const inserted = after.slice(prefix, after.length - suffix);
    const config = loadConfig(file, {});
    expect(config.sources.slice(-2)).toMatchObject([
      { id: 'daily-nk', kind: 'feed', name: 'Daily NK', url: 'https://www.dailynk.com/english/feed/' },
      { id: '38-north-analysis', kind: 'feed', name: '38 North: "analysis"', url: 'https://www.38north.org/feed/?a=1&b=2' },
    ]);
    return { after, inserted };
  }

  it('a block list: comments, blank lines, quoting, flow mappings and key order stay; the new entries follow the last one', async () => {
    const text = `# Desk configuration
site:
  url: 'https://desk.example.org'   # single quotes, and the title after the url
  title: "Desk"

sources:
  # our archive
  - { id: archive, kind: archive, name: Archive, path: pages }   # flow style

  - id: nk-news
    kind: feed
    name:   NK News
    url: "https://www.nknews.org/feed/"
    # enabled: false   (a commented-out key of this entry)

# Everything else.
output:    out   # odd spacing
`;
    const { after, inserted } = await importInto('block.yaml', text);
    expect(inserted).toBe(
      [
        '  - id: daily-nk',
        '    kind: feed',
        '    name: Daily NK',
        '    url: https://www.dailynk.com/english/feed/',
        '  - id: 38-north-analysis',
        '    kind: feed',
        '    name: \'38 North: "analysis"\'',
        '    url: https://www.38north.org/feed/?a=1&b=2',
        '',
      ].join('\n'),
    );
    expect(after).toContain('    # enabled: false   (a commented-out key of this entry)\n  - id: daily-nk\n');
    expect(after).toContain('b=2\n\n# Everything else.\n');
  });

  it('a list at the key\'s own indentation, a file without a final newline, and CRLF line ends', async () => {
    const { inserted } = await importInto('flush.yaml', 'site: { title: Desk, url: "https://desk.example.org" }\nsources:\n- { id: archive, kind: archive, name: Archive, path: pages }');
    expect(inserted.startsWith('\n- id: daily-nk\n  kind: feed\n')).toBe(true);

    const crlf = await importInto('crlf.yaml', 'site: { title: Desk, url: "https://desk.example.org" }\r\nsources:\r\n  - { id: archive, kind: archive, name: Archive, path: pages }\r\n# end\r\n');
    expect(crlf.inserted).toMatch(/^ {2}- id: daily-nk\r\n {4}kind: feed\r\n/);
    expect(crlf.inserted.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('a flow list gets flow entries inside its brackets', async () => {
    const { after } = await importInto('flow.yaml', 'site: { title: Desk, url: "https://desk.example.org" }\nsources: [ { id: archive, kind: archive, name: Archive, path: pages } ]   # all on one line\n');
    expect(after).toMatch(/^sources: \[ \{ id: archive, kind: archive, name: Archive, path: pages \}, \{ id: daily-nk, .* \} \] {3}# all on one line\n$/m);
  });
});
