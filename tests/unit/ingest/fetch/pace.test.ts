import { describe, expect, it } from 'vitest';
import { healthAfterFetch } from '../../../../src/ingest/fetch/health.js';
import { pacedMinutes } from '../../../../src/ingest/fetch/pace.js';

const settings = { everyMinutes: 60, maxIdleMinutes: 1440 };

describe('pacedMinutes', () => {
  it('reads a Source about once per post it makes', () => {
    // 28 posts a week: one every 6 hours.
    expect(pacedMinutes(28, settings)).toBe(360);
    expect(pacedMinutes(14, settings)).toBe(720);
  });

  it('never reads faster than the configured interval, nor slower than the idle limit', () => {
    expect(pacedMinutes(1000, settings)).toBe(60);
    expect(pacedMinutes(2, settings)).toBe(1440);
    expect(pacedMinutes(0, settings)).toBe(1440);
    // An interval configured above the idle limit wins: editors asked for that pace.
    expect(pacedMinutes(0, { everyMinutes: 2880, maxIdleMinutes: 1440 })).toBe(2880);
  });
});

describe('healthAfterFetch with a paced interval', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const minutesUntil = (date: Date) => (date.getTime() - now.getTime()) / 60_000;
  const fetched = { waitSeconds: null, ttlMinutes: null };

  it('waits the paced interval after a success', () => {
    const after = healthAfterFetch({ errorStreak: 0, lastSuccessAt: null }, { status: 'ok', ...fetched }, now, { everyMinutes: 60, pacedMinutes: 720, maxBackoffMinutes: 1440 });
    expect(minutesUntil(after.nextFetchAt)).toBe(720);
  });

  it('backs off from the configured interval after a failure, however quiet the Source', () => {
    const after = healthAfterFetch({ errorStreak: 0, lastSuccessAt: null }, { status: 'timeout', ...fetched }, now, { everyMinutes: 60, pacedMinutes: 1440, maxBackoffMinutes: 1440 });
    expect(minutesUntil(after.nextFetchAt)).toBe(60);
  });
});
