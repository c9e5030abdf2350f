/**
 * Run a measurement several times, keep the median, the range and the peak
 * memory: the one way every row of the bench is measured. Each run returns its
 * own figure (a rate or a time), timed by the caller so that setup a user would
 * not wait for (creating a database, starting workers) stays outside it.
 */
import { collectGarbage, peaks, watchBenchProcess, type MemoryFigure, type MemoryWatch } from './memory.js';

/** One run's figure, and the peak memory of processes the run started and ended itself. */
export type RunResult = number | { value: number; memory?: (MemoryFigure | null)[] };

export interface Measured {
  values: number[];
  median: number;
  min: number;
  max: number;
  memory: MemoryFigure[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value at `p` percent of the sorted values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(values: number[], memory: MemoryFigure[] = []): Measured {
  return { values, median: median(values), min: Math.min(...values), max: Math.max(...values), memory };
}

/** Seconds `work` took, and what it returned. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

export interface RunsOptions {
  runs: number;
  once: (run: number) => RunResult | Promise<RunResult>;
  /**
   * Before the timed runs: by default one run of `once`, untimed (compiled code,
   * caches); a lighter function of its own, or false when every run starts cold
   * anyway (a fresh database, new processes).
   */
  warmUp?: false | (() => unknown);
  /**
   * Collect garbage before each run (the default), so no run pays for the one
   * before; false for steady-state throughput of work a process repeats.
   */
  freshHeap?: boolean;
  /** Memory watched over the warm-up and all runs; this process by default. */
  watches?: () => MemoryWatch[];
}

export async function measureRuns(options: RunsOptions): Promise<Measured> {
  const watches = (options.watches ?? (() => [watchBenchProcess()]))();
  const figures: (MemoryFigure | null)[] = [];
  const values: number[] = [];
  try {
    if (options.warmUp === undefined) await options.once(-1);
    else if (options.warmUp) await options.warmUp();
    for (let run = 0; run < options.runs; run += 1) {
      // Each run starts with a collected heap: no run pays for the garbage of the one before.
      if (options.freshHeap !== false) collectGarbage();
      const result = await options.once(run);
      if (typeof result === 'number') values.push(result);
      else {
        values.push(result.value);
        figures.push(...(result.memory ?? []));
      }
    }
  } finally {
    figures.push(...watches.map((watch) => watch.stop()));
  }
  return summarize(values, peaks(figures));
}
