import { describe, expect, it } from 'vitest';
import { formatIn } from '../../../src/web/editor/views.js';

describe("the editor pages' times", () => {
  const moment = new Date('2026-07-06T06:30:00Z');

  it('are shown in the editors’ zone, with the zone named', () => {
    expect(formatIn('Europe/London').time(moment)).toBe('Mon 6 Jul 2026 07:30 BST');
    expect(formatIn('Asia/Seoul').time(moment)).toBe('Mon 6 Jul 2026 15:30 GMT+9');
    expect(formatIn('UTC').time(moment)).toBe('Mon 6 Jul 2026 06:30 UTC');
  });

  it('give the day in that zone, which may not be the UTC day', () => {
    const lateUtc = new Date('2026-12-06T23:30:00Z');
    expect(formatIn('UTC').day(lateUtc)).toBe('Sun 6 Dec 2026');
    expect(formatIn('Asia/Seoul').day(lateUtc)).toBe('Mon 7 Dec 2026');
  });

  it('say so when there is no time', () => {
    expect(formatIn('UTC').time(null)).toBe('–');
  });
});
