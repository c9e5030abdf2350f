/**
 * One address per page: the same article reached through a newsletter link, a
 * social share or an AMP viewer must give the same Item url, or dedupe sees two
 * pages. Only rewrites that cannot change which page is served are made; query
 * parameters that are not known trackers stay, in their order.
 */

/** Query parameters that only say how a reader arrived (analytics, ad clicks, share ids). */
const TRACKING_PARAMS = new Set([
  // Ad-click ids: Facebook, Google Ads / DoubleClick, Microsoft, Yandex, Instagram.
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid',
  // Mailchimp, HubSpot, Marketo, Adobe, Vero, Oracle Eloqua newsletters.
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'mkt_tok', 'sc_cid', 'vero_id', 'vero_conv', 'elqtrackid', 'elqtrack',
  // Google Analytics cross-domain linker, Twitter/X and other share referrers.
  '_ga', '_gl', 'ref_src', 'ref_url', 'cmpid', 'ocid', 'ito', 'at_medium', 'at_campaign',
  // Facebook share-dialog leftovers, Openstat.
  'fb_action_ids', 'fb_action_types', 'fb_ref', 'fb_source', '_openstat',
  // Google's AMP viewer and cache add these to the page it shows.
  'amp_js_v', 'amp_gsa', 'usqp', 'amp_r',
]);
/** Parameter families tracked by prefix: Google Analytics campaigns (`utm_source`...), Piwik/Matomo. */
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_'];

/**
 * `?amp=1`, `?amp=true`, `?amp`: WordPress AMP plugin and others serve the AMP
 * variant of the page under the same path; `outputType=amp` is the Washington
 * Post's spelling.
 */
function isAmpParam(key: string, value: string): boolean {
  if (key === 'amp') return ['', '1', 'true', 'yes'].includes(value.toLowerCase());
  return key === 'outputtype' && value.toLowerCase() === 'amp';
}

function isTrackingParam(key: string): boolean {
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * RFC 3986 §6.2.2: hex digits of percent-escapes in upper case, and escapes of
 * unreserved characters (`A-Z a-z 0-9 - . _ ~`) decoded, since both spellings
 * name the same resource. Reserved characters stay escaped (`%2F` is not `/`).
 */
function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The query without trackers and AMP switches, parameters kept verbatim and in order. */
function cleanQuery(search: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      const key = decodeKey(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeKey(pair.slice(eq + 1));
      return !isTrackingParam(key) && !isAmpParam(key, value);
    })
    .map(normalizeEscapes);
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

/**
 * AMP paths: an `amp` path segment anywhere (`/story/amp/`, `/story/amp`,
 * `/amp/story`), and BBC-style `.amp` / `.amp.html` endings.
 */
function cleanAmpPath(pathname: string): string {
  const segments = pathname.split('/');
  const kept = segments.filter((segment, index) => index === 0 || segment.toLowerCase() !== 'amp');
  // `/story/amp/` leaves `/story/` (the slash the page had), `/story/amp` leaves `/story`.
  const path = kept.join('/').replace(/\.amp(\.html?)?$/i, (_, ext: string | undefined) => ext ?? '');
  return path === '' ? '/' : path;
}

/**
 * The address an AMP cache or viewer shows for a page, as the page's own
 * address: `https://www-example-org.cdn.ampproject.org/c/s/www.example.org/x`
 * and `https://www.google.com/amp/s/www.example.org/x`. `/c/` without `s/` is
 * an http origin.
 */
function unwrapAmpCache(url: URL): URL | null {
  const cache = url.hostname.endsWith('.cdn.ampproject.org')
    ? /^\/[a-z]\/(s\/)?(.+)$/i.exec(url.pathname)
    : /^(?:www\.)?google\.[a-z.]+$/.test(url.hostname)
      ? /^\/amp\/(s\/)?(.+)$/i.exec(url.pathname)
      : null;
  if (!cache?.[2]) return null;
  try {
    return new URL(`${cache[1] ? 'https' : 'http'}://${cache[2]}${url.search}`);
  } catch {
    return null;
  }
}

function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The host without its trailing dot, read again (`1.` is `0.0.0.1`); kept when
 * that leaves no valid host (`.`, `x.1.`: a name may not end in a number).
 */
function hostWithoutDot(hostname: string): string {
  const bare = hostname.replace(/\.$/, '');
  if (bare === hostname) return hostname;
  try {
    return new URL(`http://${bare}/`).hostname;
  } catch {
    return hostname;
  }
}

/**
 * The canonical form of an absolute http(s) address. WHATWG URL parsing already
 * lower-cases scheme and host, drops the default port and resolves `.`/`..`;
 * on top of that: no fragment, no trailing dot on the host, no `amp.` subdomain,
 * AMP path and query switches removed, tracking parameters removed, escapes
 * normalised, an empty query dropped.
 *
 * Anything that is not an absolute http(s) address is returned trimmed and
 * otherwise unchanged: this never throws, callers that need a usable address
 * use `canonicalUrlOrNull`.
 */
export function canonicalUrl(url: string): string {
  // One rewrite can make room for another (`/%61mp` decodes to an `amp` segment,
  // `/a/..amp` leaves a `..` segment, Google's AMP viewer may wrap an AMP cache's
  // address): the rewrites are repeated until nothing changes, so a canonical
  // address is canonical again. Each pass only removes, so two or three do.
  let canonical = canonicalOnce(url);
  if (canonical === url) return canonical; // already canonical: a second pass would find the same
  for (let pass = 0; pass < 8; pass += 1) {
    const again = canonicalOnce(canonical);
    if (again === canonical) break;
    canonical = again;
  }
  return canonical;
}

function canonicalOnce(url: string): string {
  const trimmed = url.trim();
  const parsed = parseHttpUrl(trimmed);
  if (!parsed) return trimmed;
  const page = unwrapAmpCache(parsed) ?? parsed;
  const host = hostWithoutDot(page.hostname).replace(/^amp\.(?=[^.]+\.[^.]+)/, ''); // `amp.com` itself stays
  const port = page.port === '' ? '' : `:${page.port}`;
  const auth = page.username === '' ? '' : `${page.username}${page.password === '' ? '' : `:${page.password}`}@`;
  const path = normalizeEscapes(cleanAmpPath(page.pathname));
  return `${page.protocol}//${auth}${host}${port}${path}${cleanQuery(page.search)}`;
}

/** `canonicalUrl` for addresses we keep: null for null, blank, relative or non-http(s) input. */
export function canonicalUrlOrNull(url: string | null): string | null {
  if (url === null) return null;
  const trimmed = url.trim();
  return parseHttpUrl(trimmed) ? canonicalUrl(trimmed) : null;
}
