import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';

const fixtures = path.join(import.meta.dirname, '../../../fixtures/feeds');
const parse = (file: string, url = 'http://127.0.0.1:8097/feed.xml', contentType: string | null = null) =>
  parseFeed(readFileSync(path.join(fixtures, file)), { url, contentType, name: file });

describe('parseFeed: RSS 2.0', () => {
  it('reads a real feed: title, site, language, item fields and dates in UTC', async () => {
    const feed = await parse('rss-parser/narro.rss');
    expect(feed.format).toBe('rss');
    expect(feed.title).toBeTruthy();
    expect(feed.entries.length).toBeGreaterThan(0);
    for (const entry of feed.entries) {
      expect(entry.link).toMatch(/^https?:\/\//);
      expect(entry.published === null || !Number.isNaN(entry.published.getTime())).toBe(true);
    }
  });

  it('takes a permalink guid as the link, but never a guid marked isPermaLink="false"', async () => {
    const permalink = await parse('feedparser/wellformed/rss/item_guid_isPermaLink_map_link.xml');
    expect(permalink.entries[0]!.link).toBe('http://guid.example.com/');
    const notPermalink = await parse('feedparser/wellformed/rss/item_guid_not_permalink_not_url.xml');
    expect(notPermalink.entries[0]).toMatchObject({ guid: 'abc', link: null });
  });

  it('splits an RSS author into name and address and shows it the feedparser way', async () => {
    const { entries } = await parse('feedparser/wellformed/rss/item_author_map_author_detail_email2.xml');
    expect(entries[0]!.authors).toEqual([{ name: 'Example editor', email: 'me@example.com', url: null }]);
    expect(entries[0]!.author).toBe('Example editor (me@example.com)');
  });

  it('prefers content:encoded-like full text over the description, and keeps both', async () => {
    const { entries } = await parse('feedparser/wellformed/rss/item_xhtml_body.xml');
    expect(entries[0]!.content).toBe('<p>Example content</p>');
    const both = await parse('feedparser/wellformed/rss/item_description_and_summary.xml');
    expect(both.entries[0]).toMatchObject({ summary: 'Example description', content: 'Example summary' });
  });

  it('reads enclosures and Media RSS content, resolving and de-duplicating addresses', async () => {
    const { entries } = await parse('feedparser/wellformed/rss/item_enclosure_type.xml');
    expect(entries[0]!.enclosures).toEqual([{ url: 'http://example.com/', type: 'image/jpeg', length: 100000 }]);
    const media = await parse('miniflux/rss/TestParseEntryWithMediaContent.xml', 'https://example.org/feed.xml');
    expect(media.entries[0]!.enclosures!.map((e) => e.url)).toEqual([
      'https://example.org/media1.jpg',
      'https://example.org/media2.jpg',
      'https://example.org/thumbnail.jpg',
    ]);
  });

  it('prefers feedburner:origLink (the article) over the FeedBurner redirect', async () => {
    const { entries } = await parse('miniflux/rss/TestParseEntryWithFeedBurnerLink.xml');
    expect(entries[0]!.link).toBe('http://example.org/original');
  });

  it('decodes double-encoded entities in titles', async () => {
    const { entries } = await parse('miniflux/rss/TestParseItemTitleWithDoubleEncodedEntities.xml');
    expect(entries[0]!.title).toBe("'Text'");
  });

  it('reads a title as HTML only when it looks like HTML (feedparser\'s rule): other brackets are text', async () => {
    const items = [
      'Meet us at &lt;talks&gt; today',
      'Vector&lt;T&gt; and a &lt; b',
      '<![CDATA[Vector<T> and a < b]]>',
      // HTML: a closing tag or a reference, and only HTML elements.
      'China&amp;#8217;s &lt;b&gt;crackdown&lt;/b&gt;',
      // Markup in an attribute: the attribute's `<b>` and `>` are not the title's text.
      '&lt;a title="&lt;b&gt;x&lt;/b&gt; &gt; y" href="/k"&gt;Kim&lt;/a&gt; &amp;amp; Moon',
      // An element no HTML has: text, as feedparser reads it (escaped again wherever it is shown).
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      // Comments and doctypes are markup (qTranslate's language markers, a pasted page).
      '&lt;!--:en--&gt;Defectors arrested&lt;!--:--&gt;',
      '&lt;!DOCTYPE html&gt;Defectors',
    ];
    const feed = await parseFeed(`<rss version="2.0"><channel><title>Desk &lt;beta&gt;</title>${items.map((t) => `<item><title>${t}</title></item>`).join('')}</channel></rss>`, {
      url: 'https://example.org/feed',
      name: 'inline',
    });
    expect(feed.title).toBe('Desk <beta>');
    expect(feed.entries.map((entry) => entry.title)).toEqual([
      'Meet us at <talks> today',
      'Vector<T> and a < b',
      'Vector<T> and a < b',
      'China’s crackdown',
      'Kim & Moon',
      '<script>alert(1)</script>',
      'Defectors arrested',
      'Defectors',
    ]);
  });

  it('bases relative URLs in content on xml:base, else the item page, else the document, else the site', async () => {
    const item = (link: string, base = '') => `<item${base}>${link}<description>&lt;a href="/about"&gt;a&lt;/a&gt;</description></item>`;
    const rss = (channel: string, url: string) =>
      parseFeed(`<rss version="2.0"><channel>${channel}</channel></rss>`, { url, name: 'inline' }).then((feed) => feed.entries.map((entry) => entry.baseUrl));
    expect(
      await rss(
        [item('<link>https://outlet.example/p/1</link>', ' xml:base="https://cdn.example.org/blog/"'), item('<link>https://outlet.example/p/2</link>'), item('')].join(''),
        'https://outlet.example/rss',
      ),
    ).toEqual(['https://cdn.example.org/blog/', 'https://outlet.example/p/2', 'https://outlet.example/rss']);
    const file = 'file:///srv/feeds/outlet.rss';
    expect(await rss([item('<link>https://outlet.example/p/1</link>'), item('')].join(''), file)).toEqual(['https://outlet.example/p/1', null]);
    expect(await rss(`<link>https://outlet.example/</link>${item('')}`, file)).toEqual(['https://outlet.example/']);
  });

  it('reads <ttl> in minutes and ignores a value that is not a number', async () => {
    expect((await parse('miniflux/rss/TestParseFeedWithTTLField.xml')).ttlMinutes).toBe(60);
    expect((await parse('miniflux/rss/TestParseFeedWithIncorrectTTLValue.xml')).ttlMinutes).toBeNull();
  });

  it('makes duplicate guids unique from each entry content, stable whatever the order', async () => {
    const { entries } = await parse('miniflux/rss/TestParseEntriesWithDuplicateGUIDAndDistinctLinks.xml');
    const guids = entries.map((entry) => entry.guid!);
    expect(new Set(guids).size).toBe(3);
    for (const guid of guids) expect(guid).toMatch(/^dup-guid#[0-9a-f]{10}$/);

    const body = readFileSync(path.join(fixtures, 'miniflux/rss/TestParseEntriesWithDuplicateGUIDAndDistinctLinks.xml'), 'utf8');
    const items = body.match(/<item>[\s\S]*?<\/item>/g)!;
    const reordered = body.replace(items.join('\n\t\t\t'), [...items].reverse().join('\n\t\t\t'));
    const again = await parseFeed(reordered, { url: 'http://127.0.0.1:8097/feed.xml', name: 'reordered' });
    expect(new Map(again.entries.map((entry) => [entry.title, entry.guid]))).toEqual(new Map(entries.map((entry) => [entry.title, entry.guid])));
  });

  it('keeps unique guids exactly as written', async () => {
    const feed = await parseFeed('<rss><channel><item><guid>a</guid></item><item><guid>b</guid></item></channel></rss>', { url: 'https://x.test/', name: 't' });
    expect(feed.entries.map((entry) => entry.guid)).toEqual(['a', 'b']);
  });
});

describe('parseFeed: RSS 0.90 / 1.0 (RDF)', () => {
  it('finds items beside the channel and uses rdf:about as the guid', async () => {
    const feed = await parse('feedparser/wellformed/rdf/rdf_item_rdf_about.xml');
    expect(feed.format).toBe('rdf');
    expect(feed.entries[0]!.guid).toBe('http://example.org/1');
    expect((await parse('feedparser/wellformed/rdf/rss090_item_title.xml')).entries[0]!.title).toBe('Item title');
  });

  it('matches core elements by namespace: a module element reusing a core name is not the core one', async () => {
    const { entries } = await parse('feedparser/wellformed/namespace/rss1.0withModulesNoDefNSLocalNameClash.xml');
    expect(entries[0]!.summary).toBe('correct description');
    expect(entries[0]!.published?.toISOString()).toBe('2002-09-28T20:01:19.000Z'); // dcterms:created
  });

  it('resolves a relative item link against the feed address', async () => {
    const { entries } = await parse('miniflux/rdf/TestParseItemRelativeURL.xml', 'https://example.org/feeds/rdf.xml');
    expect(entries[0]!.link).toBe('https://example.org/feeds/something.html');
  });

  it('decodes HTML entities a feed uses without declaring them', async () => {
    expect((await parse('miniflux/rdf/TestParseFeedWithHTMLEntity.xml')).title).toBe('Example Feed');
  });
});
