import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostPoliteness, maxAgeSeconds, parseHttpDate, retryAfterSeconds } from '../../../../src/ingest/fetch/politeness.js';

interface Span {
  name: string;
  start: number;
  end: number;
}

/** Fake timers: Date.now() moves only when the test advances it, so every gap is exact. */
describe('HostPoliteness', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A task that takes `ms` and records when it ran. */
  const task = (spans: Span[], name: string, ms: number, fail = false) => async () => {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    spans.push({ name, start, end: Date.now() });
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
  const overlap = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

  it('runs one task at a time per host, in order, with the gap between end and next start', async () => {
    const polite = new HostPoliteness({ minGapMs: 100 });
    const spans: Span[] = [];
    const results = Promise.all([
      polite.run('a.example', task(spans, 'a1', 30)),
      polite.run('a.example', task(spans, 'a2', 10)),
      polite.run('A.EXAMPLE', task(spans, 'a3', 5)),
    ]);
    await vi.runAllTimersAsync();
    expect(await results).toEqual(['a1', 'a2', 'a3']);
    expect(spans.map((s) => s.name)).toEqual(['a1', 'a2', 'a3']);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.start - spans[i - 1]!.end).toBeGreaterThanOrEqual(100);
    }
    expect(spans[0]!.start).toBe(0); // the first task does not wait
  });

  it('runs different hosts in parallel', async () => {
    const polite = new HostPoliteness({ minGapMs: 100 });
    const spans: Span[] = [];
    const results = Promise.all([polite.run('a.example', task(spans, 'a', 50)), polite.run('b.example', task(spans, 'b', 50))]);
    await vi.runAllTimersAsync();
    await results;
    const [a, b] = [spans.find((s) => s.name === 'a')!, spans.find((s) => s.name === 'b')!];
    expect(overlap(a, b)).toBe(true);
  });

  it('keeps the gap after a failed task, and passes its error on', async () => {
    const polite = new HostPoliteness({ minGapMs: 100 });
    const spans: Span[] = [];
    const first = polite.run('a.example', task(spans, 'bad', 10, true));
    const second = polite.run('a.example', task(spans, 'good', 10));
    const firstSettled = first.catch((error: Error) => error.message);
    await vi.runAllTimersAsync();
    expect(await firstSettled).toBe('bad failed');
    expect(await second).toBe('good');
    expect(spans[1]!.start - spans[0]!.end).toBeGreaterThanOrEqual(100);
  });

  it('makes a later request wait out the gap even when the host is idle', async () => {
    const polite = new HostPoliteness({ minGapMs: 100 });
    const spans: Span[] = [];
    const first = polite.run('a.example', task(spans, 'one', 10));
    await vi.advanceTimersByTimeAsync(40); // 'one' ended at 10; the host is idle
    const second = polite.run('a.example', task(spans, 'two', 10));
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);
    expect(spans[1]!.start).toBe(110);
  });
});

describe('HostPoliteness with real timers', () => {
  it('never overlaps tasks on one host', async () => {
    const polite = new HostPoliteness({ minGapMs: 5 });
    const spans: Span[] = [];
    const work = (name: string) => async () => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 5));
      spans.push({ name, start, end: performance.now() });
    };
    await Promise.all(['1', '2', '3', '4'].map((name) => polite.run('a.example', work(name))));
    expect(spans.map((s) => s.name)).toEqual(['1', '2', '3', '4']);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');
  it('reads delay-seconds', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
  });
  it('reads the three HTTP-date forms (RFC 9110 5.6.7)', () => {
    expect(retryAfterSeconds('Mon, 02 Mar 2026 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Monday, 02-Mar-26 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Mon Mar  2 10:01:30 2026', new Date(now))).toBe(90);
  });
  it('gives 0 for a date in the past and null for nonsense', () => {
    expect(retryAfterSeconds('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds('-5', now)).toBeNull();
    expect(retryAfterSeconds(undefined, now)).toBeNull();
    expect(parseHttpDate('not a date')).toBeNull();
  });
});

describe('maxAgeSeconds', () => {
  it('reads max-age among other directives (RFC 9111 5.2.2.1)', () => {
    expect(maxAgeSeconds('public, max-age=600')).toBe(600);
    expect(maxAgeSeconds('MAX-AGE="60", s-maxage=10')).toBe(60);
    expect(maxAgeSeconds('s-maxage=10')).toBeNull();
    expect(maxAgeSeconds('max-age=abc')).toBeNull();
    expect(maxAgeSeconds(undefined)).toBeNull();
  });
});
