import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../../src/ingest/feed/dates.js';

const iso = (text: string): string | null => parseFeedDate(text)?.toISOString() ?? null;

describe('parseFeedDate', () => {
  it.each([
    ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'], // RFC 822 / 1123
    ['Sat, 15 Feb 2026 12:00:00 +0000', '2026-02-15T12:00:00.000Z'],
    ['Wed, 02 Oct 2002 08:00:00 EST', '2002-10-02T13:00:00.000Z'],
    ['Wed, 02 Oct 2002 15:00:00 +0900', '2002-10-02T06:00:00.000Z'],
    ['Thu, 01 Jan 04 19:48:21 +0100', '2004-01-01T18:48:21.000Z'], // two-digit year
    ['Mon, 2 Jun 2008 16:47:33 +0200 (CEST)', '2008-06-02T14:47:33.000Z'], // comment
    ['Fri, 17 Jul 2015 11:29:42 +0000 GMT', '2015-07-17T11:29:42.000Z'], // two zones
    ['Tue, 10 Jun 2003 04:00:00 GMT-0700', '2003-06-10T11:00:00.000Z'],
    ['01 Jan 2004 19:48', '2004-01-01T19:48:00.000Z'], // no day name, no seconds, no zone
    ['Thursday, January 1, 2004 7:48 PM EST', '2004-01-02T00:48:00.000Z'],
    ['Monday, 03-Jan-2005 10:00:00 UTC', '2005-01-03T10:00:00.000Z'],
    ['Thu Jan  1 19:48:21 2004', '2004-01-01T19:48:21.000Z'], // asctime
    ['Thu Jan 01 19:48:21 GMT 2004', '2004-01-01T19:48:21.000Z'], // Java Date.toString
    ['12 Sept 2005', '2005-09-12T00:00:00.000Z'],
    ['01.01.2004 19:48', '2004-01-01T19:48:00.000Z'],
    ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55.000Z'], // RFC 3339
    ['2003-12-31T10:14:55.123+01:00', '2003-12-31T09:14:55.123Z'],
    ['2003-12-31T10:14:55-05', '2003-12-31T15:14:55.000Z'],
    ['2003-12-31 10:14:55', '2003-12-31T10:14:55.000Z'], // space, no zone: UTC
    ['2015-07-17 11:29:42 KST', '2015-07-17T02:29:42.000Z'],
    ['20031231T101455Z', '2003-12-31T10:14:55.000Z'], // ISO 8601 basic
    ['2003-12', '2003-12-01T00:00:00.000Z'], // W3C-DTF reduced precision
    ['2003', '2003-01-01T00:00:00.000Z'],
    ['2004-02-29T24:00:00Z', '2004-03-01T00:00:00.000Z'],
    ['2004년 05월 28일 01:31:15 PM', '2004-05-28T04:31:15.000Z'], // Korean sites, Korean time
    ['2004-05-25 오후 11:23:17', '2004-05-25T14:23:17.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['not a date'],
    ['Sun, 31 Feb 2004 10:00:00 GMT'], // no such day
    ['2004-13-01'],
    ['0001-01-01T00:00:00Z'], // placeholder
    ['Sat, 01 Jan 2000 25:00:00 GMT'],
    ['ΣΑΒ, 29 ΜΑΪ 2004 12:53:00 GMT'],
    ['01 Jan 2004 10:00 constructor'], // not Object's constructor taken for a zone
  ])('%j → null, never "now"', (text) => {
    expect(parseFeedDate(text)).toBeNull();
  });

  it('returns null for null', () => {
    expect(parseFeedDate(null)).toBeNull();
  });
});
