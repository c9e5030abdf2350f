/**
 * When a Story was published, as far as its Items say, and never more precisely
 * than they say it. An Item knows a moment (a feed's date, a WordPress export's
 * post date) or only a month (the `Monthly Archives: April 2016` page it was
 * filed under), or nothing (a category page): when it was read is not when it
 * was published, so it is never used as a publication date.
 */
import type { Item } from '../ingest/item.js';

export interface PublicationDate {
  /** The moment; for a month, its first instant (UTC), which orders it among moments. */
  at: Date;
  /** `time`: known to the second; `month`: only the month is known, and no day may be shown. */
  precision: 'time' | 'month';
}

export type ItemDates = Pick<Item, 'publishedAt' | 'archiveMonth'>;

/** `2016-04` -> 2016-04-01T00:00Z; null for anything that is not a month. */
export function monthStart(month: string | null): Date | null {
  const m = month === null ? null : /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : null;
}

/**
 * The earliest publication date known for any of the Items; null when none is
 * known. A month is a span: it is earlier than a moment when it starts before
 * it, so a month and a moment inside it give the month (the earliest member may
 * be from any day of it: "April 2016" is true, "15 Apr 2016" may not be).
 */
export function earliestPublication(items: Iterable<ItemDates>): PublicationDate | null {
  let earliest: PublicationDate | null = null;
  for (const item of items) {
    const moment = item.publishedAt && !Number.isNaN(item.publishedAt.getTime()) ? item.publishedAt : null;
    const month = monthStart(item.archiveMonth);
    for (const candidate of [
      moment && { at: moment, precision: 'time' as const },
      month && { at: month, precision: 'month' as const },
    ]) {
      if (candidate === null) continue;
      const at = candidate.at.getTime();
      const best = earliest?.at.getTime();
      if (best === undefined || at < best || (at === best && candidate.precision === 'month')) earliest = candidate;
    }
  }
  return earliest;
}

/** A stored PublicationDate (JSON gives its moment back as a string); null when absent or unreadable. */
export function readPublicationDate(value: unknown): PublicationDate | null {
  if (typeof value !== 'object' || value === null) return null;
  const { at, precision } = value as { at?: unknown; precision?: unknown };
  const date = typeof at === 'string' || at instanceof Date ? new Date(at) : null;
  if (date === null || Number.isNaN(date.getTime()) || (precision !== 'time' && precision !== 'month')) return null;
  return { at: date, precision };
}

/** `2016-04-15` (UTC), or `2016-04` when only the month is known (ISO 8601's reduced precision); null when unknown. */
export function isoDate(date: PublicationDate | null): string | null {
  if (date === null) return null;
  return date.at.toISOString().slice(0, date.precision === 'month' ? 7 : 10);
}
