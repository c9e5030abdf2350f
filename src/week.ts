/**
 * The weekly rhythm of Editions: ISO weeks (`2026-W47`) and the moment each
 * week's Edition is composed (a weekday and local time in the editors' time
 * zone). The Edition of a week holds what was first seen in the seven days
 * before its compose moment. Local time is kept across daylight-saving changes
 * (luxon does the zone arithmetic), so such a window is 167 or 169 hours long.
 */
import { DateTime, IANAZone, type WeekdayNumbers } from 'luxon';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ComposeSchedule {
  day: Weekday;
  /** HH:MM, 24-hour, local to `timezone`. */
  time: string;
  /** IANA time zone, e.g. Europe/London. */
  timezone: string;
}

export interface EditionWindow {
  week: string;
  /** Inclusive. */
  start: Date;
  /** Exclusive: the compose moment. */
  end: Date;
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** `2026-W47` -> its week-year and number; an error naming the text when it is no ISO week. */
export function parseIsoWeek(text: string): { weekYear: number; weekNumber: number } {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  const weekYear = Number(match?.[1]);
  const weekNumber = Number(match?.[2]);
  if (!match || !DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: 'UTC' }).isValid) {
    throw new RangeError(`week "${text}": expected an ISO week such as 2026-W47`);
  }
  return { weekYear, weekNumber };
}

/** The moment the Edition of `week` is composed. */
export function composeMoment(week: string, schedule: ComposeSchedule): Date {
  const { weekYear, weekNumber } = parseIsoWeek(week);
  const [hour, minute] = schedule.time.split(':').map(Number);
  const local = DateTime.fromObject(
    { weekYear, weekNumber, weekday: (WEEKDAYS.indexOf(schedule.day) + 1) as WeekdayNumbers, hour, minute },
    { zone: schedule.timezone },
  );
  return local.toJSDate();
}

/** The week whose compose moment is the latest at or before `at`: the Edition due at that time. */
export function weekDueAt(at: Date, schedule: ComposeSchedule): string {
  const local = DateTime.fromJSDate(at, { zone: schedule.timezone });
  const week = isoWeek(local);
  return composeMoment(week, schedule) <= at ? week : isoWeek(local.minus({ weeks: 1 }));
}

/** The first compose moment after `at`: when the Edition now filling up is composed. */
export function nextComposeAt(at: Date, schedule: ComposeSchedule): Date {
  const due = composeMoment(weekDueAt(at, schedule), schedule);
  const next = isoWeek(DateTime.fromJSDate(due, { zone: schedule.timezone }).plus({ weeks: 1 }));
  return composeMoment(next, schedule);
}

/** The week of the Edition now filling up: the one composed at the next compose moment. */
export function weekInProgress(at: Date, schedule: ComposeSchedule): string {
  return isoWeek(DateTime.fromJSDate(nextComposeAt(at, schedule), { zone: schedule.timezone }));
}

export function editionWindow(week: string, schedule: ComposeSchedule): EditionWindow {
  const end = composeMoment(week, schedule);
  const before = isoWeek(DateTime.fromJSDate(end, { zone: schedule.timezone }).minus({ weeks: 1 }));
  return { week, start: composeMoment(before, schedule), end };
}

/** The cron pattern (minute hour * * weekday) BullMQ's job scheduler fires the compose job on, in `schedule.timezone`. */
export function composeCron(schedule: ComposeSchedule): string {
  const [hour, minute] = schedule.time.split(':').map(Number);
  return `${minute} ${hour} * * ${(WEEKDAYS.indexOf(schedule.day) + 1) % 7}`;
}

/** A local date and time as a form gives it (`2026-12-07T08:00`) in the editors' time zone; null when it is no such time. */
export function localTime(text: string, zone: string): Date | null {
  const local = DateTime.fromISO(text, { zone });
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) && local.isValid ? local.toJSDate() : null;
}

function isoWeek(local: DateTime): string {
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}
