import { describe, expect, it } from 'vitest';
import { composeCron, composeMoment, editionWindow, nextComposeAt, parseIsoWeek, weekDueAt, weekInProgress } from '../../src/week.js';

const seoul = { day: 'monday', time: '07:00', timezone: 'Asia/Seoul' } as const;
const london = { day: 'sunday', time: '09:30', timezone: 'Europe/London' } as const;

describe('Edition weeks', () => {
  it('places the compose moment at the local weekday and time of the ISO week', () => {
    // 2026-W47 runs Monday 16 to Sunday 22 November; 07:00 in Seoul is 22:00 UTC the day before.
    expect(composeMoment('2026-W47', seoul).toISOString()).toBe('2026-11-15T22:00:00.000Z');
    expect(composeMoment('2026-W47', london).toISOString()).toBe('2026-11-22T09:30:00.000Z');
    // ISO week 1 of 2027 starts on Monday 4 January.
    expect(composeMoment('2027-W01', { ...seoul, timezone: 'UTC' }).toISOString()).toBe('2027-01-04T07:00:00.000Z');
  });

  it('keeps the local time across a daylight-saving change: that window is 169 hours long', () => {
    // London leaves summer time on Sunday 25 October 2026.
    const window = editionWindow('2026-W44', { day: 'monday', time: '09:00', timezone: 'Europe/London' });
    expect(window.start.toISOString()).toBe('2026-10-19T08:00:00.000Z');
    expect(window.end.toISOString()).toBe('2026-10-26T09:00:00.000Z');
    expect((window.end.getTime() - window.start.getTime()) / 3_600_000).toBe(169);
  });

  it('knows which Edition is due and which is filling up', () => {
    const justAfter = new Date('2026-11-15T22:00:00Z');
    expect(weekDueAt(justAfter, seoul)).toBe('2026-W47');
    expect(weekDueAt(new Date(justAfter.getTime() - 1), seoul)).toBe('2026-W46');
    expect(nextComposeAt(justAfter, seoul).toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(weekInProgress(justAfter, seoul)).toBe('2026-W48');
    // The week in progress ends at the next compose moment, so what is seen now is inside its window.
    const window = editionWindow(weekInProgress(justAfter, seoul), seoul);
    expect(window.start.getTime()).toBeLessThanOrEqual(justAfter.getTime());
    expect(window.end.getTime()).toBeGreaterThan(justAfter.getTime());
  });

  it('writes the schedule as a cron pattern for the job scheduler', () => {
    expect(composeCron(seoul)).toBe('0 7 * * 1');
    expect(composeCron(london)).toBe('30 9 * * 0');
  });

  it('refuses what is not an ISO week, naming it', () => {
    expect(parseIsoWeek('2026-W53')).toEqual({ weekYear: 2026, weekNumber: 53 });
    expect(() => parseIsoWeek('2027-W53')).toThrow('week "2027-W53": expected an ISO week such as 2026-W47');
    expect(() => parseIsoWeek('2026-47')).toThrow('week "2026-47"');
  });
});
