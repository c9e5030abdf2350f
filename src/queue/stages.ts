/**
 * Where a job's time goes: milliseconds in each step of the pipeline, returned
 * with the job's result so that the metrics (`newsdesk_stage_seconds_total`)
 * and the queue bench can show the bottleneck. A job's time not in any of its
 * steps is the queue's own overhead (BullMQ's bookkeeping, waiting for a lock).
 */

/** The pipeline's steps as DESIGN.md names them, and `queue` for adding the next job. */
export const STAGES = ['fetch', 'parse', 'store', 'dedupe', 'tag', 'publish', 'queue'] as const;
export type Stage = (typeof STAGES)[number];

export type StageTimes = Partial<Record<Stage, number>>;

export interface StageClock {
  /** Milliseconds so far, by step. */
  readonly times: StageTimes;
  /** Runs `work`, adding its time to `stage` (also when it throws). */
  time<T>(stage: Stage, work: () => Promise<T>): Promise<T>;
  /** Adds time measured elsewhere (a fetch's own elapsed time). */
  add(stage: Stage, ms: number): void;
}

export function stageClock(): StageClock {
  const times: StageTimes = {};
  const add = (stage: Stage, ms: number) => {
    times[stage] = (times[stage] ?? 0) + ms;
  };
  return {
    times,
    add,
    async time(stage, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        add(stage, performance.now() - started);
      }
    },
  };
}
