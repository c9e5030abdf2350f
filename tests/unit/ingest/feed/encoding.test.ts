import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charsetParameter, decodeFeedBody, decodeWindows1252, demoronize } from '../../../../src/ingest/feed/encoding.js';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';

const fixtures = path.join(import.meta.dirname, '../../../fixtures/feeds');
const read = (file: string): Buffer => readFileSync(path.join(fixtures, file));
const title = async (file: string, contentType: string | null = null): Promise<string | null> =>
  (await parseFeed(read(file), { url: 'https://example.org/', contentType, name: file })).title;

describe('decodeFeedBody', () => {
  it('reads the XML declaration, including windows-1252 (which Node decodes as latin1)', async () => {
    expect(await title('miniflux/testdata-encoding/windows-1252.xml')).toBe('Euro €');
    expect(await title('miniflux/testdata-encoding/iso-8859-1.xml')).toBe('Café');
    expect(await title('miniflux/testdata-encoding/koi8r.xml')).toBe('Пример RSS ленты');
  });

  it('trusts bytes that are valid UTF-8 over a declaration that says otherwise', async () => {
    expect(await title('miniflux/testdata-encoding/windows-1252-incorrect-prolog.xml')).toBe('Euro €');
    expect(decodeFeedBody(read('miniflux/testdata-encoding/utf8-incorrect-prolog.xml')).encoding).toBe('utf-8');
  });

  it('lets the HTTP charset override the XML declaration (RFC 7303)', async () => {
    const body = read('feedparser/encoding/http_text_xml_charset_overrides_encoding_2.xml');
    const feed = await parseFeed(body, { url: 'https://example.org/', contentType: 'text/xml; charset=windows-1252', name: 'x' });
    expect(feed.entries[0]!.summary).toBe('This is a £“test.”');
    expect(feed.encoding).toBe('windows-1252');
  });

  it('reads UTF-16 with a byte order mark and UTF-32 without one', async () => {
    expect(decodeFeedBody(read('feedparser/encoding/utf-16be-bom.xml')).encoding).toBe('utf-16be');
    const utf32 = decodeFeedBody(read('feedparser/encoding/utf-32le-autodetect.xml'));
    expect(utf32.encoding).toBe('utf-32le');
    expect(utf32.text).toContain('<rss>');
  });

  it('repairs windows-1252 characters that reached the feed as C1 controls ("demoronize")', async () => {
    for (const file of ['feedparser/encoding/demoronize-1.xml', 'feedparser/encoding/demoronize-2.xml']) {
      const feed = await parseFeed(read(file), { url: 'https://example.org/', name: file });
      expect(feed.entries[0]!.summary).toBe('don’t');
    }
    expect(demoronize('\u0093quoted\u0094 \u0080')).toBe('“quoted” €');
  });

  it('falls back to windows-1252, with a warning, when nothing usable is declared', () => {
    const decoded = decodeFeedBody(Buffer.from([0x3c, 0x61, 0x3e, 0x93, 0x68, 0x69, 0x94, 0x3c, 0x2f, 0x61, 0x3e]), 'text/xml; charset=bogus');
    expect(decoded).toMatchObject({ text: '<a>“hi”</a>', encoding: 'windows-1252' });
    expect(decoded.warnings.join()).toContain('unknown character encoding "bogus"');
  });

  describe('a body declared UTF-8 with invalid bytes', () => {
    /** Valid UTF-8 (é, an en dash, Korean) with one stray windows-1252 byte (0x92) and a truncated sequence (E2 80). */
    const body = (declaration: string) =>
      Buffer.concat([
        Buffer.from(`<?xml version="1.0"${declaration}?><rss version="2.0"><channel><title>Café – 북한 `),
        Buffer.from([0x92]),
        Buffer.from(' defectors '),
        Buffer.from([0xe2, 0x80]),
        Buffer.from('</title></channel></rss>'),
      ]);

    it('is read as the UTF-8 it was declared to be, the invalid bytes replaced, and says how many', async () => {
      const decoded = decodeFeedBody(body(' encoding="utf-8"'));
      expect(decoded.encoding).toBe('utf-8');
      expect(decoded.text).toContain('<title>Café – 북한 \uFFFD defectors \uFFFD</title>');
      expect(decoded.problem).toBe('declared UTF-8 (XML), 2 invalid byte sequences replaced');
      const feed = await parseFeed(body(' encoding="utf-8"'), { url: 'https://example.org/', name: 'x' });
      expect(feed.title).toBe('Café – 북한 \uFFFD defectors \uFFFD');
      expect(feed.encodingProblem).toBe(decoded.problem);
    });

    it('is read as UTF-8 when the HTTP charset declares it, whatever the XML declaration lacks', () => {
      const decoded = decodeFeedBody(body(''), 'application/rss+xml; charset=UTF-8');
      expect(decoded.text).toContain('Café – 북한');
      expect(decoded.problem).toBe('declared UTF-8 (HTTP), 2 invalid byte sequences replaced');
    });

    it('does not count U+FFFD characters the bytes themselves spell', () => {
      const withLiteral = Buffer.concat([Buffer.from('<a>\uFFFD'), Buffer.from([0xff]), Buffer.from('</a>')]);
      expect(decodeFeedBody(withLiteral, 'text/xml; charset=utf-8').problem).toBe('declared UTF-8 (HTTP), 1 invalid byte sequence replaced');
    });

    it('yields to another declaration that explains the bytes (a server default charset=utf-8 on a windows-1252 feed)', () => {
      const latin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>'), Buffer.from([0x93, 0x68, 0x69, 0x94, 0xe9]), Buffer.from('</a>')]);
      const decoded = decodeFeedBody(latin, 'text/xml; charset=utf-8');
      expect(decoded).toMatchObject({ encoding: 'windows-1252', text: expect.stringContaining('<a>“hi”é</a>') });
      expect(decoded.problem).toBeUndefined();
    });

    it('leaves valid UTF-8 and undeclared single-byte text as they were, with no problem', () => {
      expect(decodeFeedBody(Buffer.from('<a>Café</a>'), 'text/xml; charset=utf-8')).toMatchObject({ text: '<a>Café</a>', encoding: 'utf-8' });
      expect(decodeFeedBody(Buffer.from('<a>Café</a>')).problem).toBeUndefined();
      expect(decodeFeedBody(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e])).problem).toBeUndefined();
    });
  });

  it('maps exactly the 27 characters where windows-1252 and ISO-8859-1 differ', () => {
    expect(decodeWindows1252(Buffer.from([0x4b, 0x69, 0x6d, 0x92, 0x73, 0xe9, 0x81]))).toBe('Kim’sé\u0081');
  });

  it('reads the charset parameter of a Content-Type', () => {
    expect(charsetParameter('application/rss+xml; charset="ISO-8859-1"')).toBe('ISO-8859-1');
    expect(charsetParameter('text/xml')).toBeNull();
    expect(charsetParameter(null)).toBeNull();
  });
});
