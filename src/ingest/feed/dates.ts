/**
 * Feed dates to UTC. RSS uses RFC 822 (as amended by RFC 1123 / RFC 2822),
 * Atom and Dublin Core use RFC 3339 / W3C-DTF (a profile of ISO 8601), and real
 * feeds use broken forms of both: no day name or no comma, full month names,
 * two-digit years, zone abbreviations, no zone at all, `T` replaced by a space,
 * asctime() order, Korean `년 월 일`. A date that cannot be read is null: never
 * "now", which would make an old entry look new.
 */

/** Offsets of the zone names feeds use, in minutes east of UTC. (No prototype: a date saying `constructor` finds nothing.) */
const ZONES: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0, bst: 60, ist: 330, cet: 60, met: 60, mez: 60,
  west: 60, cest: 120, mest: 120, mesz: 120, eet: 120, eest: 180, msk: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  ast: -240, adt: -180, akst: -540, akdt: -480, hst: -600, nst: -210, ndt: -150,
  kst: 540, jst: 540, hkt: 480, sgt: 480, pht: 480, awst: 480, ict: 420, wib: 420,
  acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
});

const MONTHS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
});

const DAY_NAME = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*/;

/** Dates outside these years are placeholders (`0001-01-01`) or typos. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

export function parseFeedDate(value: string | null | undefined): Date | null {
  if (!value || value.length > 100) return null; // a date is short; anything longer is not one
  const text = value
    .replace(/\([^)]*\)/g, ' ') // RFC 822 comments: `+0200 (CEST)`
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (text === '') return null;
  return parseCommonRfc822(text) ?? parseIso(text) ?? parseKorean(text) ?? parseRfc822(text);
}

/** The form nearly every RSS feed uses, `thu, 01 jan 2004 19:48:21 gmt`, read in one step. */
const COMMON_RFC822 = /^(?:[a-z]{3}, ?)?(\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|[a-z]{1,5})$/;

function parseCommonRfc822(text: string): Date | null {
  const m = COMMON_RFC822.exec(text);
  const month = m ? MONTHS[m[2]!] : undefined;
  const offset = m ? zoneOffset(m[7]) : null;
  if (!m || month === undefined || offset === null) return null;
  return utc(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0, offset);
}

/** RFC 3339 / W3C-DTF / ISO 8601: `2003-12-31T10:14:55.5+01:00`, `20031231T101455Z`, `2003-12`, `2003-12-31 10:14 KST`. */
const ISO =
  /^(\d{4})(?:[-/]?(\d{2})(?:[-/]?(\d{2})(?:(?:t|\s)\s*(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(z|[+-]\d{2}(?::?\d{2})?|[a-z]{1,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)?)?)?)?$/;

function parseIso(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, year, month = '1', day = '1', hour = '0', minute = '0', second = '0', fraction = '', zone] = m;
  const offset = zoneOffset(zone);
  if (offset === null) return null;
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  return utc(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), ms, offset);
}

/** `2004년 05월 28일 01:31:15 PM`, `2004-05-25 오후 11:23:17`: Korean sites, Korean time. */
function parseKorean(text: string): Date | null {
  const m = /^(\d{4})(?:년|-|\.)\s*(\d{1,2})(?:월|-|\.)\s*(\d{1,2})일?\s*(오전|오후|am|pm)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(오전|오후|am|pm)?$/.exec(text);
  if (!m || !/[년오]/.test(text)) return null;
  const [, year, month, day, before, hour, minute, second = '0', after] = m;
  const half = before ?? after;
  let h = Number(hour);
  if ((half === '오후' || half === 'pm') && h < 12) h += 12;
  if ((half === '오전' || half === 'am') && h === 12) h = 0;
  return utc(Number(year), Number(month), Number(day), h, Number(minute), Number(second), 0, 540);
}

/**
 * RFC 822 and its relatives: `Thu, 01 Jan 2004 19:48:21 GMT`, `1 January 2004 19:48`,
 * `Jan 1, 2004 7:48 PM EST`, `Thu Jan  1 19:48:21 2004` (asctime), `Thu Jan 01 19:48:21 GMT 2004`
 * (Java), `01.01.2004 19:48`, `2004-01-01 19:48:21 +0100`.
 */
function parseRfc822(input: string): Date | null {
  const tokens = input.replace(DAY_NAME, '').replace(/,/g, ' ').replace(/(\d)-([a-z]+)-(\d)/, '$1 $2 $3').split(' ').filter(Boolean);
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  let time: { h: number; m: number; s: number; ms: number } | null = null;
  let offset: number | null = null;
  let half: 'am' | 'pm' | null = null;

  for (const token of tokens) {
    const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(am|pm)?$/.exec(token);
    const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(token);
    const monthName = MONTHS[token.replace(/\.$/, '').slice(0, token.startsWith('sept') ? 4 : 3)];
    if (clock && !time) {
      const [, h, m, s = '0', f = '', ampm] = clock;
      time = { h: Number(h), m: Number(m), s: Number(s), ms: f ? Math.round(Number(`0.${f}`) * 1000) : 0 };
      if (ampm === 'am' || ampm === 'pm') half = ampm;
    } else if (dotted && day === null) {
      [day, month, year] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
    } else if (token === 'am' || token === 'pm') {
      half = token;
    } else if (monthName !== undefined && month === null && /^[a-z]+\.?$/.test(token)) {
      month = monthName;
    } else if (/^\d{1,2}(?:st|nd|rd|th)?$/.test(token) && day === null && year === null) {
      day = Number.parseInt(token, 10);
    } else if (/^\d{2,4}$/.test(token) && year === null) {
      year = Number(token);
      if (token.length === 2) year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
      else if (token.length === 3) year += 1900;
    } else if (/^(?:at|of|the)$/.test(token)) {
      continue;
    } else if (time !== null && zoneOffset(token) !== null) {
      offset ??= zoneOffset(token); // `+0000 GMT`: the first one counts
    } else {
      return null;
    }
  }
  if (day === null || month === null || year === null) return null;
  const t = time ?? { h: 0, m: 0, s: 0, ms: 0 };
  if (half === 'pm' && t.h < 12) t.h += 12;
  if (half === 'am' && t.h === 12) t.h = 0;
  return utc(year, month, day, t.h, t.m, t.s, t.ms, offset ?? 0);
}

/**
 * Minutes east of UTC for `Z`, `+01:00`, `-0500`, `+09`, `GMT+2`, `UTC-05:30` or a
 * zone name. Missing: UTC. A name we do not know (and RFC 822's military letters,
 * whose signs were printed reversed, per RFC 2822 §4.3) counts as UTC: the date
 * is then at most a few hours off, which is better than none. Unreadable: null.
 */
function zoneOffset(zone: string | undefined): number | null {
  if (zone === undefined || zone === '') return 0;
  const numeric = /^(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (numeric) {
    const [, sign, hours, minutes = '0'] = numeric;
    if (Number(hours) > 14 || Number(minutes) > 59) return null;
    const value = Number(hours) * 60 + Number(minutes);
    return sign === '-' ? -value : value;
  }
  return ZONES[zone] ?? (/^[a-z]{1,5}$/.test(zone) ? 0 : null);
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offsetMinutes: number): Date | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  // Date.UTC would roll 31 February over into March: refuse instead.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  // 24:00 is the end of the day (ISO 8601); a leap second counts as :59.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0)) || minute > 59 || second > 60) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
