import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';

const fixtures = path.join(import.meta.dirname, '../../../fixtures/feeds');
const parse = (file: string, url = 'http://127.0.0.1:8097/feed.xml') =>
  parseFeed(readFileSync(path.join(fixtures, file)), { url, name: file });
const atom = (entry: string, feed = '') =>
  parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom">${feed}<entry>${entry}</entry></feed>`, { url: 'https://example.org/feed', name: 'inline' });
/** The titles of one entry per title element. */
const titles = async (...elements: string[]) =>
  (await parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom">${elements.map((e) => `<entry>${e}</entry>`).join('')}</feed>`, {
    url: 'https://example.org/feed',
    name: 'inline',
  })).entries.map((entry) => entry.title);

describe('parseFeed: Atom 1.0', () => {
  it('reads a real feed', async () => {
    const feed = await parse('rss-parser/heise.atom');
    expect(feed).toMatchObject({ format: 'atom', title: 'heise developer neueste Meldungen', link: 'http://www.heise.de/developer/' });
    expect(feed.entries[0]).toMatchObject({
      guid: 'http://heise.de/-3088438',
      title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
      author: 'heise online',
    });
    expect(feed.entries[0]!.published?.toISOString()).toBe('2016-02-01T16:22:00.000Z');
    expect(feed.entries[0]!.updated?.toISOString()).toBe('2016-02-01T16:54:50.000Z');
  });

  it('writes inline XHTML content out as HTML, without the wrapping div', async () => {
    const { entries } = await parse('feedparser/wellformed/atom10/entry_content_inline_markup.xml');
    expect(entries[0]!.content).toBe('Example <b>Atom</b>');
  });

  it('reads escaped HTML that TypePad wraps in a div as HTML', async () => {
    const { entries } = await parse('feedparser/wellformed/atom10/entry_content_div_escaped_markup.xml');
    expect(entries[0]!.content).toBe('Example <b>Atom</b>');
  });

  it('decodes Base64 content of other media types when it is text', async () => {
    expect((await parse('feedparser/wellformed/atom10/entry_content_base64.xml')).entries[0]!.content).toBe('Example <b>Atom</b>');
    const binary = await atom('<content type="image/png">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==</content>');
    expect(binary.entries[0]!.content).toBeNull();
  });

  it('gives titles as plain text whatever their type', async () => {
    const { entries } = await parse('miniflux/atom10/TestParseEntryWithHTMLTitle.xml');
    expect(entries.map((entry) => entry.title)).toEqual([
      'Code Test',
      'Test with “unicode quote”',
      'Entry title with space around CDATA',
      'Test with self-closing <tag>',
    ]);
    expect((await parse('feedparser/wellformed/amp/attr06.xml')).entries[0]!.title).toBe('&');
    expect((await parse('miniflux/atom10/TestParseEntryWithDoubleEncodedEntitiesTitle.xml')).entries[0]!.title).toBe("'AT&T'");
  });

  it('reads each title by its type: text keeps every character, html and xhtml give their text (RFC 4287 §3.1)', async () => {
    expect(
      await titles(
        '<title type="text">Vector&lt;T&gt; and a &lt; b</title>',
        '<title type="html">Vector&amp;lt;T&amp;gt; &lt;b&gt;and&lt;/b&gt; a &amp;lt; b</title>',
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Vector&lt;T&gt; <b>and</b> a &lt; b</div></title>',
        '<title>Vector&lt;T&gt; and a &lt; b</title>',
        // Declared text means what it says, a reference included; without a type, feeds that escape twice are read once more.
        '<title type="text">Write &amp;amp; for &amp;</title>',
      ),
    ).toEqual(['Vector<T> and a < b', 'Vector<T> and a < b', 'Vector<T> and a < b', 'Vector<T> and a < b', 'Write &amp; for &']);
  });

  it('keeps the text of a title whose markup carries markup in an attribute', async () => {
    expect(
      await titles(
        '<title type="html">&lt;a title="&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt; &amp;gt; y" href="/k"&gt;Kim&lt;/a&gt; &amp;amp; Moon &amp;lt;T&amp;gt;</title>',
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a title="&lt;b&gt;x&lt;/b&gt; &gt; y" href="/k">Kim</a> &amp; Moon &lt;T&gt;</div></title>',
        '<title type="text">&lt;a title="&lt;b&gt;x&lt;/b&gt;"&gt;Kim&lt;/a&gt;</title>',
      ),
    ).toEqual(['Kim & Moon <T>', 'Kim & Moon <T>', '<a title="<b>x</b>">Kim</a>']);
  });

  it('escapes text constructs when HTML is wanted', async () => {
    const { entries } = await atom('<summary type="text">1 &lt; 2 &amp; 3</summary>');
    expect(entries[0]!.summary).toBe('1 &lt; 2 &amp; 3');
    expect(entries[0]!.content).toBe(entries[0]!.summary); // content falls back to the summary
  });

  it('lists every author with name, address and page', async () => {
    const { entries } = await parse('feedparser/wellformed/atom10/entry_authors_email.xml');
    expect(entries[0]!.authors!.map((a) => a.email)).toEqual(['one@one.com', 'two@two.com']);
    expect(entries[0]!.author).toBe('one@one.com, two@two.com');
  });

  it('lets entries without authors inherit the feed author (RFC 4287 §4.2.1)', async () => {
    const { entries } = await atom('<title>x</title>', '<author><name>Desk</name><uri>/about</uri></author>');
    expect(entries[0]!.authors).toEqual([{ name: 'Desk', email: null, url: 'https://example.org/about' }]);
  });

  it('picks the alternate link whatever its position, and keeps every link', async () => {
    const { entries } = await parse('feedparser/wellformed/atom10/entry_link_no_href_link_priority.xml');
    expect(entries.map((entry) => entry.link)).toEqual(['http://www.example.com/alternate', 'http://www.example.com/alternate']);
    expect(entries[0]!.links!.map((link) => link.rel)).toEqual(['alternate', 'enclosure']);
  });

  it('uses the title that is a child of the entry, not one nested deeper', async () => {
    const { entries } = await parse('feedparser/wellformed/node_precedence/atom10_title.xml');
    expect(entries.map((entry) => entry.title)).toEqual(['Correct Value', 'Correct Value']);
  });

  it('resolves links against xml:base, and tells normalize which base the content has', async () => {
    const { entries } = await atom(
      '<link href="2024/story"/><content type="html" xml:base="/news/">&lt;a href="x"&gt;x&lt;/a&gt;</content>',
    );
    expect(entries[0]!.link).toBe('https://example.org/2024/story');
    expect(entries[0]!.baseUrl).toBe('https://example.org/news/');
  });

  it('never takes a javascript: address as a link', async () => {
    const { entries } = await atom('<link href="javascript:alert(1)"/>');
    expect(entries[0]!.link).toBeNull();
  });

  it('bases relative URLs in content on xml:base (entry or feed level), else the entry page, else the document, else the site', async () => {
    const content = '<content type="html">&lt;a href="/about"&gt;a&lt;/a&gt;</content>';
    const feed = (head: string, entries: string[], url: string) =>
      parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom" ${head}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</feed>`, { url, name: 'inline' });
    const bases = async (...args: Parameters<typeof feed>) => (await feed(...args)).entries.map((entry) => entry.baseUrl);

    // xml:base on the feed, then on one entry: it wins over the entry's page.
    expect(
      await bases('xml:base="https://cdn.example.org/blog/"', [
        `<link href="https://outlet.example/p/1"/>${content}`,
        `<link href="https://outlet.example/p/2"/><content type="html" xml:base="/news/">x</content>`,
      ], 'https://outlet.example/feed'),
    ).toEqual(['https://cdn.example.org/blog/', 'https://cdn.example.org/news/']);
    // No xml:base: the entry's page, else the address the document came from.
    expect(await bases('', [`<link href="https://outlet.example/p/1"/>${content}`, content], 'https://outlet.example/feed')).toEqual([
      'https://outlet.example/p/1',
      'https://outlet.example/feed',
    ]);
    // A file: the entry's page, else the feed's site, else nothing (a relative xml:base on a file is no web address either).
    const file = 'file:///srv/feeds/outlet.atom';
    expect(await bases('', [`<link href="https://outlet.example/p/1"/>${content}`, content, `<content type="html" xml:base="/news/">x</content>`], file)).toEqual([
      'https://outlet.example/p/1',
      null,
      null,
    ]);
    const site = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><link rel="alternate" href="https://outlet.example/"/><entry>${content}</entry></feed>`,
      { url: file, name: 'inline' },
    );
    expect(site.entries[0]!.baseUrl).toBe('https://outlet.example/');
  });
});

describe('parseFeed: Atom 0.3', () => {
  it('reads mode="base64" content and the 0.3 date names', async () => {
    const { entries } = await parse('miniflux/atom03/TestParseAtom03WithBase64Content.xml');
    expect(entries[0]).toMatchObject({ content: '<p>Some text.</p>', author: 'Mark Pilgrim', link: 'http://diveintomark.org/2003/12/13/atom03' });
    expect(entries[0]!.published?.toISOString()).toBe('2003-12-13T12:29:29.000Z'); // <issued>
    expect(entries[0]!.updated?.toISOString()).toBe('2003-12-13T18:30:02.000Z'); // <modified>
  });

  it('keeps the div of 0.3 inline XHTML (only Atom 1.0 defines it as a wrapper)', async () => {
    const feed = await parseFeed(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><tagline type="application/xhtml+xml" mode="xml">' +
        '<div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></tagline></feed>',
      { url: 'https://example.org/', name: 'inline' },
    );
    expect(feed.description).toBe('<div>Example <b>Atom</b></div>');
    expect((await parse('feedparser/wellformed/atom/feed_title_inline_markup.xml')).title).toBe('Example Atom');
    expect((await parse('feedparser/wellformed/atom/entry_summary_base64.xml')).entries[0]!.summary).toBe('Example <b>Atom</b>');
  });

  it('gives an inline XHTML title as its text', async () => {
    expect((await parse('feedparser/wellformed/atom/relative_uri_inherit_2.xml')).title).toBe('Example test');
  });
});
