/**
 * SECURITY.md names, for every defence, the tests that fail when the defence
 * is taken away (`file › test name`). A renamed or deleted test would leave it
 * naming nothing: every file it names exists, and every name is a test or
 * suite name in that file (a name cut short with "..." by its first part).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const security = readFileSync('SECURITY.md', 'utf8');

/** Each `tests/...` file SECURITY.md names, with the test names written after it (`file` › `name`, › `name`). */
function namedTests(text: string): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  for (const match of text.matchAll(/`((?:unit|integration|e2e|fuzz|faults|conformance)\/[\w./-]+\.test\.ts)`((?:\s*,?\s*›\s*`[^`]+`)*)/g)) {
    found.push({ file: match[1]!, names: [...match[2]!.matchAll(/›\s*`([^`]+)`/g)].map((name) => name[1]!) });
  }
  return found;
}

/** The string literals of a test file as written, unescaped: test and suite names are among them. */
function literals(source: string): string {
  return source.replace(/\\(['"`\\])/g, '$1');
}

describe('SECURITY.md', () => {
  const named = namedTests(security);

  it('names tests (the check reads the table)', () => {
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter(({ names }) => names.length > 0).length).toBeGreaterThan(40);
  });

  it('names only test files that exist, and only tests that exist in them', () => {
    const missing: string[] = [];
    for (const { file, names } of named) {
      const full = path.join('tests', file);
      if (!existsSync(full)) {
        missing.push(`${file}: no such file`);
        continue;
      }
      const source = literals(readFileSync(full, 'utf8'));
      for (const name of names) {
        const written = name.replace(/\s*(?:\.\.\.|…).*$/, '').replace(/,$/, '');
        if (!source.includes(written)) missing.push(`${file} › ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
