/**
 * The editor pages' HTML: eta templates in templates/editor/, every value
 * escaped unless a template asks otherwise (autoEscape, eta's default), each
 * page inside layout.eta. The stylesheet and the little script are files of
 * their own, so the pages' Content-Security-Policy can forbid inline script.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { isoDate, type PublicationDate } from '../../dedupe/story-date.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/editor/', import.meta.url));

const eta = new Eta({ views: TEMPLATES, autoEscape: true, cache: true });

const pad = (n: number) => String(n).padStart(2, '0');

/** Formatting the templates share: dates in UTC, as the CLI prints them. */
export const format = {
  day: (date: Date | string | null) => (date ? new Date(date).toISOString().slice(0, 10) : '–'),
  /** A Story's publication date: `2016-04-15`, `2016-04` when only the month is known, `–` when unknown (never when it was read). */
  published: (date: PublicationDate | null) => isoDate(date) ?? '–',
  time: (date: Date | string | null) => {
    if (!date) return '–';
    const d = new Date(date);
    return `${d.toISOString().slice(0, 10)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  },
  plural: (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`,
  /** A link from a Source as an href: http(s) only, so no `javascript:` address reaches a page. */
  href: (url: string) => (/^https?:\/\//i.test(url) ? url : '#'),
};

/** Renders templates/editor/<name>.eta with the data (and `format`). */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  return eta.render(`./${name}`, { ...data, format });
}

/** The static files the pages load, read once: name -> [media type, body]. */
export const ASSETS: Record<string, { type: string; body: string }> = Object.fromEntries(
  [
    ['editor.css', 'text/css; charset=utf-8'],
    ['editor.js', 'text/javascript; charset=utf-8'],
  ].map(([name, type]) => [name!, { type: type!, body: readFileSync(`${TEMPLATES}assets/${name}`, 'utf8') }]),
);
