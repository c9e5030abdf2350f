import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';

const fixtures = path.join(import.meta.dirname, '../../../fixtures/feeds');
const context = { url: 'https://outlet.example/feed.xml', name: 'outlet' };
const parse = (body: string | Buffer, contentType: string | null = null) => parseFeed(body, { ...context, contentType });

/** The InputError parseFeed rejects with (fails the test when it resolves). */
async function refusal(body: string | Buffer): Promise<InputError> {
  const error: unknown = await parse(body).then(
    () => new Error('parsed, but a refusal was expected'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol9;</title></channel></rss>`;

describe('parseFeed: format and failures', () => {
  it('tells the formats apart by the document, not by the Content-Type', async () => {
    expect((await parse('<rss version="2.0"><channel/></rss>', 'text/html')).format).toBe('rss');
    expect((await parse('<feed xmlns="http://www.w3.org/2005/Atom"/>')).format).toBe('atom');
    expect((await parse('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')).format).toBe('rdf');
    expect((await parse('{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'text/plain')).format).toBe('json');
  });

  it('fails with code "empty" for an empty body', async () => {
    const error = await refusal(Buffer.alloc(0));
    expect(error).toMatchObject({ code: 'empty', message: 'parse: outlet: empty document (0 bytes)' });
    expect((await refusal(' \n\t')).code).toBe('empty');
  });

  it('fails with code "not_a_feed" for HTML, other XML and plain text', async () => {
    const html = await refusal('<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</body></html>');
    expect(html).toMatchObject({ code: 'not_a_feed', message: 'parse: outlet: not a feed: an HTML page, not RSS, RDF or Atom' });
    expect((await refusal('<opml version="1.0"><body/></opml>')).message).toContain('root element is <opml>');
    expect((await refusal('Service Unavailable')).code).toBe('not_a_feed');
    expect((await refusal('{"error": "quota"}')).message).toContain('not a JSON Feed');
  });

  it('fails with code "invalid_xml" when no element can be read', async () => {
    expect((await refusal('<!-- only a comment -->')).code).toBe('invalid_xml');
    expect((await refusal('<?xml version="1.0"?>')).code).toBe('invalid_xml');
  });

  it('reads an ill-formed feed as feed readers do, with warnings', async () => {
    const feed = await parse(readFileSync(path.join(fixtures, 'feedparser/entities/query_variable_entry.xml')));
    expect(feed.entries[0]!.link).toBe('http://example/?a=1&b=2&c');
    expect(feed.warnings!.length).toBeGreaterThan(0);
    const undeclared = await parse(readFileSync(path.join(fixtures, 'feedparser/illformed/undeclared_namespace.xml')));
    expect(undeclared.description).toBe('Foo'); // itunes:subtitle without xmlns:itunes
    expect(undeclared.warnings!.join()).toContain('undeclared namespace prefix "itunes"');
  });

  it('reads a feed printed after junk, such as a PHP warning', async () => {
    const feed = await parse('<b>Warning</b>: Cannot modify header information in feed.php on line 8\n<?xml version="1.0"?><rss><channel><title>T</title></channel></rss>');
    expect(feed.title).toBe('T');
    expect(feed.warnings![0]).toMatch(/^71 characters before the feed skipped: "<b>Warning<\/b>: Cannot/);
  });

  it('survives a stray end tag without losing the rest of the document', async () => {
    const feed = await parse('<rss><channel><title>T</title></p><item><title>A</title></item></channel></rss>');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['A']);
  });

  it('leaves out an item the document ends inside of (a cut-off download)', async () => {
    const feed = await parse('<rss><channel><item><title>Whole</title></item><item><title>Cut</title><description>Half a sen');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['Whole']);
    expect(feed.warnings!.join()).toContain('ends inside an item');
    const cdata = await parse(readFileSync(path.join(fixtures, 'feedparser/illformed/rss_incomplete_cdata.xml')));
    expect(cdata.title).toBe('can feedparser read this xml');
  });

  it('reads entities a DOCTYPE declares as plain text', async () => {
    const feed = await parse(readFileSync(path.join(fixtures, 'feedparser/wellformed/rss/entity_in_doctype.xml')));
    expect(feed.entries[0]!.guid).toBe('tag:example.com,2006-05-04:/blog/');
  });
});

describe('parseFeed: hostile documents fail fast with a clear InputError', () => {
  const fast = async (body: string, limitMs = 500): Promise<InputError> => {
    const started = performance.now();
    const error = await refusal(body);
    expect(performance.now() - started).toBeLessThan(limitMs);
    expect(error.code).toBe('invalid_xml');
    return error;
  };

  it('refuses entity expansion ("billion laughs")', async () => {
    expect((await fast(billionLaughs)).message).toMatch(/^parse: outlet: invalid XML: entity "lol1" refers to entity "lol"; refused \(entity expansion\)$/);
  });

  it('refuses quadratic blow-up: one large entity referenced many times', async () => {
    const value = 'x'.repeat(4000);
    const body = `<!DOCTYPE rss [<!ENTITY a "${value}">]><rss><channel><title>${'&a;'.repeat(300)}</title></channel></rss>`;
    expect((await fast(body)).message).toContain('expand to over 1000000 characters');
  });

  it('refuses external entities (XXE) and parameter entities, fetching nothing', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><title>&xxe;</title></channel></rss>';
    expect((await fast(xxe)).message).toContain('external entity "xxe" (SYSTEM); refused (XXE)');
    const parameter = '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/x.dtd"> %remote;]><rss/>';
    expect((await fast(parameter)).message).toContain('parameter entity');
  });

  it('refuses absurd nesting instead of overflowing the stack', async () => {
    const deep = `<rss><channel><item><description>${'<div>'.repeat(100_000)}</description></item></channel></rss>`;
    expect((await fast(deep)).message).toContain('nested more than 256 deep');
  });

  it('refuses a document of millions of tiny elements before it costs gigabytes', async () => {
    expect((await fast(`<rss>${'<a/>'.repeat(1_000_001)}</rss>`, 5000)).message).toContain('more than 1000000 elements and attributes');
  });

  it.each([
    ['an author with no address', `<rss><channel><item><author>${'a'.repeat(300_000)}</author></item></channel></rss>`],
    ['a long HTML title', `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">${'&lt;b&gt;x '.repeat(50_000)}</title></feed>`],
    ['a long date', `<rss><channel><item><pubDate>${'1 '.repeat(100_000)}</pubDate></item></channel></rss>`],
    ['thousands of items with one guid', `<rss><channel>${'<item><guid>a</guid></item>'.repeat(20_000)}</channel></rss>`],
  ])('stays linear on %s', async (_, body) => {
    // Generous for a loaded CI machine: a quadratic slip takes minutes here, not seconds.
    const started = performance.now();
    await parse(body);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('reads at most 10,000 entries, the first ones', async () => {
    const feed = await parse(`<rss><channel>${'<item><title>t</title></item>'.repeat(10_001)}</channel></rss>`);
    expect(feed.entries).toHaveLength(10_000);
    expect(feed.warnings).toContain('10001 entries: only the first 10000 are read');
  });

  it('accepts the external DTD of RSS 0.91 (never fetched)', async () => {
    const body = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old&nbsp;news</title></channel></rss>';
    expect((await parse(body)).title).toBe('Old news');
  });
});

describe('parseFeed: robustness', () => {
  it('ends in a result or an InputError, whatever prefix of a feed it gets', async () => {
    const body = readFileSync(path.join(fixtures, 'rss-parser/heise.atom'), 'utf8').slice(0, 6000);
    for (let end = 0; end <= body.length; end += 7) {
      await parse(body.slice(0, end)).catch((error: unknown) => expect(error).toBeInstanceOf(InputError));
    }
  });

  it('ends in a result or an InputError for random bytes', async () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round += 1) {
      const bytes = Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256)));
      bytes[0] = 0x3c; // '<', so the XML path runs
      await parse(bytes).catch((error: unknown) => expect(error).toBeInstanceOf(InputError));
    }
  });
});
