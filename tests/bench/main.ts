/**
 * `npm run bench [-- PEER_DIR] [--quick] [--dedupe-sizes 100000,1000000] [--no-dedupe] [--no-queues] [--no-send]`:
 * timings that matter to users, printed as numbers (no pass/fail): archive
 * parsing, feed parse+normalize against Python feedparser on the same corpus
 * (PEER_DIR laid out like the shared peer folder, or $NEWSDESK_PEER_DIR; skipped
 * when neither is given), Feed rendering, compose + render of a 50-Story
 * Edition (the email: MJML, strict), the whole `run` over the bundled
 * samples on a fresh embedded store and again (nothing new), topic tagging
 * (the tag stage over the sample posts), sending the samples' Edition through
 * the SMTP pool to a local sink (PostgreSQL, 2,000 Subscribers), and dedupe at
 * scale on PostgreSQL ($NEWSDESK_BENCH_POSTGRES_URL, a server we may create a
 * database on; default the test server). `--quick` runs dedupe at 10,000 only.
 */
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPipeline } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { parseArchivePage } from '../../src/ingest/archive-parse.js';
import { normalizeEntry } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';
import { createLogger } from '../../src/log.js';
import { renderFeeds, type FeedEntry } from '../../src/publish/feeds.js';
import { parseArgs } from 'node:util';
import { startPrivatePostgres } from '../helpers/private-postgres.js';
import { benchDedupe } from './dedupe.js';
import { benchEdition } from './edition.js';
import { benchFeedParsing } from './feed-parsing.js';
import { benchQueues } from './queues.js';
import { benchSend } from './send.js';
import { benchTagging } from './tagging.js';

const args = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    'dedupe-sizes': { type: 'string' },
    'no-dedupe': { type: 'boolean', default: false },
    'no-queues': { type: 'boolean', default: false },
    'no-send': { type: 'boolean', default: false },
  },
});

function measure(label: string, unit: string, count: number, fn: () => void): void {
  fn(); // warm up
  const started = performance.now();
  fn();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${label.padEnd(44)} ${(count / seconds).toFixed(0).padStart(10)} ${unit}/s  (${(seconds * 1000).toFixed(1)} ms)\n`);
}

const archive = 'samples/archive';
const pages = readdirSync(archive).map((name) => ({ name, text: readFileSync(path.join(archive, name), 'utf8') }));
const rounds = 200;
measure(`parse archive pages (${pages.length} pages x ${rounds})`, 'pages', pages.length * rounds, () => {
  for (let round = 0; round < rounds; round += 1) for (const page of pages) parseArchivePage(page.text, { name: page.name });
});

const peer = args.positionals[0] ?? process.env.NEWSDESK_PEER_DIR ?? '';
if (peer !== '' && existsSync(peer)) {
  // parse + normalize (sanitise, canonical URLs, plain text): what ingest does per feed.
  const result = await benchFeedParsing(peer, async (body, url) => {
    const feed = await parseFeed(body, { url, contentType: null, name: url });
    for (const entry of feed.entries) normalizeEntry(entry, feed, { id: 'bench', outlet: null, feedUrl: url });
  });
  const perSecond = (ms: number) => ((result.files * result.rounds) / (ms / 1000)).toFixed(0);
  const row = (label: string, ms: number) =>
    process.stdout.write(`${label.padEnd(44)} ${perSecond(ms).padStart(10)} feeds/s  (${ms.toFixed(0)} ms)\n`);
  process.stdout.write(`feed corpus: ${result.files} feeds, ${(result.bytes / 1024).toFixed(0)} KiB, ${result.rounds} rounds\n`);
  row('newsdesk parse + normalize', result.newsdeskMs);
  row('Python feedparser.parse (defaults)', result.feedparserMs);
  row('Python feedparser, no sanitise/resolve', result.feedparserParseOnlyMs);
  process.stdout.write(
    `${'ratio newsdesk / feedparser'.padEnd(44)} ${(result.feedparserMs / result.newsdeskMs).toFixed(1).padStart(10)}x      (parse-only: ${(result.feedparserParseOnlyMs / result.newsdeskMs).toFixed(1)}x)\n`,
  );
} else {
  process.stdout.write(`feed corpus: ${peer || 'none given'} (npm run bench -- PEER_DIR), feed parsing bench skipped\n`);
}

const entries: FeedEntry[] = Array.from({ length: 1000 }, (_, index) => ({
  id: `urn:uuid:00000000-0000-5000-8000-${String(index).padStart(12, '0')}`,
  title: `Story ${index} & “quotes” <b>`,
  link: index % 2 ? `https://news.example.org/story/${index}` : null,
  outlets: index % 3 ? ['NK News'] : ['VoA', 'South China Morning Post'],
  categories: [{ term: 'North Korean refugee' }, { term: 'escape', label: 'Escape and defection', scheme: 'https://news.example.org/topics/' }],
  contentHtml: '<p>Paragraph one.</p><p>Paragraph <a href="https://example.org">two</a>.</p>'.repeat(5),
  summary: 'Paragraph one. Paragraph two.',
  published: new Date(Date.UTC(2020, 0, 1) + index * 3_600_000),
  updated: new Date(Date.UTC(2020, 0, 1) + index * 3_600_000),
}));
const site = { title: 'Bench', url: 'https://news.example.org', description: '', language: 'en', feedBaseUrl: 'https://news.example.org' };
measure('render RSS + Atom + JSON Feed (1000 entries)', 'entries', entries.length, () => {
  renderFeeds(site, entries);
});

{
  const edition = await benchEdition();
  process.stdout.write(
    `${`compose + render a ${edition.stories}-Story Edition`.padEnd(44)} ${edition.medianMs.toFixed(0).padStart(10)} ms       ` +
      `(median of 9 runs after a warm-up, HTML ${edition.htmlBytes.toLocaleString('en')} bytes; target under 500 ms)\n`,
  );
}

{
  const tagging = benchTagging(args.values.quick ? 5_000 : 50_000);
  process.stdout.write(
    `${`tag Stories (rules + model, ${tagging.topics} Topics)`.padEnd(44)} ${(tagging.stories / tagging.seconds).toFixed(0).padStart(10)} Stories/s  ` +
      `(${tagging.stories} sample posts, ${tagging.terms}-term model, ${(tagging.seconds * 1000).toFixed(0)} ms)\n`,
  );
}

const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-bench-'));
const config = loadConfig('samples/newsdesk.yaml', {
  NEWSDESK_OUTPUT: path.join(folder, 'out'),
  NEWSDESK_DATA_DIR: path.join(folder, 'pglite'),
});
const log = createLogger({ level: 'silent' });
for (const label of ['run on samples, fresh embedded store', 'run on samples again (nothing new)']) {
  const started = performance.now();
  const summary = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(10)} s       (${summary.items.new} new Items, ${summary.feeds.entries} entries)\n`);
}

if (!args.values['no-queues']) {
  const sources = args.values.quick ? 20 : 50;
  const perSource = args.values.quick ? 10 : 20;
  process.stdout.write(`\nend to end through the queues: ${sources} feed Sources x ${perSource} articles on a local HTTP server, read, deduped, tagged, published\n`);
  const rows = await benchQueues({
    adminUrl: process.env.NEWSDESK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.NEWSDESK_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    sources,
    perSource,
    workerCounts: [1, 2],
  });
  for (const row of rows) {
    process.stdout.write(`${row.mode.padEnd(44)} ${(row.items / row.seconds).toFixed(0).padStart(10)} Items/s  (${row.items} Items, ${row.seconds.toFixed(2)} s)\n`);
  }
}

if (!args.values['no-send']) {
  const subscribers = args.values.quick ? 1_000 : 2_000;
  process.stdout.write(
    `\nsend through the SMTP pool to a local sink: the samples' Edition to ${subscribers} Subscribers (three preference sets) on PostgreSQL, ` +
      'each Delivery marked sending before SMTP and sent after, smtp-server in a child process; listmonk\'s default tops out near 100/s, target 200/s\n',
  );
  const rows = await benchSend({
    adminUrl: process.env.NEWSDESK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    subscribers,
    connections: args.values.quick ? [4] : [1, 4, 8],
  });
  for (const row of rows) {
    const label = `send, ${row.connections} SMTP connection${row.connections === 1 ? '' : 's'}${row.connections === 4 ? ' (the default)' : ''}`;
    process.stdout.write(
      `${label.padEnd(44)} ${(row.messages / row.seconds).toFixed(0).padStart(10)} messages/s  (${row.messages} sent, ${row.received} received, ${row.renders} renders, ${row.seconds.toFixed(2)} s)\n`,
    );
  }
}

if (!args.values['no-dedupe']) {
  const sizes = (args.values['dedupe-sizes'] ?? (args.values.quick ? '10000' : '100000,1000000')).split(',').map(Number);
  const ingest = args.values.quick ? 2_000 : 20_000;
  // A server of our own with a deployed server's memory settings, unless one is given.
  const sharedBuffers = `${Math.min(4096, Math.floor(totalmem() / 2 ** 20 / 4))}MB`;
  const own = process.env.NEWSDESK_BENCH_POSTGRES_URL ? null : startPrivatePostgres(54329, { shared_buffers: sharedBuffers, max_wal_size: '4GB', synchronous_commit: 'on' });
  const server = process.env.NEWSDESK_BENCH_POSTGRES_URL ?? own?.url ?? 'postgres://postgres@127.0.0.1:5432/test';
  process.stdout.write(
    `\ndedupe on PostgreSQL (${own ? `a server of the bench's own, shared_buffers ${sharedBuffers}` : server}), ${cpus().length} cores: index bulk-loaded with N generated Stories (about 260 words each), then ` +
      `${ingest} new Items ingested and deduped in batches of 500, two jobs in flight, a quarter planted reposts\n`,
  );
  process.stdout.write(
    `${'Stories'.padStart(9)} ${'load s'.padStart(7)} ${'lookup p50'.padStart(10)} ${'p99 ms'.padStart(7)} ${'ingest+dedupe'.padStart(14)} ${'reposts found'.padStart(14)} ${'RSS MiB'.padStart(8)} ${'index MiB'.padStart(9)}\n`,
  );
  try {
    await benchDedupe(server, sizes, ingest, (row) => {
    process.stdout.write(
      `${String(row.stories).padStart(9)} ${row.loadSeconds.toFixed(0).padStart(7)} ${row.lookupP50Ms.toFixed(2).padStart(10)} ${row.lookupP99Ms.toFixed(2).padStart(7)} ${`${row.ingestPerSecond.toFixed(0)}/s`.padStart(14)} ${row.plantedFound.padStart(14)} ${row.rssMiB.toFixed(0).padStart(8)} ${row.indexMiB.toFixed(0).padStart(9)}\n`,
      );
    });
  } finally {
    own?.stop();
  }
}
