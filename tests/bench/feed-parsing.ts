/**
 * Feed parsing throughput against Python feedparser (the reference parser) on
 * the same real feeds, same number of rounds: rss-parser's captured feeds and
 * Miniflux's parser test feeds under `corpusDir` (laid out like shared/peer).
 *
 * Both sides read every file into memory first, run one untimed warm-up round,
 * then time only the parsing loop (Python times itself, so interpreter start-up
 * and imports are not counted). feedparser is timed twice: as it is normally
 * called (`feedparser.parse(data)`, which also sanitises HTML and resolves
 * relative URIs) and parse-only (those two switched off, closer to what
 * parseFeed does; newsdesk sanitises later, in normalize).
 *
 * Needs `/usr/bin/python3` with feedparser (Debian: `apt-get install -y python3-feedparser`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface FeedParsingBench {
  files: number;
  bytes: number;
  rounds: number;
  newsdeskMs: number;
  /** `feedparser.parse(data)` with its defaults. */
  feedparserMs: number;
  /** `feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)`. */
  feedparserParseOnlyMs: number;
}

const PYTHON = '/usr/bin/python3';

const PYTHON_BENCH = `
import json, sys, time
import feedparser
paths, rounds = json.load(open(sys.argv[1])), int(sys.argv[2])
data = [open(p, 'rb').read() for p in paths]
def run(**options):
    for body in data:
        feedparser.parse(body, **options)
result = {}
for label, options in (('defaults', {}), ('parseOnly', {'sanitize_html': False, 'resolve_relative_uris': False})):
    run(**options)  # warm-up, untimed
    started = time.perf_counter()
    for _ in range(rounds):
        run(**options)
    result[label] = (time.perf_counter() - started) * 1000
print(json.dumps(result))
`;

export async function benchFeedParsing(
  corpusDir: string,
  parseOne: (body: Buffer, url: string) => Promise<unknown>,
  options: { rounds?: number } = {},
): Promise<FeedParsingBench> {
  const rounds = options.rounds ?? 5;
  const paths = await corpusFiles(corpusDir);
  const bodies = await Promise.all(paths.map(async (file) => ({ body: await readFile(file), url: `https://feeds.example.org/${path.basename(file)}` })));
  const bytes = bodies.reduce((sum, { body }) => sum + body.length, 0);

  const runOnce = async (): Promise<void> => {
    for (const { body, url } of bodies) {
      try {
        await parseOne(body, url);
      } catch {
        // A feed that does not parse costs its time like any other.
      }
    }
  };
  await runOnce(); // warm-up, untimed
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) await runOnce();
  const newsdeskMs = performance.now() - started;

  const python = await runFeedparser(paths, rounds);
  return { files: paths.length, bytes, rounds, newsdeskMs, feedparserMs: python.defaults, feedparserParseOnlyMs: python.parseOnly };
}

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

async function runFeedparser(paths: string[], rounds: number): Promise<{ defaults: number; parseOnly: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsdesk-bench-'));
  try {
    const script = path.join(dir, 'bench.py');
    const list = path.join(dir, 'files.json');
    await writeFile(script, PYTHON_BENCH);
    await writeFile(list, JSON.stringify(paths));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(PYTHON, [script, list, String(rounds)], { maxBuffer: 1 << 20 }));
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim().split('\n').pop() ?? String(error);
      throw new Error(`bench: Python feedparser did not run (${detail}); install it with: apt-get install -y python3-feedparser`, { cause: error });
    }
    return JSON.parse(stdout) as { defaults: number; parseOnly: number };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
