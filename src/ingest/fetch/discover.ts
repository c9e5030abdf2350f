/**
 * Telling pages apart: a fetched body may be the feed, the site's HTML page
 * (then we look for its feed links), or a bot-wall challenge (then we are blocked).
 * Pure functions over the bytes; fetch.ts and read-feed.ts do the I/O.
 */

/** `<link rel="alternate" type=...>` types that announce a feed (RSS, Atom, JSON Feed). */
const feedTypes = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json']);

/**
 * Feed addresses a page announces with `<link rel="alternate" type="...">`,
 * resolved against the page address (or its first `<base href>`, as browsers do),
 * in page order, without duplicates, http(s) only.
 */
export function discoverFeedLinks(html: string, baseUrl: string): string[] {
  // Comments and scripts may hold markup that is not part of the page.
  const page = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<script\b[\s\S]*?<\/script\s*>/gi, '');
  let base = baseUrl;
  const baseTag = /<base\b([^>]*)>/i.exec(page);
  const baseHref = baseTag ? attributes(baseTag[1]!).get('href') : undefined;
  if (baseHref) base = resolve(baseHref, baseUrl) ?? baseUrl;

  const found: string[] = [];
  for (const match of page.matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = attributes(match[1]!);
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attrs.get('type') ?? '').split(';')[0]!.trim().toLowerCase();
    const href = attrs.get('href');
    if (!rel.includes('alternate') || !feedTypes.has(type) || !href) continue;
    const url = resolve(href, base);
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}

/** Attribute names (lowercased) to decoded values; the first of a repeated name wins, as in HTML. */
function attributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of text.matchAll(/([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = m[1]!.toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The entities that occur in URLs in practice (`&amp;` above all). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}

function resolve(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The first bytes of a body, as text without BOM and leading whitespace, lowercased. */
function head(body: Buffer, bytes = 1024): string {
  return body.subarray(0, bytes).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
}

/**
 * Whether a body is an HTML page rather than a feed. The bytes decide first,
 * because servers often label feeds `text/html` and pages `text/xml`; the
 * Content-Type decides when the start of the body says nothing.
 */
export function looksLikeHtml(body: Buffer, contentType: string | null): boolean {
  const start = head(body).replace(/^(<!--[\s\S]*?-->\s*)+/, '');
  if (/^<(\?xml|rss|feed|rdf:rdf)\b/.test(start) || start.startsWith('{')) return false;
  if (/^<(!doctype html|html|head|body)\b/.test(start)) return true;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/**
 * Markers of bot walls and JavaScript challenges (Cloudflare, Imperva, DataDome,
 * PerimeterX, Sucuri, AWS WAF): a page a browser would pass and we cannot.
 */
const challengeMarkers = [
  '<title>just a moment...</title>',
  '<title>attention required! | cloudflare</title>',
  '/cdn-cgi/challenge-platform/',
  'cf-browser-verification',
  '_incapsula_resource',
  'captcha-delivery.com',
  'px-captcha',
  'sucuri website firewall',
  'awswafintegration',
];

/** Whether an HTML body is a bot-wall or challenge page instead of content. */
export function looksLikeChallenge(body: Buffer, contentType: string | null): boolean {
  if (!looksLikeHtml(body, contentType)) return false;
  const text = body.subarray(0, 64 * 1024).toString('utf8').toLowerCase();
  return challengeMarkers.some((marker) => text.includes(marker));
}
