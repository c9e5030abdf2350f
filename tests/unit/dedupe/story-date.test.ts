import { describe, expect, it } from 'vitest';
import { earliestPublication, isoDate, monthStart, readPublicationDate } from '../../../src/dedupe/story-date.js';

const moment = (iso: string) => ({ publishedAt: new Date(iso), archiveMonth: null });
const month = (value: string) => ({ publishedAt: null, archiveMonth: value });
const unknown = { publishedAt: null, archiveMonth: null };

describe('earliestPublication', () => {
  it('is unknown when no Item gives a date (never "now", never when it was read)', () => {
    expect(earliestPublication([])).toBeNull();
    expect(earliestPublication([unknown, unknown])).toBeNull();
  });

  it('is the earliest moment any Item gives, whichever Item that is', () => {
    const date = earliestPublication([moment('2017-12-20T09:00:00Z'), unknown, moment('2017-12-06T23:50:00Z'), moment('2018-01-02T00:00:00Z')]);
    expect(date).toEqual({ at: new Date('2017-12-06T23:50:00Z'), precision: 'time' });
  });

  it('keeps a month a month: April 2016, not 1 April', () => {
    expect(earliestPublication([month('2016-04'), unknown])).toEqual({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' });
    expect(earliestPublication([month('2020-01'), month('2016-04')])).toEqual({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' });
  });

  it('takes a moment in an earlier month over a later month, and a month over a moment in a later month', () => {
    expect(earliestPublication([month('2016-04'), moment('2016-03-30T12:00:00Z')])).toEqual({ at: new Date('2016-03-30T12:00:00Z'), precision: 'time' });
    expect(earliestPublication([moment('2016-05-02T12:00:00Z'), month('2016-04')])).toEqual({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' });
  });

  it('takes the month over a moment inside it: the month-dated Item may be from any earlier day of it', () => {
    const expected = { at: new Date('2016-04-01T00:00:00Z'), precision: 'month' };
    expect(earliestPublication([moment('2016-04-15T08:00:00Z'), month('2016-04')])).toEqual(expected);
    expect(earliestPublication([month('2016-04'), moment('2016-04-01T00:00:00Z')])).toEqual(expected);
    // One Item with both (a feed date and a monthly page): the same rule.
    expect(earliestPublication([{ publishedAt: new Date('2016-04-15T08:00:00Z'), archiveMonth: '2016-04' }])).toEqual(expected);
  });

  it('ignores what is not a date: an unreadable moment, a month that is not YYYY-MM', () => {
    expect(earliestPublication([{ publishedAt: new Date('nope'), archiveMonth: '2016-13' }, month('April 2016')])).toBeNull();
  });
});

describe('monthStart, isoDate, readPublicationDate', () => {
  it('reads months and writes dates as precisely as they are known', () => {
    expect(monthStart('2016-04')).toEqual(new Date('2016-04-01T00:00:00Z'));
    expect(monthStart('2016-4')).toBeNull();
    expect(monthStart(null)).toBeNull();
    expect(isoDate({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' })).toBe('2016-04');
    expect(isoDate({ at: new Date('2017-12-06T23:50:00Z'), precision: 'time' })).toBe('2017-12-06');
    expect(isoDate(null)).toBeNull();
  });

  it('reads back a date stored as JSON, and nothing else', () => {
    const stored = JSON.parse(JSON.stringify({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' }));
    expect(readPublicationDate(stored)).toEqual({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' });
    expect(readPublicationDate({ at: '2016-04-01T00:00:00+00:00', precision: 'time' })).toEqual({ at: new Date('2016-04-01T00:00:00Z'), precision: 'time' });
    expect(readPublicationDate(null)).toBeNull();
    expect(readPublicationDate(undefined)).toBeNull();
    expect(readPublicationDate({ at: 'soon', precision: 'time' })).toBeNull();
    expect(readPublicationDate({ at: '2016-04-01T00:00:00Z', precision: 'day' })).toBeNull();
  });
});
