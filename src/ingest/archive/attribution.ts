/**
 * The bracketed source line closing a reposted excerpt names the Outlet, in
 * whatever words the editor typed that day: `[NK News]`, `[VoA/South China
 * Morning Post]`, `[Read full article at The Daily Beast]`, `[From the testimony
 * of Ms. Moon Mi Hwa, as published in The Daily NK]`. The verbatim line is kept
 * (it is what the page printed); the Outlet names are read out of it.
 */

export interface Attribution {
  /** The line without its brackets, as printed. */
  attribution: string;
  /** Canonical Outlet names, in the order printed; [] when none can be read. */
  outlets: string[];
}

/**
 * Outlets spelled more than one way on the blog, keyed by the lower-cased
 * spelling. Callers may pass more (from config) to `parseAttribution`.
 */
export const OUTLET_ALIASES: Readonly<Record<string, string>> = {
  'the daily nk': 'Daily NK',
  dailynk: 'Daily NK',
  'daily nk': 'Daily NK',
  voa: 'VoA',
  'voa news': 'VoA',
  'nknews': 'NK News',
  'nk news.org': 'NK News',
  'nknews.org': 'NK News',
  'the new york times': 'New York Times',
  'the washington post': 'Washington Post',
  'the wall street journal': 'Wall Street Journal',
  'the washington times': 'Washington Times',
};

/**
 * Words that introduce the Outlet rather than name it. The last one in the line
 * wins: in `From the testimony of X, as published in The Daily NK` the Outlet is
 * what follows `as published in`.
 */
const LEAD_PHRASES = [
  'read (?:the )?full (?:article|story|report|interview)(?: (?:at|on|in))?',
  'read more(?: (?:at|on|in))?',
  'continue reading(?: (?:at|on|in))?',
  '(?:originally |first )?(?:as )?(?:published|reported|posted|printed|broadcast|reprinted) (?:in|by|at|on)',
  '(?:excerpted|adapted|reprinted|translated|taken) from',
  'courtesy(?: of)?',
  'sources?\\s*:',
  'credits?\\s*:',
  'h/t',
  'via',
  'from',
];
const LEAD = new RegExp(`(?:^|[\\s,;(])(?:${LEAD_PHRASES.join('|')})\\s+`, 'gi');

function canonicalOutlet(name: string, aliases: Readonly<Record<string, string>>): string {
  const cleaned = name.trim().replace(/^[\s"“'‘]+|[\s"”'’.,:;]+$/g, '');
  const key = cleaned.toLowerCase();
  return aliases[key] ?? OUTLET_ALIASES[key] ?? cleaned;
}

/** `https://www.nknews.org/2020/...` -> `nknews.org`: a link instead of a name. */
const LINK = /^(?:https?:\/\/|www\.)(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)\S*$/i;

/**
 * Reads a bracketed source line (with or without its brackets). `[VoA/South
 * China Morning Post]` gives two Outlets; lead phrases are dropped and known
 * aliases folded (`The Daily NK` -> `Daily NK`).
 */
export function parseAttribution(line: string, aliases: Readonly<Record<string, string>> = {}): Attribution {
  const attribution = line
    .replace(/\u00a0/g, ' ')
    .trim()
    .replace(/^\[([^[\]]*)\]$/, '$1')
    .trim();
  let named = attribution;
  let last: RegExpExecArray | null = null;
  for (const match of attribution.matchAll(LEAD)) last = match as RegExpExecArray;
  if (last) named = attribution.slice(last.index + last[0].length);
  const link = LINK.exec(named.trim());
  const outlets = (link?.[1] ? [link[1].toLowerCase()] : named.split(/\s*(?:\/|;|\s\|\s)\s*/))
    .map((name) => canonicalOutlet(name, aliases))
    .filter((name) => name !== '' && /\p{L}/u.test(name));
  return { attribution, outlets: [...new Set(outlets)] };
}

/** Config aliases (`VoA: Voice of America`) in the lower-cased form `parseAttribution` looks up. */
export function aliasTable(aliases: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(aliases).map(([spelling, outlet]) => [spelling.toLowerCase(), outlet]));
}
