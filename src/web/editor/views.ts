/**
 * The editor pages' HTML: eta templates in templates/editor/, every value
 * escaped unless a template asks otherwise (autoEscape, eta's default), each
 * page inside layout.eta. The stylesheet and the little script are files of
 * their own, so the pages' Content-Security-Policy can forbid inline script.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFile } from '../../project-files.js';
import { Eta } from 'eta';
import { isoDate, type PublicationDate } from '../../dedupe/story-date.js';

const TEMPLATES = projectFile('templates', 'editor');

const eta = new Eta({ views: TEMPLATES, autoEscape: true, cache: true });

/**
 * Formatting the templates share. Times are shown in the editors' zone (the
 * compose schedule's, `schedule.compose.timezone`) with its name, so a time on
 * a page and the time an editor types into "send at" mean the same clock.
 */
export function formatIn(timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const field = (date: Date, type: Intl.DateTimeFormatPartTypes) => parts.formatToParts(date).find((part) => part.type === type)?.value ?? '';
  return {
    timeZone,
    /** A day in the editors' zone: `Mon 7 Dec 2026`. */
    day: (date: Date | string | null) => {
      if (!date) return '–';
      const d = new Date(date);
      return `${field(d, 'weekday')} ${field(d, 'day')} ${field(d, 'month')} ${field(d, 'year')}`;
    },
    /** A Story's publication date: `2016-04-15`, `2016-04` when only the month is known, `–` when unknown (never when it was read). */
    published: (date: PublicationDate | null) => isoDate(date) ?? '–',
    /** A moment in the editors' zone with the zone named: `Mon 7 Dec 2026 13:05 GMT`. */
    time: (date: Date | string | null) => {
      if (!date) return '–';
      const d = new Date(date);
      return `${field(d, 'weekday')} ${field(d, 'day')} ${field(d, 'month')} ${field(d, 'year')} ${field(d, 'hour')}:${field(d, 'minute')} ${field(d, 'timeZoneName')}`;
    },
    plural: (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`,
    /** A link from a Source as an href: http(s) only, so no `javascript:` address reaches a page. */
    href: (url: string) => (/^https?:\/\//i.test(url) ? url : '#'),
  };
}

export type Format = ReturnType<typeof formatIn>;

/** Renders templates/editor/<name>.eta with the data and `format` in the editors' time zone. */
export function renderTemplate(name: string, data: Record<string, unknown>, timeZone: string): string {
  return eta.render(`./${name}`, { ...data, format: formatIn(timeZone) });
}

/** The static files the pages load, read once: name -> [media type, body]. */
export const ASSETS: Record<string, { type: string; body: string }> = Object.fromEntries(
  [
    ['editor.css', 'text/css; charset=utf-8'],
    ['editor.js', 'text/javascript; charset=utf-8'],
    ['edition.js', 'text/javascript; charset=utf-8'],
  ].map(([name, type]) => [name!, { type: type!, body: readFileSync(path.join(TEMPLATES, 'assets', name!), 'utf8') }]),
);
