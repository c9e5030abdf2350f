/**
 * The dedupe rows: on a PostgreSQL server of the bench's own (a deployed
 * server's memory settings, see privateServerSettings; or
 * $NEWSDESK_BENCH_POSTGRES_URL), one database grown to each size in
 * turn. Per size: the bulk load (one run: at 1M it takes 14-18 minutes here),
 * 500 one-Item lookups (their p50 and p99), then ingest + dedupe runs of new
 * Items, a quarter of them planted reposts. Memory: this process (it generates
 * the text and does the jobs' text work) and the whole server.
 */
import { totalmem } from 'node:os';
import { random } from '../tests/helpers/news-generator.js';
import { startPrivatePostgres } from '../tests/helpers/private-postgres.js';
import { indexBytes, loadIndex, measureCountUpkeep, measureIngest, measureLookups, openBenchDatabase, warmIndexes, type IngestRun } from './dedupe.js';
import { measureRuns, median, percentile, summarize, timed } from './measure.js';
import { postgresServerProcesses, processTree, watchBenchProcess, watchPss, type MemoryWatch } from './memory.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, mib, rowOrFailure, type BenchRow } from './table.js';

/** The port of the bench's own server (tests use others). */
const PRIVATE_PORT = 54329;

/**
 * A server sized for the index it holds: shared_buffers a third of the memory, at most 8 GB. At 1,000,000
 * Stories the dedupe tables are about 6 GB, and this machine's kernel gives back page cache left idle for a
 * minute (DAMON reclaim), so only what sits in shared buffers stays in memory: with 4 GB (a quarter) a cold
 * lookup read its candidates from disk (p99 376 ms). A deployment holding that many Stories sizes its
 * server the same way (docs/testing-and-performance.md, Performance).
 */
export function privateServerSettings(): Record<string, string> {
  return { shared_buffers: `${Math.min(8192, Math.floor(totalmem() / 2 ** 20 / 3))}MB`, max_wal_size: '4GB', synchronous_commit: 'on' };
}

export async function dedupeRows(plan: BenchPlan, add: (row: BenchRow) => void): Promise<void> {
  const { sizes, ingest, ingestRuns } = plan.dedupe!;
  const own = plan.dedupePostgresUrl ? null : startPrivatePostgres(PRIVATE_PORT, privateServerSettings());
  const server = plan.dedupePostgresUrl ?? own?.url ?? plan.postgresUrl;
  const serverName = own ? `the bench's own PostgreSQL, shared_buffers ${privateServerSettings().shared_buffers}` : server;
  const { db, drop } = await openBenchDatabase(server);
  try {
    // The server's processes are found from its postmaster, read once: the pool's connection that told us its
    // backend pid is closed when idle (during a long load), and that pid then leads nowhere.
    const [backend] = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
    const postmaster = postgresServerProcesses(backend!.pid)[0];
    const serverProcesses = (): number[] => (postmaster === undefined ? [] : processTree(postmaster));
    const watches = (): MemoryWatch[] => [watchBenchProcess(), watchPss('PostgreSQL', async () => serverProcesses())];
    let loaded = 0;
    const seq = { n: 0 };
    for (const size of sizes) {
      const stories = `${size.toLocaleString('en')} Stories`;
      const load = await measureRuns({ runs: 1, warmUp: false, watches, once: async () => (await timed(() => loadIndex(db, loaded, size))).seconds });
      loaded = size;
      const warm = (await warmIndexes(db)) ? 'indexes read into shared buffers after the load' : 'indexes cold after the load (no pg_prewarm)';
      add(measuredRow('dedupe: bulk load the index', `${stories}, about 260 words each`, 's', load, `${serverName}; index ${mib(await indexBytes(db))}; ${warm}`));

      const next = random(size);
      const lookupWatches = watches();
      const latencies = await measureLookups(db, size, next);
      const lookupMemory = lookupWatches.map((watch) => watch.stop()).filter((figure) => figure !== null);
      for (const p of [50, 99]) {
        const lookups = summarize([percentile(latencies, p)], lookupMemory);
        add({ ...measuredRow(`dedupe: one-Item lookup, p${p}`, stories, 'ms', lookups), runs: latencies.length, runsOf: 'lookups' });
      }

      const upkeep = await measureCountUpkeep(db, size, next);
      const [countRows] = await db.query<{ rows: string; bytes: string }>(
        "select count(*)::text as rows, pg_total_relation_size('text_counts')::text as bytes from text_counts",
      );
      add({
        ...measuredRow('dedupe: text counts upkeep, one batch', `${stories}, 500 new Items' paragraphs`, 'ms', summarize(upkeep, [])),
        runs: upkeep.length,
        runsOf: 'batches',
        note: `median; ${Number(countRows!.rows).toLocaleString('en')} paragraph rows, ${mib(Number(countRows!.bytes))}`,
      });

      const name = 'dedupe: ingest + dedupe';
      const ingestRow = await rowOrFailure(name, async () => {
        const runs: IngestRun[] = [];
        const measured = await measureRuns({
          runs: ingestRuns,
          warmUp: false, // each run has two batches of its own, not counted
          watches,
          once: async () => {
            runs.push(await measureIngest(db, size, ingest, seq, next, serverProcesses));
            return runs[runs.length - 1]!.perSecond;
          },
        });
        const found = runs.reduce((sum, run) => sum + run.found, 0);
        const planted = runs.reduce((sum, run) => sum + run.planted, 0);
        add(
          measuredRow(name, `${stories} + ${ingest.toLocaleString('en')} new Items per run`, 'Items/s', measured, [
            'batches of 500, two jobs in flight; each run adds its Items to the index',
            cpuPerItemNote(runs),
          ].join('; ')),
        );
        const share = summarize(runs.map((run) => (100 * run.found) / run.planted), measured.memory);
        return measuredRow('dedupe: planted reposts found', `${stories}, a quarter of the new Items`, '%', share, `${found.toLocaleString('en')} of ${planted.toLocaleString('en')} over the runs`);
      });
      add(ingestRow);
    }
  } finally {
    await drop();
    own?.stop();
  }
}

/**
 * Where the CPU went, per Item (medians over the runs): the cores are shared, so the rate alone cannot say
 * whether Node or PostgreSQL is the bottleneck. This process's figure includes its memory sampler thread.
 */
function cpuPerItemNote(runs: IngestRun[]): string {
  const node = median(runs.map((run) => run.cpuPerItem.node));
  const server = runs.every((run) => run.cpuPerItem.server !== null) ? median(runs.map((run) => run.cpuPerItem.server!)) : null;
  const serverPart = server === null ? 'PostgreSQL not measured (another machine, or its processes not ours to read)' : `PostgreSQL ${server.toFixed(2)} ms`;
  return `CPU per Item: bench ${node.toFixed(2)} ms, ${serverPart}`;
}
