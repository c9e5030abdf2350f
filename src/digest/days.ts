/**
 * Days in words for readers, in the editors' zone (schedule.compose.timezone).
 *
 * The days an Edition covers: "30 November – 6 December 2026". Its window
 * runs from one compose moment to the next (src/week.ts), say Monday 07:00 to
 * Monday 07:00, which touches eight calendar days; readers think of a week as
 * seven. So the seven days start on the day the window mostly starts: its
 * first day, or the next when it opens in the afternoon or later (a Sunday
 * 23:00 compose covers Monday to Sunday).
 */
import { DateTime } from 'luxon';

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The first and last day (in `zone`) of the week the window stands for. */
export function weekDays(windowStart: Date, zone: string): { first: DateTime; last: DateTime } {
  const start = DateTime.fromJSDate(windowStart, { zone });
  const first = (start.hour >= 12 ? start.plus({ days: 1 }) : start).startOf('day');
  return { first, last: first.plus({ days: 6 }) };
}

/**
 * `23–29 November 2026`, `30 November – 6 December 2026`, `28 December 2026 – 3 January 2027`:
 * each part said once, the en dash spaced when either side has spaces in it.
 */
export function weekInWords(windowStart: Date, zone: string): string {
  const { first, last } = weekDays(windowStart, zone);
  const day = (d: DateTime) => String(d.day);
  const month = (d: DateTime) => MONTHS[d.month - 1]!;
  if (first.year !== last.year) return `${day(first)} ${month(first)} ${first.year} – ${day(last)} ${month(last)} ${last.year}`;
  if (first.month !== last.month) return `${day(first)} ${month(first)} – ${day(last)} ${month(last)} ${last.year}`;
  return `${day(first)}–${day(last)} ${month(last)} ${last.year}`;
}

/** The day a moment falls on in `zone`, as the email writes dates: `14 Dec 2026`. */
export function dayIn(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  return `${local.day} ${SHORT_MONTHS[local.month - 1]} ${local.year}`;
}
