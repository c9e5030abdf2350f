/**
 * The command line's usage errors, run in this process through main(): exit
 * code 2 with commander's message naming what is wrong, before any
 * configuration or store is opened (the config named here does not exist, so a
 * command that got past parsing would fail on it instead).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/cli.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['-c', 'tests/no-such-config.yaml', ...argv], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('usage errors exit 2', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['bogus'], "unknown command 'bogus'"],
    [['stories', 'show'], "missing required argument 'story'"],
    [['stories', 'list', '--bogus'], "unknown option '--bogus'"],
    [['stories', 'merge', 'st_a', '--by'], "option '--by <editor>' argument missing"],
  ])('%j', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`error: ${message}`);
    expect(result.err).toContain('(run `npx newsdesk --help` for the commands)');
  });

  it('--version prints the version from package.json and exits 0', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) expect(await run(flag)).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('a command group without its command shows its help, as an error', async () => {
    const result = await run('stories');
    expect(result.code).toBe(2);
    expect(result.err).toContain('Usage: newsdesk stories [options] [command]');
  });

  it('--help is no error', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('npx newsdesk stories list');
  });

  it.each(['abc', '-3', '0', '1.5', '1e3', '99999999999999999999'])('stories list --limit %s is refused as usage, naming the option', async (value) => {
    const result = await run('stories', 'list', '--limit', value);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`error: option '-n, --limit <n>' argument '${value}' is invalid. expected a whole number from 1`);
    expect(result.err).not.toMatch(/bigint|LIMIT|config/);
  });

  it.each(['stories review -n x', 'jobs failed --limit 0', 'worker --concurrency two', 'worker --metrics-port 70000', 'serve --port http'])('%s is refused as usage', async (line) => {
    const result = await run(...line.split(' '));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/error: option '.+' argument '.+' is invalid\. expected a whole number from \d/);
  });

  it.each([
    ['edition', 'show', '2026-W99'],
    ['edition', 'show', '2026-W00'],
    ['edition', 'show', '2027-W53'], // 2027 has 52 ISO weeks
    ['edition', 'show', '2026-W5'],
    ['edition', 'show', '2026-W47-1'],
    ['edition', 'approve', 'next-week'],
    ['edition', 'send', '2026-W99'],
    ['edition', 'compose', '--week', '2026-W99'],
  ])('%s %s %s: an impossible week is refused as usage', async (...argv) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    const value = argv[argv.length - 1]!;
    expect(result.err).toContain(`'${value}' is invalid`);
    expect(result.err).toMatch(new RegExp(`"${value}" is no (ISO week|Edition id): expected`));
  });

  it('an Edition id of a real week gets past parsing (to the config, here missing: exit 2 naming the file)', async () => {
    for (const id of ['2026-W53', '2026-W47', '2026-W47-2']) {
      const result = await run('edition', 'show', id);
      expect(result.code).toBe(2);
      expect(result.err).toContain('newsdesk: config: tests/no-such-config.yaml: cannot read the file');
    }
  });

  it('a bad value from an environment variable is blamed on the variable, not the file', async () => {
    vi.stubEnv('NEWSDESK_SITE_URL', 'notaurl');
    let err = '';
    const code = await main(['-c', 'newsdesk.yaml', 'stories', 'list'], { out: () => undefined, err: (text) => (err += text) });
    expect(code).toBe(2);
    expect(err).toMatch(/^newsdesk: config: environment NEWSDESK_SITE_URL \(site\.url\): /);
    expect(err).not.toContain('newsdesk.yaml');
  });
});
