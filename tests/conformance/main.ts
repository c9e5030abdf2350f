/**
 * `npx tsx tests/conformance/main.ts DIR [--json] [--verbose]`: how parseFeed
 * fares on third-party feed test material laid out like shared/peer:
 *
 * - feedparser-tests/acceptance-dev.json: checks on feedparser's test feeds
 *   (target: at least 90% pass); the rest of normalized-expectations.json is
 *   reported too, for information (sanitizer and HTTP cases left out);
 * - w3c-feedvalidator-testcases: every feed the validator finds error-free
 *   parses without error;
 * - feedparser-tests/illformed and entities: a result or a clear error within
 *   1 s per file, never a crash.
 *
 * Prints pass counts per group (`--json`: one JSON object); exits 1 when a target is missed.
 */
import path from 'node:path';
import { readCases, runFeedparserCases, type GroupTally } from './feedparser-checks.js';
import { runRobustness } from './robustness.js';
import { runW3c } from './w3c.js';

const ACCEPTANCE_TARGET = 0.9;

const args = process.argv.slice(2);
const dir = args.find((arg) => !arg.startsWith('--'));
if (!dir) {
  process.stderr.write('usage: tsx tests/conformance/main.ts DIR [--json] [--verbose]\n');
  process.exit(2);
}
const asJson = args.includes('--json');
const verbose = args.includes('--verbose');
const feedparserDir = path.join(dir, 'feedparser-tests');

const acceptanceCases = await readCases(path.join(feedparserDir, 'acceptance-dev.json'));
const acceptance = summarize(await runFeedparserCases(feedparserDir, acceptanceCases));
const inAcceptance = new Set(acceptanceCases.map((testCase) => `${testCase.file}`));
const otherCases = (await readCases(path.join(feedparserDir, 'normalized-expectations.json'))).filter(
  (testCase) => !inAcceptance.has(testCase.file) && !testCase.needsHttp && testCase.group !== 'wellformed/sanitize',
);
const other = summarize(await runFeedparserCases(feedparserDir, otherCases));
const w3c = await runW3c(path.join(dir, 'w3c-feedvalidator-testcases'));
const robustness = [await runRobustness(feedparserDir, 'illformed'), await runRobustness(feedparserDir, 'entities')];

const targets = {
  acceptance: acceptance.passed / acceptance.total >= ACCEPTANCE_TARGET,
  w3cErrorFree: w3c.feedsParsed === w3c.feeds && w3c.invalidHandled === w3c.invalid,
  robustness: robustness.every((tally) => tally.failures.length === 0),
};
const ok = Object.values(targets).every(Boolean);

if (asJson) {
  process.stdout.write(`${JSON.stringify({ ok, targets, acceptance, otherNormalizedChecks: other, w3c, robustness }, null, 1)}\n`);
} else {
  const line = (label: string, passed: number, total: number): void => {
    process.stdout.write(`  ${label.padEnd(44)} ${`${passed}/${total}`.padStart(9)}  ${total ? ((100 * passed) / total).toFixed(1) : '-'}%\n`);
  };
  process.stdout.write(`feedparser acceptance-dev.json (target ${ACCEPTANCE_TARGET * 100}% of checks)\n`);
  for (const group of acceptance.groups) line(group.group, group.passed, group.total);
  line('all checks', acceptance.passed, acceptance.total);
  process.stdout.write(`    of which equal as strings too: ${acceptance.identical} (the rest pass as plain-text titles or as equivalent HTML, see feed-view.ts)\n`);
  for (const failure of acceptance.failures) process.stdout.write(`    fail ${failure.file} ${failure.path}: expected ${JSON.stringify(failure.expected)}, got ${JSON.stringify(failure.actual)}\n`);
  process.stdout.write('feedparser other normalized checks (information, no target; no sanitizer or HTTP cases)\n');
  for (const group of other.groups) line(group.group, group.passed, group.total);
  line('all checks', other.passed, other.total);
  if (verbose) for (const failure of other.failures) process.stdout.write(`    fail ${failure.file} ${failure.path}: expected ${JSON.stringify(failure.expected)}, got ${JSON.stringify(failure.actual)}\n`);
  process.stdout.write('W3C feed validator test cases\n');
  line('error-free feeds parsed without error', w3c.feedsParsed, w3c.feeds);
  line('error-free non-feeds (KML, OPML...) refused', w3c.nonFeedsRefused, w3c.nonFeeds);
  line('feeds with errors: result or InputError', w3c.invalidHandled, w3c.invalid);
  for (const failure of w3c.failures) process.stdout.write(`    fail ${failure.file}: ${failure.problem}\n`);
  process.stdout.write('ill-formed and entity files (a result or InputError within 1 s each)\n');
  for (const tally of robustness) {
    line(`${tally.folder} (${tally.parsed} parsed, ${tally.refused} refused)`, tally.files - tally.failures.length, tally.files);
    process.stdout.write(`    slowest: ${tally.slowestMs.toFixed(1)} ms (${tally.slowestFile})\n`);
    for (const failure of tally.failures) process.stdout.write(`    fail ${failure.file}: ${failure.problem}\n`);
  }
  process.stdout.write(`${ok ? 'all targets met' : `targets missed: ${Object.entries(targets).filter(([, met]) => !met).map(([name]) => name).join(', ')}`}\n`);
}
if (!ok) process.exitCode = 1;

function summarize(groups: GroupTally[]): {
  passed: number;
  identical: number;
  total: number;
  percent: number;
  groups: { group: string; passed: number; total: number }[];
  failures: GroupTally['failures'];
} {
  const passed = groups.reduce((sum, group) => sum + group.passed, 0);
  const identical = groups.reduce((sum, group) => sum + group.identical, 0);
  const total = groups.reduce((sum, group) => sum + group.total, 0);
  return {
    passed,
    identical,
    total,
    percent: total ? Math.round((1000 * passed) / total) / 10 : 0,
    groups: groups.map(({ group, passed: p, total: t }) => ({ group, passed: p, total: t })),
    failures: groups.flatMap((group) => group.failures),
  };
}
