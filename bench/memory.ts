/**
 * Peak memory of the processes doing a row's work, read from Linux's /proc:
 * - this Node process: its peak resident set (VmHWM), reset at the row's start
 *   through /proc/self/clear_refs, so the figure is the row's own peak and not
 *   an earlier row's; process.memoryUsage().rss is also sampled every 50 ms, in
 *   case the reset is not allowed (a synchronous loop holds back the sampler, the
 *   kernel's high-water mark does not miss anything);
 * - child processes (queue workers, Python): their own VmHWM, read before they exit;
 * - a PostgreSQL server: several processes sharing shared_buffers, so their RSS
 *   would count the shared pages once per process. The proportional set size
 *   (PSS: each shared page divided among the processes that map it) adds up to
 *   the server's real total; it is summed over its processes every 500 ms (or
 *   less often when reading it is slow), in a thread of its own (watchPss).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';

export interface MemoryFigure {
  /** Whose memory: `bench` (this process), `worker`, `Python`, `PostgreSQL`. */
  whose: string;
  peakBytes: number;
  /** This process: its resident set when the row started (what earlier rows and the loaded code hold). */
  startBytes?: number;
  /** RSS of one process, or PSS summed over a server's processes. */
  kind: 'rss' | 'pss';
}

export interface MemoryWatch {
  stop(): MemoryFigure | null;
}

function statusField(pid: number | 'self', field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null; // gone, or not Linux
  }
}

/** A process's peak resident set so far (or since its last reset). */
export function peakRss(pid: number | 'self'): number | null {
  return statusField(pid, 'VmHWM');
}

/** Starts a process's peak resident set again from its current one; false when not allowed. */
export function resetPeakRss(pid: number | 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The garbage collector, when V8 lets us have it: rows start from a collected heap, not the last row's garbage. */
export const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
})();

/** This process, from now until stop(). */
export function watchBenchProcess(): MemoryWatch {
  collectGarbage();
  const reset = resetPeakRss('self');
  const startBytes = process.memoryUsage().rss;
  let sampled = startBytes;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      const kernel = reset ? peakRss('self') : null;
      return { whose: 'bench', peakBytes: Math.max(sampled, kernel ?? 0, process.memoryUsage().rss), startBytes, kind: 'rss' };
    },
  };
}

/**
 * Samples the summed PSS of a process tree in a thread of its own. Reading
 * /proc/<pid>/smaps_rollup walks every page the process maps: for a server
 * whose 4 GB of shared buffers are in use, a long time in the kernel per
 * process. Read on the bench's own thread, that time stalled the very lookups
 * and batches being timed (at 1,000,000 Stories: lookup p99 376 ms and 69
 * Items/s, with 23 % of the bench's samples in the read); so the reads are off
 * that thread, and paced to take at most a twentieth of a core.
 */
const PSS_SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const pss = (pid) => {
  try {
    const match = /^Pss:\\s+(\\d+) kB/m.exec(readFileSync('/proc/' + pid + '/smaps_rollup', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited between listing and reading
  }
};
let pids = [];
let next = null;
const sample = () => {
  const started = Date.now();
  parentPort.postMessage(pids.reduce((sum, pid) => sum + pss(pid), 0));
  next = setTimeout(sample, Math.max(workerData.intervalMs, 20 * (Date.now() - started)));
};
parentPort.on('message', (list) => {
  pids = list;
  if (next === null) sample(); // the first list: at once
});
`;

/**
 * The summed PSS of `pids()` (asked again every `intervalMs`: backends come
 * and go), sampled that often or less when a sample is slow; null at stop()
 * when no process could be read (a server on another machine).
 */
export function watchPss(whose: string, pids: () => Promise<number[]>, intervalMs = 500): MemoryWatch {
  let peak = 0;
  const sampler = new Worker(PSS_SAMPLER, { eval: true, workerData: { intervalMs } });
  sampler.on('message', (bytes: number) => (peak = Math.max(peak, bytes)));
  sampler.on('error', () => undefined); // the samples so far stand
  sampler.unref();
  const list = () =>
    pids().then(
      (found) => sampler.postMessage(found),
      () => undefined, // the server went away (end of the row)
    );
  void list();
  const timer = setInterval(() => void list(), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      void sampler.terminate();
      return peak > 0 ? { whose, peakBytes: peak, kind: 'pss' } : null;
    },
  };
}

/** `pid` and every process whose parent it is (a PostgreSQL postmaster and its server processes). */
export function processTree(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => parentOf(child) === pid);
  return [pid, ...children];
}

function parentOf(pid: number): number | null {
  try {
    const match = /^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The largest figure for each `whose`, over several runs. */
export function peaks(figures: (MemoryFigure | null)[]): MemoryFigure[] {
  const byWhose = new Map<string, MemoryFigure>();
  for (const figure of figures) {
    if (!figure) continue;
    const seen = byWhose.get(figure.whose);
    if (!seen || figure.peakBytes > seen.peakBytes) byWhose.set(figure.whose, figure);
  }
  return [...byWhose.values()];
}

/** Every process of the PostgreSQL server that runs backend `backendPid`: its postmaster and the postmaster's children; none when the server is on another machine. */
export function postgresServerProcesses(backendPid: number): number[] {
  // The pid the server gave is only ours to read if that process here is a PostgreSQL one.
  if (!isPostgres(backendPid)) return [];
  const postmaster = parentOf(backendPid);
  return postmaster !== null && isPostgres(postmaster) ? processTree(postmaster) : [];
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return false;
  }
}

/** The backends serving `database` (on a shared server, the others are not ours), PSS summed and sampled. */
export function watchBackends(admin: pg.Client, database: string): MemoryWatch {
  return watchPss('PostgreSQL', async () => {
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
    return rows.map((row) => row.pid).filter(isPostgres);
  });
}
