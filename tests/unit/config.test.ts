import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-config-'));
function configFile(name: string, text: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
}

const valid = `
site: { title: Desk, url: "https://desk.example.org" }
output: out
sources:
  - { id: archive, kind: archive, name: Archive, path: pages }
`;

function problemOf(file: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads the demo configuration at the root, its paths into samples/', () => {
    const config = loadConfig('newsdesk.yaml', {});
    expect(config.sources.filter((source) => source.enabled).map((source) => source.id)).toEqual(['archive']);
    // The outlets' feeds are listed, switched off: the demo runs offline.
    expect(config.sources.filter((source) => source.kind === 'feed').map((source) => source.enabled)).not.toContain(true);
    expect(config.output).toBe(path.resolve('out'));
    expect(config.sources[0]).toMatchObject({ kind: 'archive', path: path.resolve('samples/archive') });
    expect(config.database.url).toBe('');
  });

  it('fills defaults and resolves paths against the file, not the working folder', () => {
    const config = loadConfig(configFile('valid.yaml', valid), {});
    expect(config.output).toBe(path.join(folder, 'out'));
    expect(config.sources[0]).toMatchObject({ path: path.join(folder, 'pages'), maxFileBytes: 2 * 1024 * 1024 });
    expect(config.database.dataDir).toBe(path.join(folder, '.newsdesk/pglite'));
    expect(config.schedule.ingestEveryMinutes).toBe(60);
  });

  it('keeps a store in memory (memory://) as it is, not as a folder beside the file', () => {
    expect(loadConfig(configFile('memory.yaml', valid), { NEWSDESK_DATA_DIR: 'memory://' }).database.dataDir).toBe('memory://');
  });

  it('lets the environment override the database, Redis and output', () => {
    const config = loadConfig(configFile('env.yaml', valid), {
      DATABASE_URL: 'postgres://db.internal/newsdesk',
      REDIS_URL: 'redis://queue.internal:6379',
      NEWSDESK_OUTPUT: '/srv/feeds',
    });
    expect(config.database.url).toBe('postgres://db.internal/newsdesk');
    expect(config.redis.url).toBe('redis://queue.internal:6379');
    expect(config.output).toBe('/srv/feeds');
  });

  it('names the file, the key and the problem', () => {
    const file = configFile('bad-url.yaml', valid.replace('https://desk.example.org', 'ftp://desk'));
    expect(problemOf(file)).toMatch(new RegExp(`^config: ${file}: site\\.url: `));

    const badSource = configFile('bad-source.yaml', valid.replace('path: pages', 'path: 42'));
    expect(problemOf(badSource)).toContain('sources.0.path');

    const unknownKey = configFile('unknown.yaml', `${valid}\nsoruces: []\n`);
    expect(problemOf(unknownKey)).toContain('soruces');

    const duplicate = configFile(
      'dup.yaml',
      `${valid}  - { id: archive, kind: archive, name: Again, path: other }\n`,
    );
    expect(problemOf(duplicate)).toContain('sources.1.id: duplicate Source id "archive"');

    const ftpFeed = configFile(
      'ftp.yaml',
      valid.replace('{ id: archive, kind: archive, name: Archive, path: pages }', '{ id: nk, kind: feed, name: NK, url: "ftp://nknews.org/feed" }'),
    );
    expect(problemOf(ftpFeed)).toContain('sources.0.url: must be an http(s) address');

    const unknownKind = configFile('kind.yaml', valid.replace('kind: archive', 'kind: carrier-pigeon'));
    expect(problemOf(unknownKind)).toContain('sources.0.kind');
  });

  it('names a malformed allowAddresses entry and its key, and accepts every entry form', () => {
    const feed = (allow: string) =>
      valid.replace('{ id: archive, kind: archive, name: Archive, path: pages }', `{ id: intranet, kind: feed, name: Intranet, url: "http://10.1.2.3:8080/feed", allowAddresses: ${allow} }`);
    expect(problemOf(configFile('allow-name.yaml', feed('["10.1.2.3", "localhost:6379"]')))).toBe(
      `config: ${path.join(folder, 'allow-name.yaml')}: sources.0.allowAddresses.1: "localhost:6379" is not an IP address or CIDR block with an optional port ` +
        '(127.0.0.1, 10.0.0.0/8, ::1, 127.0.0.1:8080, 10.0.0.0/8:8080, [::1]:8080)',
    );
    expect(problemOf(configFile('allow-port.yaml', feed('["10.1.2.3:99999"]')))).toContain('sources.0.allowAddresses.0: "10.1.2.3:99999" has no valid port');
    const fetchWide = configFile('allow-fetch.yaml', `${valid}fetch: { allowAddresses: ["10.0.0.0/33"] }\n`);
    expect(problemOf(fetchWide)).toContain('fetch.allowAddresses.0: "10.0.0.0/33" is not an IP address or CIDR block');

    const forms = '["127.0.0.1", "10.0.0.0/8", "::1", "127.0.0.1:8080", "10.0.0.0/8:8080", "[::1]:8080", "[fd00::/8]:8443"]';
    const config = loadConfig(configFile('allow-ok.yaml', `${feed(forms)}fetch: { allowAddresses: ${forms} }\n`), {});
    expect(config.fetch.allowAddresses).toHaveLength(7);
    expect(config.sources[0]).toMatchObject({ allowAddresses: JSON.parse(forms) });
  });

  it('blames a bad value from the environment on the variable, and the file for its own', () => {
    const file = configFile('env-blame.yaml', valid);
    expect(problemOf(file, { NEWSDESK_SITE_URL: 'notaurl' })).toBe('config: environment NEWSDESK_SITE_URL (site.url): Invalid URL');
    expect(problemOf(file, { NEWSDESK_QUEUE_PREFIX: 'a b' })).toBe('config: environment NEWSDESK_QUEUE_PREFIX (redis.prefix): letters, digits, - and _ only');
    expect(problemOf(file, { NEWSDESK_ADMIN_TOKEN: 'short' })).toMatch(/^config: environment NEWSDESK_ADMIN_TOKEN \(admin\.token\): .*16 characters/);
    // Both at once: each line says where to fix it.
    const badFile = configFile('env-and-file.yaml', valid.replace('path: pages', 'path: 42'));
    const both = problemOf(badFile, { NEWSDESK_SITE_URL: 'notaurl' }).split('\n');
    expect(both).toContain('config: environment NEWSDESK_SITE_URL (site.url): Invalid URL');
    expect(both.find((line) => line.includes('sources.0.path'))).toMatch(new RegExp(`^config: ${badFile}: sources\\.0\\.path: `));
    // A good override of a bad key in the file: the environment's value is used, nothing to blame.
    const badUrlFile = configFile('bad-url-env.yaml', valid.replace('https://desk.example.org', 'ftp://desk'));
    expect(loadConfig(badUrlFile, { NEWSDESK_SITE_URL: 'https://news.example.org' }).site.url).toBe('https://news.example.org');
  });

  it('reports a key of the wrong shape where an override goes in the file, not a stray key', () => {
    const file = configFile('shape.yaml', `${valid}database: postgres://x\n`);
    const problem = problemOf(file, { DATABASE_URL: 'postgres://db.internal/newsdesk' });
    expect(problem).toMatch(new RegExp(`^config: ${file}: database: `));
    expect(problem).not.toContain('Unrecognized key');
  });

  it('reports unreadable files and broken YAML', () => {
    expect(problemOf(path.join(folder, 'missing.yaml'))).toContain('cannot read the file');
    expect(problemOf(configFile('broken.yaml', 'site: [unclosed'))).toMatch(/not valid YAML/);
    expect(problemOf(configFile('list.yaml', '- a\n- b\n'))).toContain('expected a mapping');
  });
});
