import { describe, expect, it } from 'vitest';
import { checkAddress, checkUrl, classifyAddress, guardedLookup, parseAllowEntry, parseAllowList, refusedCode } from '../../../../src/ingest/fetch/address-guard.js';

/** A Source on port 8080: entries without a port allow that port. */
const home = new URL('http://127.0.0.1:8080/feed');
const allowing = (entries: string[], source = home) => parseAllowList(entries, source);
const none = allowing([]);

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.5.4', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.1.2', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['[::1]', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['ff02::1', 'a multicast address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['64:ff9b::10.0.0.1', 'a private address'],
    ['2002:7f00:1::', 'a loopback address'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBeNull();
    },
  );
});

describe('checkAddress with an allow-list', () => {
  it('allows listed addresses and CIDR blocks, and nothing else', () => {
    const allow = allowing(['127.0.0.1', '10.1.0.0/16', 'fd00::/8']);
    expect(checkAddress('127.0.0.1', 8080, allow)).toBeNull();
    expect(checkAddress('::ffff:127.0.0.1', 8080, allow)).toBeNull();
    expect(checkAddress('10.1.200.3', 8080, allow)).toBeNull();
    expect(checkAddress('fd00::5', 8080, allow)).toBeNull();
    expect(checkAddress('127.0.0.2', 8080, allow)).toBe('127.0.0.2 is a loopback address');
    expect(checkAddress('10.2.0.1', 8080, allow)).toBe('10.2.0.1 is a private address');
    expect(checkAddress('::1', 8080, allow)).toBe('::1 is a loopback address');
    expect(checkAddress('8.8.8.8', 6379, none)).toBeNull();
  });

  it('reads an IPv4-mapped CIDR as its IPv4 block', () => {
    const allow = allowing(['::ffff:10.0.0.0/104']);
    expect(checkAddress('10.9.9.9', 8080, allow)).toBeNull();
    expect(checkAddress('11.0.0.1', 8080, allow)).toBeNull(); // public anyway
    expect(checkAddress('192.168.0.1', 8080, allow)).not.toBeNull();
  });

  it('rejects malformed allow-list entries', () => {
    expect(() => allowing(['localhost'])).toThrow(/allowAddresses: "localhost"/);
    expect(() => allowing(['10.0.0.0/33'])).toThrow(/not an IP address or CIDR block/);
  });
});

describe('allow-list ports', () => {
  it('reads every entry form', () => {
    const port = (entry: string) => {
      const parsed = parseAllowEntry(entry);
      return typeof parsed === 'string' ? parsed : { bytes: [...parsed.bytes].length, prefix: parsed.prefix, port: parsed.port };
    };
    expect(port('127.0.0.1')).toEqual({ bytes: 4, prefix: 32, port: null });
    expect(port('10.0.0.0/8')).toEqual({ bytes: 4, prefix: 8, port: null });
    expect(port('127.0.0.1:8080')).toEqual({ bytes: 4, prefix: 32, port: 8080 });
    expect(port('10.0.0.0/8:8080')).toEqual({ bytes: 4, prefix: 8, port: 8080 });
    expect(port('::1')).toEqual({ bytes: 16, prefix: 128, port: null });
    expect(port('[::1]')).toEqual({ bytes: 16, prefix: 128, port: null });
    expect(port('[::1]:8080')).toEqual({ bytes: 16, prefix: 128, port: 8080 });
    expect(port('[fd00::/8]:8080')).toEqual({ bytes: 16, prefix: 8, port: 8080 });
    expect(port('[fd00::]/8:8080')).toEqual({ bytes: 16, prefix: 8, port: 8080 });
    // Without brackets the last group is part of the address, not a port.
    expect(port('::1:8080')).toMatchObject({ port: null });
  });

  it.each([
    ['localhost:8080', 'is not an IP address or CIDR block with an optional port'],
    ['127.0.0.1:', 'has no valid port after the address (1 to 65535)'],
    ['127.0.0.1:0', 'has no valid port after the address (1 to 65535)'],
    ['127.0.0.1:65536', 'has no valid port after the address (1 to 65535)'],
    ['127.0.0.1:80a', 'has no valid port after the address (1 to 65535)'],
    ['[::1]:', 'has no valid port after the address (1 to 65535)'],
    ['[::1]8080', 'is not an IP address or CIDR block with an optional port'],
    ['10.0.0.0/8/8', 'is not an IP address or CIDR block with an optional port'],
    ['10.0.0.0/:80', 'is not an IP address or CIDR block with an optional port'],
  ])('refuses %s', (entry, problem) => {
    expect(parseAllowEntry(entry)).toBe(problem);
  });

  it('allows an entry with a port on that port only, for any Source', () => {
    const allow = allowing(['127.0.0.1:9000', '10.0.0.0/8:8443', '[::1]:9000']);
    expect(checkAddress('127.0.0.1', 9000, allow)).toBeNull();
    expect(checkAddress('10.20.30.40', 8443, allow)).toBeNull();
    expect(checkAddress('::1', 9000, allow)).toBeNull();
    expect(checkAddress('127.0.0.1', 8080, allow)).toBe('127.0.0.1 is a loopback address, allowed on port 9000, not 8080');
    expect(checkAddress('10.20.30.40', 6379, allow)).toBe('10.20.30.40 is a private address, allowed on port 8443, not 6379');
  });

  it("reads an entry without a port as the Source's own port: a redirect to another port of it is refused", () => {
    const allow = allowing(['127.0.0.1', '127.0.0.1:9000']);
    expect(checkAddress('127.0.0.1', 8080, allow)).toBeNull();
    expect(checkAddress('127.0.0.1', 9000, allow)).toBeNull();
    expect(checkAddress('127.0.0.1', 6379, allow)).toBe('127.0.0.1 is a loopback address, allowed on ports 8080, 9000, not 6379');
    expect(checkUrl(new URL('http://127.0.0.1:6379/'), allow)).toBe('127.0.0.1 is a loopback address, allowed on ports 8080, 9000, not 6379');
    expect(checkUrl(new URL('http://127.0.0.1/'), allow)).toBe('127.0.0.1 is a loopback address, allowed on ports 8080, 9000, not 80');
  });

  it('lets a Source on port 80 or 443 move between the two (an https upgrade), and no further', () => {
    const allow = allowing(['10.1.2.3'], new URL('http://10.1.2.3/feed'));
    expect(checkUrl(new URL('http://10.1.2.3/feed'), allow)).toBeNull();
    expect(checkUrl(new URL('https://10.1.2.3/feed'), allow)).toBeNull();
    expect(checkUrl(new URL('http://10.1.2.3:6379/'), allow)).toBe('10.1.2.3 is a private address, allowed on ports 80, 443, not 6379');
  });
});

describe('checkUrl', () => {
  it('refuses schemes other than http and https', () => {
    expect(checkUrl(new URL('file:///etc/passwd'), none)).toBe('file: addresses are not fetched (only http and https)');
    expect(checkUrl(new URL('ftp://ftp.example.org/feed.xml'), none)).toMatch(/^ftp: addresses are not fetched/);
    expect(checkUrl(new URL('gopher://example.org/'), none)).toMatch(/^gopher:/);
  });

  it('refuses literal non-public IPs, however they are spelled', () => {
    expect(checkUrl(new URL('http://127.0.0.1:8080/feed'), none)).toBe('127.0.0.1 is a loopback address');
    expect(checkUrl(new URL('http://2130706433/feed'), none)).toBe('127.0.0.1 is a loopback address');
    expect(checkUrl(new URL('http://0x7f.1/feed'), none)).toBe('127.0.0.1 is a loopback address');
    expect(checkUrl(new URL('http://10.0.0.1/'), none)).toBe('10.0.0.1 is a private address');
    expect(checkUrl(new URL('http://169.254.169.254/latest/meta-data/'), none)).toBe('169.254.169.254 is a cloud metadata address');
    expect(checkUrl(new URL('http://[::1]/'), none)).toBe('::1 is a loopback address');
    expect(checkUrl(new URL('http://[::ffff:127.0.0.1]/'), none)).toBe('::ffff:7f00:1 is a loopback address');
    expect(checkUrl(new URL('http://100.64.0.1/'), none)).toBe('100.64.0.1 is a carrier-grade NAT address');
  });

  it('lets public addresses and names through (names are checked at lookup)', () => {
    expect(checkUrl(new URL('https://93.184.216.34/feed'), none)).toBeNull();
    expect(checkUrl(new URL('https://www.nknews.org/feed/'), none)).toBeNull();
    expect(checkUrl(new URL('http://127.0.0.1:8080/feed'), allowing(['127.0.0.1']))).toBeNull();
  });
});

describe('guardedLookup', () => {
  const lookup = (allow: string[], all: boolean, port = 8080) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
      guardedLookup(allowing(allow), port)('localhost', { all, family: 4 }, (error, address) => resolve({ error, address }));
    });

  it('refuses a name that resolves to loopback', async () => {
    const { error } = await lookup([], false);
    expect(error?.code).toBe(refusedCode);
    expect(error?.message).toBe('localhost resolves to 127.0.0.1, a loopback address');
  });

  it('passes allowed addresses through, in both callback forms', async () => {
    expect(await lookup(['127.0.0.1'], false)).toEqual({ error: null, address: '127.0.0.1' });
    expect(await lookup(['127.0.0.1'], true)).toEqual({ error: null, address: [{ address: '127.0.0.1', family: 4 }] });
  });

  it('refuses an allowed address on a port it is not allowed on', async () => {
    const { error } = await lookup(['127.0.0.1'], false, 6379);
    expect(error?.code).toBe(refusedCode);
    expect(error?.message).toBe('localhost resolves to 127.0.0.1, a loopback address, allowed on port 8080, not 6379');
  });
});
