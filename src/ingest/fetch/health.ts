/**
 * Source health: after each fetch, how the Source is doing and when to read it
 * next. Failures back off exponentially up to a cap, but a Source is never
 * disabled silently: one failing for long is marked `failing` and still tried.
 */
import type { FetchStatus } from './fetch-outcome.js';

export type SourceState = 'new' | 'ok' | 'retrying' | 'failing';

export interface HealthBefore {
  errorStreak: number;
  lastSuccessAt: Date | null;
}

export interface FetchResult {
  status: FetchStatus;
  /** Seconds the server asked for (max-age on success, Retry-After on 429/503). */
  waitSeconds: number | null;
  /** The feed's own `<ttl>`, in minutes. */
  ttlMinutes: number | null;
}

export interface HealthSettings {
  /** The Source's normal interval: failures back off from it. */
  everyMinutes: number;
  /** After a success: the interval its posting rate asks for (src/ingest/fetch/pace.ts); default everyMinutes. */
  pacedMinutes?: number;
  /** Longest wait between tries of a failing Source. */
  maxBackoffMinutes: number;
}

export interface HealthAfter {
  state: SourceState;
  errorStreak: number;
  nextFetchAt: Date;
}

/** A Source failing this many times in a row, or for a day with no success, is shown as failing. */
const failingAfterStreak = 5;
const failingAfterMs = 24 * 60 * 60 * 1000;
/** A server's max-age or ttl may slow us down, not to less than once a day. */
const maxPoliteWaitMinutes = 24 * 60;

export function isSuccess(status: FetchStatus): boolean {
  return status === 'ok' || status === 'not-modified';
}

export function healthAfterFetch(before: HealthBefore, result: FetchResult, now: Date, settings: HealthSettings): HealthAfter {
  const requestedMinutes = (result.waitSeconds ?? 0) / 60;
  if (isSuccess(result.status)) {
    // Publishers ask for a pace (RSS <ttl>, Cache-Control max-age): never poll faster than asked.
    const minutes = Math.max(settings.pacedMinutes ?? settings.everyMinutes, Math.min(maxPoliteWaitMinutes, Math.max(requestedMinutes, result.ttlMinutes ?? 0)));
    return { state: 'ok', errorStreak: 0, nextFetchAt: addMinutes(now, minutes) };
  }
  const errorStreak = before.errorStreak + 1;
  // 1, 2, 4, 8 ... times the interval, capped; a Retry-After is honoured even beyond the cap.
  const backoff = Math.min(settings.maxBackoffMinutes, settings.everyMinutes * 2 ** (errorStreak - 1));
  const minutes = Math.max(backoff, requestedMinutes);
  const failing =
    errorStreak >= failingAfterStreak ||
    (before.lastSuccessAt !== null && now.getTime() - before.lastSuccessAt.getTime() >= failingAfterMs);
  return { state: failing ? 'failing' : 'retrying', errorStreak, nextFetchAt: addMinutes(now, minutes) };
}

function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + Math.round(minutes * 60_000));
}
