import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSources, importSources } from '../../../src/cli/sources.js';
import { loadConfig } from '../../../src/config.js';
import { parseOpml } from '../../../src/ingest/opml.js';

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
