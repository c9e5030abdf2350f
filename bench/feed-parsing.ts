/**
 * Feed parsing throughput against Python feedparser (the reference parser) on
 * the same real feeds: rss-parser's captured feeds and Miniflux's parser test
 * feeds under the peer folder (laid out like shared/peer).
 *
 * Both sides read every file into memory first, run the same number of untimed
 * warm-up rounds, then time each round over the corpus on its own (Python times
 * itself, so interpreter start-up and imports are not counted); a row is the
 * median round. Neither forces a garbage collection between rounds.
 * newsdesk is timed as ingest runs it: parse, then normalize each entry
 * (sanitise, canonical URLs, plain text). feedparser is timed twice, in a
 * process each: as it is normally called (`feedparser.parse(data)`, which also
 * sanitises HTML and resolves relative URIs) and parse-only (those two
 * switched off, closer to what parseFeed alone does).
 *
 * Needs `/usr/bin/python3` with feedparser (Debian: `apt-get install -y python3-feedparser`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { normalizeEntry } from '../src/ingest/normalize/normalize.js';
import { parseFeed } from '../src/ingest/feed/parse.js';
import { measureRuns, summarize, timed, type Measured } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, mib, skippedRow, type BenchRow } from './table.js';

const PYTHON = '/usr/bin/python3';
/** Untimed rounds over the corpus before the timed ones, newsdesk's and feedparser's alike. */
const WARM_UP_ROUNDS = 5;

const PYTHON_BENCH = `
import json, resource, sys, time
import feedparser
paths, rounds, mode, warm_up = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
options = {} if mode == 'defaults' else {'sanitize_html': False, 'resolve_relative_uris': False}
data = [open(p, 'rb').read() for p in paths]
def run():
    for body in data:
        feedparser.parse(body, **options)
for _ in range(warm_up):  # untimed
    run()
rounds_ms = []
for _ in range(rounds):
    started = time.perf_counter()
    run()
    rounds_ms.append((time.perf_counter() - started) * 1000)
print(json.dumps({'roundsMs': rounds_ms, 'peakRssKiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

const FEEDPARSER_MODES = [
  { mode: 'defaults', row: 'parse feeds: Python feedparser (defaults)' },
  { mode: 'parseOnly', row: 'parse feeds: Python feedparser, no sanitise/resolve' },
] as const;

/** rss-parser-tests/input/* and the feeds of miniflux-tests (XML and JSON; not its HTML pages or index). */
async function corpusFiles(corpusDir: string): Promise<string[]> {
  const rssParser = path.join(corpusDir, 'rss-parser-tests', 'input');
  const miniflux = path.join(corpusDir, 'miniflux-tests');
  const fromRssParser = (await readdir(rssParser)).map((name) => path.join(rssParser, name));
  const fromMiniflux = (await readdir(miniflux, { recursive: true }))
    .map(String)
    .filter((name) => /\.(xml|json)$/.test(name) && name !== 'index.json')
    .map((name) => path.join(miniflux, name));
  return [...fromRssParser, ...fromMiniflux].sort();
}

async function newsdeskRuns(bodies: { body: Buffer; url: string }[], runs: number): Promise<Measured> {
  const parseAll = async () => {
    for (const { body, url } of bodies) {
      try {
        const feed = await parseFeed(body, { url, contentType: null, name: url });
        for (const entry of feed.entries) normalizeEntry(entry, feed, { id: 'bench', outlet: null, feedUrl: url });
      } catch {
        // A feed that does not parse costs its time like any other.
      }
    }
  };
  const rate = async () => bodies.length / (await timed(parseAll)).seconds;
  // V8 compiles the hot parsing and sanitising code in tiers over the first rounds,
  // so the timed runs follow several untimed ones. They measure the steady state of
  // a process that parses feed after feed, garbage collection included: a round
  // right after a forced full collection ran ~35 % slower (455 against 690 feeds/s
  // on 2026-12-07), a cost no ingest worker pays between feeds.
  const warmUp = async () => {
    for (let round = 0; round < WARM_UP_ROUNDS; round += 1) await parseAll();
  };
  return measureRuns({ runs, once: rate, warmUp, freshHeap: false });
}

/** Why feedparser cannot run here, or null when it can. */
async function feedparserMissing(): Promise<string | null> {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  try {
    await promisify(execFile)(PYTHON, ['-c', 'import feedparser']);
    return null;
  } catch {
    return `${PYTHON} has no feedparser module (apt-get install -y python3-feedparser)`;
  }
}

async function feedparserRuns(paths: string[], runs: number, mode: string): Promise<Measured> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsdesk-bench-'));
  try {
    const script = path.join(dir, 'bench.py');
    const list = path.join(dir, 'files.json');
    await writeFile(script, PYTHON_BENCH);
    await writeFile(list, JSON.stringify(paths));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(PYTHON, [script, list, String(runs), mode, String(WARM_UP_ROUNDS)], { maxBuffer: 1 << 20 }));
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim().split('\n').pop() ?? String(error);
      throw new Error(`bench: Python feedparser did not run (${detail})`, { cause: error });
    }
    const result = JSON.parse(stdout) as { roundsMs: number[]; peakRssKiB: number };
    const rates = result.roundsMs.map((ms) => paths.length / (ms / 1000));
    return summarize(rates, [{ whose: 'Python', peakBytes: result.peakRssKiB * 1024, kind: 'rss' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function ratioRow(row: string, input: string, newsdesk: Measured, feedparser: Measured): BenchRow {
  return { row, input, median: newsdesk.median / feedparser.median, unit: 'x', runs: null, min: null, max: null, memory: [], note: 'ratio of the two medians above (feeds/s)' };
}

export async function feedParsingRows(plan: BenchPlan, add: (row: BenchRow) => void): Promise<void> {
  const newsdeskRow = 'parse + normalize feeds (newsdesk)';
  const pythonRows = [...FEEDPARSER_MODES.map((m) => m.row), 'ratio newsdesk / feedparser (defaults)', 'ratio newsdesk / feedparser (parse-only)'];
  if (!plan.peerDir || !existsSync(plan.peerDir)) {
    const why = plan.peerDir ? `no feed corpus at ${plan.peerDir}` : 'no feed corpus: none at ../shared/peer, and neither npm run bench -- PEER_DIR nor NEWSDESK_PEER_DIR given';
    for (const row of [newsdeskRow, ...pythonRows]) add(skippedRow(row, '', why));
    return;
  }
  const paths = await corpusFiles(plan.peerDir);
  const bodies = await Promise.all(paths.map(async (file) => ({ body: await readFile(file), url: `https://feeds.example.org/${path.basename(file)}` })));
  const input = `${paths.length} feeds, ${mib(bodies.reduce((sum, { body }) => sum + body.length, 0))}`;

  const newsdesk = await newsdeskRuns(bodies, plan.runs);
  add(measuredRow(newsdeskRow, input, 'feeds/s', newsdesk));

  const missing = await feedparserMissing();
  if (missing) {
    for (const row of pythonRows) add(skippedRow(row, input, missing));
    return;
  }
  const python: Measured[] = [];
  for (const { mode, row } of FEEDPARSER_MODES) {
    python.push(await feedparserRuns(paths, plan.runs, mode));
    add(measuredRow(row, input, 'feeds/s', python[python.length - 1]!));
  }
  add(ratioRow(pythonRows[2]!, input, newsdesk, python[0]!));
  add(ratioRow(pythonRows[3]!, input, newsdesk, python[1]!));
}
