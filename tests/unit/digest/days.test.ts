import { describe, expect, it } from 'vitest';
import { dayIn, weekInWords } from '../../../src/digest/days.js';
import { editionWindow } from '../../../src/week.js';

const windowOf = (week: string, day: 'monday' | 'sunday', time: string, timezone: string) => editionWindow(week, { day, time, timezone });

describe('the days an Edition covers, in words', () => {
  it('names the seven days from the day its window opens: a Monday 07:00 compose covers Monday to Sunday before it', () => {
    // 2026-W50's compose moment is Monday 7 December 07:00 in Seoul: its window opened Monday 30 November.
    expect(weekInWords(windowOf('2026-W50', 'monday', '07:00', 'Asia/Seoul').start, 'Asia/Seoul')).toBe('30 November – 6 December 2026');
    expect(weekInWords(windowOf('2026-W49', 'monday', '07:00', 'Asia/Seoul').start, 'Asia/Seoul')).toBe('23–29 November 2026');
  });

  it('starts on the next day when the window opens in the afternoon or later (a Sunday 23:00 compose)', () => {
    // 2026-W50's Sunday is 13 December; its window opened Sunday 6 December 23:00.
    expect(weekInWords(windowOf('2026-W50', 'sunday', '23:00', 'Europe/London').start, 'Europe/London')).toBe('7–13 December 2026');
  });

  it('reads the day in the editors\' zone, not UTC: 07:00 in Seoul is the evening before in UTC', () => {
    const start = windowOf('2026-W50', 'monday', '07:00', 'Asia/Seoul').start;
    expect(start.toISOString()).toBe('2026-11-29T22:00:00.000Z');
    expect(weekInWords(start, 'Asia/Seoul')).toBe('30 November – 6 December 2026');
  });

  it('says both years across New Year, and keeps seven days across a change of clocks', () => {
    expect(weekInWords(windowOf('2027-W01', 'monday', '07:00', 'UTC').start, 'UTC')).toBe('28 December 2026 – 3 January 2027');
    // Europe/London goes to summer time on Sunday 29 March 2026: the window is 167 hours, the week still seven days.
    expect(weekInWords(windowOf('2026-W14', 'monday', '07:00', 'Europe/London').start, 'Europe/London')).toBe('23–29 March 2026');
  });

  it('gives the day of a moment in the zone', () => {
    expect(dayIn(new Date('2026-12-06T22:00:00Z'), 'Asia/Seoul')).toBe('7 Dec 2026');
    expect(dayIn(new Date('2026-12-06T22:00:00Z'), 'UTC')).toBe('6 Dec 2026');
  });
});
