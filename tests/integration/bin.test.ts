/**
 * The installed command (bin/newsdesk.js) runs the compiled JavaScript that
 * npm ci's prepare step built in dist/: no TypeScript compiler at run time.
 * It prints its help and version, and the modules it loaded for that come
 * from dist/, none from src/ and none of tsx.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// A module hook that writes every module the process loads to stderr, one `LOADED <url>` line each.
const HOOK = 'export async function resolve(specifier, context, next) { const found = await next(specifier, context); process.stderr.write("LOADED " + found.url + "\\n"); return found; }';
const REGISTER = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${HOOK}`)});`;

describe('bin/newsdesk.js', () => {
  it('prints the help from the compiled program', () => {
    const run = spawnSync(process.execPath, ['bin/newsdesk.js', '--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: newsdesk [options] [command]');
    expect(run.stdout).toContain('edition');
  });

  it('prints the version of package.json', () => {
    const run = spawnSync(process.execPath, ['bin/newsdesk.js', '--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('loads dist/, not the TypeScript sources, and not tsx', () => {
    const run = spawnSync(process.execPath, ['--import', REGISTER, 'bin/newsdesk.js', '--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status, run.stderr).toBe(0);
    const loaded = [...run.stderr.matchAll(/^LOADED (\S+)$/gm)].map((match) => match[1]!);
    const ours = loaded.filter((url) => url.startsWith('file:') && !url.includes('/node_modules/'));
    expect(ours.some((url) => url.endsWith('/dist/src/cli/main.js')), ours.join('\n')).toBe(true);
    expect(ours.filter((url) => url.endsWith('.ts'))).toEqual([]);
    expect(loaded.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
  });
});
