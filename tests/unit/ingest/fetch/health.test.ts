import { describe, expect, it } from 'vitest';
import { healthAfterFetch } from '../../../../src/ingest/fetch/health.js';

const now = new Date('2026-11-23T12:00:00Z');
const settings = { everyMinutes: 60, maxBackoffMinutes: 24 * 60 };
const minutesUntil = (date: Date) => (date.getTime() - now.getTime()) / 60_000;
const result = (status: Parameters<typeof healthAfterFetch>[1]['status'], extra: { waitSeconds?: number; ttlMinutes?: number } = {}) => ({
  status,
  waitSeconds: extra.waitSeconds ?? null,
  ttlMinutes: extra.ttlMinutes ?? null,
});

describe('healthAfterFetch', () => {
  it('reads a healthy Source again after its interval, or later if the publisher asks', () => {
    const fresh = { errorStreak: 3, lastSuccessAt: null };
    expect(healthAfterFetch(fresh, result('ok'), now, settings)).toMatchObject({ state: 'ok', errorStreak: 0 });
    expect(minutesUntil(healthAfterFetch(fresh, result('ok'), now, settings).nextFetchAt)).toBe(60);
    expect(minutesUntil(healthAfterFetch(fresh, result('not-modified', { ttlMinutes: 180 }), now, settings).nextFetchAt)).toBe(180);
    expect(minutesUntil(healthAfterFetch(fresh, result('ok', { waitSeconds: 7200 }), now, settings).nextFetchAt)).toBe(120);
    // A max-age shorter than our interval does not make us poll faster.
    expect(minutesUntil(healthAfterFetch(fresh, result('ok', { waitSeconds: 60 }), now, settings).nextFetchAt)).toBe(60);
  });

  it('backs off exponentially on failures, up to the cap', () => {
    let before = { errorStreak: 0, lastSuccessAt: now };
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const after = healthAfterFetch(before, result('http-5xx'), now, settings);
      waits.push(minutesUntil(after.nextFetchAt));
      before = { errorStreak: after.errorStreak, lastSuccessAt: now };
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1440, 1440]);
  });

  it('honours Retry-After even beyond the backoff', () => {
    const after = healthAfterFetch({ errorStreak: 0, lastSuccessAt: now }, result('rate-limited', { waitSeconds: 3 * 3600 }), now, settings);
    expect(after.state).toBe('retrying');
    expect(minutesUntil(after.nextFetchAt)).toBe(180);
  });

  it('shows a Source failing for long as failing, and keeps trying it', () => {
    const manyFailures = healthAfterFetch({ errorStreak: 4, lastSuccessAt: now }, result('timeout'), now, settings);
    expect(manyFailures).toMatchObject({ state: 'failing', errorStreak: 5 });
    const dayWithoutSuccess = healthAfterFetch(
      { errorStreak: 1, lastSuccessAt: new Date(now.getTime() - 25 * 3600_000) },
      result('dns'),
      now,
      settings,
    );
    expect(dayWithoutSuccess.state).toBe('failing');
    const gone = healthAfterFetch({ errorStreak: 20, lastSuccessAt: null }, result('gone'), now, settings);
    expect(gone.state).toBe('failing');
    expect(minutesUntil(gone.nextFetchAt)).toBe(24 * 60);
  });
});
