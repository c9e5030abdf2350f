/**
 * Python feedparser's test feeds, checked with the normalized expectations
 * (`{file, group, checks: [{path, op: "equals", value}]}`) mapped onto
 * ParsedFeed by feed-view.ts, which also documents where newsdesk differs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '../../src/ingest/feed/parse.js';
import type { ParsedFeed } from '../../src/ingest/feed/parsed-feed.js';
import { lookup, matches } from './feed-view.js';

interface Case {
  file: string;
  group: string;
  needsHttp: boolean;
  checks: { path: string; op: string; value: unknown }[];
}

export interface CheckFailure {
  file: string;
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface GroupTally {
  group: string;
  passed: number;
  /** Of those passed, how many are equal as strings too (no plain-text or HTML reading, see feed-view.ts). */
  identical: number;
  total: number;
  failures: CheckFailure[];
}

/** Runs every check of `cases` (parsed from a normalized-expectations file); one tally per group, in first-seen order. */
export async function runFeedparserCases(feedparserDir: string, cases: Case[]): Promise<GroupTally[]> {
  const tallies = new Map<string, GroupTally>();
  for (const testCase of cases) {
    const tally = tallies.get(testCase.group) ?? { group: testCase.group, passed: 0, identical: 0, total: 0, failures: [] };
    tallies.set(testCase.group, tally);
    const parsed = await parseCase(feedparserDir, testCase.file);
    for (const check of testCase.checks) {
      tally.total += 1;
      if (typeof parsed === 'string') {
        tally.failures.push({ file: testCase.file, path: check.path, expected: check.value, actual: `error: ${parsed}` });
        continue;
      }
      const found = lookup(parsed, check.path);
      if (check.op === 'equals' && found.found && matches(found, check.value)) {
        tally.passed += 1;
        if (found.value === check.value) tally.identical += 1;
      } else tally.failures.push({ file: testCase.file, path: check.path, expected: check.value, actual: found.value });
    }
  }
  return [...tallies.values()];
}

export async function readCases(file: string): Promise<Case[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Case[];
}

/** The parsed feed, or the error message. Served as feedparser's own test server did, so relative links resolve alike. */
async function parseCase(feedparserDir: string, file: string): Promise<ParsedFeed | string> {
  const body = await readFile(path.join(feedparserDir, file));
  const header = /^\s*Header:\s*Content-type:\s*(.+)$/im.exec(body.subarray(0, 2048).toString('latin1'));
  try {
    return await parseFeed(body, { url: `http://127.0.0.1:8097/tests/${file}`, contentType: header?.[1]?.trim() ?? null, name: file });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
