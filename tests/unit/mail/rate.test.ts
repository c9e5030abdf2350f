import { describe, expect, it } from 'vitest';
import { AdaptiveRate, type Clock } from '../../../src/mail/rate.js';

/** A clock that only moves when something sleeps. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

async function timeFor(rate: AdaptiveRate, clock: Clock, messages: number): Promise<number> {
  const start = clock.now();
  for (let i = 0; i < messages; i += 1) await rate.take();
  return clock.now() - start;
}

describe('AdaptiveRate', () => {
  it('lets ratePerSecond messages through per second, in small bursts', async () => {
    const clock = fakeClock();
    const rate = new AdaptiveRate(20, clock);
    const ms = await timeFor(rate, clock, 201);
    expect(ms).toBeGreaterThanOrEqual(9_900);
    expect(ms).toBeLessThanOrEqual(10_100);
  });

  it('halves on a deferral (once per second however many arrive together), holds for the wait named, and recovers gradually', async () => {
    const clock = fakeClock();
    const rate = new AdaptiveRate(100, clock);
    rate.slowDown(null);
    rate.slowDown(null);
    rate.slowDown(30_000);
    expect(rate.stats()).toMatchObject({ rate: 50, lowest: 50, slowdowns: 1, max: 100 });
    const waited = await timeFor(rate, clock, 1);
    expect(waited).toBeGreaterThanOrEqual(30_000);
    for (let i = 0; i < 10; i += 1) rate.speedUp();
    expect(rate.stats().rate).toBe(70);
    for (let i = 0; i < 100; i += 1) rate.speedUp();
    expect(rate.stats().rate).toBe(100);
    expect(rate.stats().lowest).toBe(50);
  });

  it('never goes below a floor, and refuses a rate of 0', () => {
    const clock = fakeClock();
    const rate = new AdaptiveRate(64, clock);
    for (let i = 0; i < 20; i += 1) {
      rate.slowDown();
      clock.now = ((t) => () => t)(clock.now() + 1_000);
    }
    expect(rate.stats().rate).toBe(1);
    expect(() => new AdaptiveRate(0)).toThrow('mail: rate: expected messages per second above 0, got 0');
  });
});
