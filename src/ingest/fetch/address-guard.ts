/**
 * SSRF protection for fetching Sources: a feed URL (or a redirect) must not make
 * us talk to this machine, the private network or a cloud metadata service.
 *
 * Two checks, both needed: `checkUrl` refuses bad schemes and literal-IP hosts
 * before anything connects (Node skips DNS for literal IPs), and `guardedLookup`
 * is passed to http(s).request as its `lookup`, so the addresses checked are the
 * very addresses the socket connects to: a DNS answer that changes between a
 * check and the connect (DNS rebinding) cannot slip through. An allowed private
 * address is allowed on a port (see parseAllowList), checked the same ways.
 */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/** Error code of a refusal raised inside the lookup; fetch.ts maps it to 'refused'. */
export const refusedCode = 'ENEWSDESK_REFUSED';

interface Block {
  bytes: Uint8Array;
  prefix: number;
}

/** Ranges that are never a public news site, most specific first (metadata before link-local). */
const v4Ranges: [string, number, string][] = [
  ['169.254.169.254', 32, 'a cloud metadata address'],
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a reserved address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const v6Ranges: [string, number, string][] = [
  ['fd00:ec2::254', 128, 'a cloud metadata address'],
  ['::', 128, 'an unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['fc00::', 7, 'a private address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a private address'],
  ['ff00::', 8, 'a multicast address'],
];
const v4Blocks = v4Ranges.map(([ip, prefix, kind]) => ({ block: { bytes: parseIp(ip)!, prefix }, kind }));
const v6Blocks = v6Ranges.map(([ip, prefix, kind]) => ({ block: { bytes: parseIp(ip)!, prefix }, kind }));

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits: judge that address instead. */
const embeddingV4: Block[] = [
  { bytes: parseIp('::ffff:0:0')!, prefix: 96 }, // IPv4-mapped (RFC 4291 2.5.5.2)
  { bytes: parseIp('64:ff9b::')!, prefix: 96 }, // NAT64 (RFC 6052)
  { bytes: parseIp('::')!, prefix: 96 }, // IPv4-compatible, deprecated (RFC 4291 2.5.5.1)
];

/** IPv4 (4 bytes) or IPv6 (16 bytes), or null when `text` is no IP address. */
export function parseIp(text: string): Uint8Array | null {
  const ip = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const version = isIP(ip);
  if (version === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (version !== 6) return null;
  let groups = ip.split('%')[0]!; // drop a zone id (fe80::1%eth0)
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split('.').map(Number) as [number, number, number, number];
    groups = groups.slice(0, -tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = groups.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const words = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    const value = parseInt(word, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function inBlock(bytes: Uint8Array, block: Block): boolean {
  if (bytes.length !== block.bytes.length) return false;
  for (let bit = 0; bit < block.prefix; bit += 8) {
    const bits = Math.min(8, block.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (block.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** An IPv6 address embedding an IPv4 one (mapped, NAT64, compatible) is judged as that IPv4. */
function unwrap(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 16) return bytes;
  // ::, ::1 are themselves in ::/96 but are IPv6 addresses, not embedded IPv4.
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15]! <= 1) return bytes;
  return embeddingV4.some((block) => inBlock(bytes, block)) ? bytes.slice(12) : bytes;
}

/** What kind of non-public address `ip` is ('a private address'), or null when public. */
export function classifyAddress(ip: string): string | null {
  const bytes = parseIp(ip);
  if (!bytes) return 'not an IP address';
  const plain = unwrap(bytes);
  // 6to4 (2002::/16, RFC 3056) carries the IPv4 address in bits 16..48.
  const sixToFour = plain.length === 16 && plain[0] === 0x20 && plain[1] === 0x02 ? plain.slice(2, 6) : null;
  for (const candidate of sixToFour ? [plain, sixToFour] : [plain]) {
    const blocks = candidate.length === 4 ? v4Blocks : v6Blocks;
    const hit = blocks.find(({ block }) => inBlock(candidate, block));
    if (hit) return hit.kind;
  }
  return null;
}

/** One `allowAddresses` entry: an IP or CIDR block, on one port or (null) on the Source's own port. */
export interface AllowEntry extends Block {
  port: number | null;
}

/** How an entry may be written; named in the config error. */
export const allowEntryForms = '127.0.0.1, 10.0.0.0/8, ::1, 127.0.0.1:8080, 10.0.0.0/8:8080, [::1]:8080';

/**
 * Parses one `allowAddresses` entry, or says what is wrong with it. A port follows
 * the address after a colon; an IPv6 address with a port is bracketed (`[::1]:8080`,
 * `[fd00::/8]:8080`) as in a URL (RFC 3986 3.2.2), since `::1:8080` is itself an address.
 */
export function parseAllowEntry(entry: string): AllowEntry | string {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](\/[^:]*)?(?::([^:]*))?$/.exec(text);
  let body = text;
  let portText: string | undefined;
  if (bracketed) [body, portText] = [bracketed[1]! + (bracketed[2] ?? ''), bracketed[3]];
  else if (text.split(':').length === 2) [body = '', portText] = text.split(':');
  const [ip = '', prefixText, extra] = body.split('/');
  const bytes = parseIp(ip);
  const max = bytes?.length === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!bytes || extra !== undefined || !(prefix >= 0 && prefix <= max)) return 'is not an IP address or CIDR block with an optional port';
  const port = portText === undefined ? null : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (port !== null && !(port >= 1 && port <= 65535)) return `has no valid port after the address (1 to 65535)`;
  const plain = unwrap(bytes);
  // `::ffff:10.0.0.0/104` is the IPv4 block 10.0.0.0/8.
  return { bytes: plain, prefix: plain.length < bytes.length ? Math.max(0, prefix - 96) : prefix, port };
}

/** An entry made concrete for one Source: the ports it allows. */
interface Allowed extends Block {
  ports: number[];
}

/** Parsed `allowAddresses` for one Source: private addresses it may reach, each on its ports. */
export type AllowList = Allowed[];

/** The port a URL connects to (its explicit port, else the scheme's: RFC 9110 4.2). */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Parses `allowAddresses` for a Source at `home` (its configured address); throws
 * on a malformed entry (config validation catches those first).
 *
 * An entry without a port allows the address on the Source's own port only (and,
 * when that is 80 or 443, on both: an http to https upgrade is followed). So every
 * configuration written before ports existed still reaches its feed server, but
 * that server cannot redirect us to another service on the same allowed address
 * (a redirect to 127.0.0.1:6379 reached Redis). Any other port is named: `127.0.0.1:9000`.
 */
export function parseAllowList(entries: readonly string[], home: URL): AllowList {
  const homePort = urlPort(home);
  const homePorts = homePort === 80 || homePort === 443 ? [80, 443] : [homePort];
  return entries.map((entry) => {
    const parsed = parseAllowEntry(entry);
    if (typeof parsed === 'string') throw new TypeError(`fetch: allowAddresses: "${entry}" ${parsed}`);
    return { bytes: parsed.bytes, prefix: parsed.prefix, ports: parsed.port === null ? homePorts : [parsed.port] };
  });
}

/** Null when we may connect to `ip` on `port`, else why not: `10.0.0.1 is a private address`. */
export function checkAddress(ip: string, port: number, allow: AllowList): string | null {
  const kind = classifyAddress(ip);
  if (kind === null) return null;
  const bytes = parseIp(ip);
  const covering = bytes ? allow.filter((entry) => inBlock(unwrap(bytes), entry)) : [];
  if (covering.some((entry) => entry.ports.includes(port))) return null;
  if (covering.length === 0) return `${ip} is ${kind}`;
  const ports = [...new Set(covering.flatMap((entry) => entry.ports))].sort((a, b) => a - b);
  return `${ip} is ${kind}, allowed on port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}, not ${port}`;
}

/** Null when `url` may be requested (before any connect), else why not. */
export function checkUrl(url: URL, allow: AllowList): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} addresses are not fetched (only http and https)`;
  // WHATWG URL parsing already normalised odd IPv4 spellings (2130706433, 0x7f.1) to dotted form.
  return parseIp(url.hostname) ? checkAddress(url.hostname.replace(/^\[|\]$/g, ''), urlPort(url), allow) : null;
}

/** An Error carrying `refusedCode`, raised where the connection is refused. */
export function refusedError(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: refusedCode });
}

/**
 * A `lookup` for http(s).request to `port` that resolves as usual and drops every
 * address we may not connect to there; when none is left the request fails with
 * `refusedCode`. Honours `all: true`, which Node 20 asks for when trying IPv4 and IPv6 in turn.
 */
export function guardedLookup(allow: AllowList, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((entry) => checkAddress(entry.address, port, allow) === null);
      const first = usable[0];
      if (!first) {
        const reasons = addresses.map((entry) => checkAddress(entry.address, port, allow)!.replace(' is ', ', ')).join('; ');
        return callback(refusedError(`${hostname} resolves to ${reasons || 'no address'}`), '', 0);
      }
      if (options.all) callback(null, usable);
      else callback(null, first.address, first.family);
    });
  };
}
