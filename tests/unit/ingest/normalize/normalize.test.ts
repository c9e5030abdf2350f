import { describe, expect, it } from 'vitest';
import { contentHash, itemId } from '../../../../src/ingest/item.js';
import {
  SHORT_TEXT_CHARS,
  canonicalUrl,
  canonicalUrlOrNull,
  endsCutShort,
  normalizeEntry,
  plainText,
} from '../../../../src/ingest/normalize/normalize.js';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';
import type { ParsedEntry, ParsedFeed } from '../../../../src/ingest/feed/parsed-feed.js';

describe('canonicalUrl', () => {
  const cases: [string, string, string][] = [
    ['scheme and host lower-cased', 'HTTPS://WWW.NKNews.ORG/2024/05/Story/', 'https://www.nknews.org/2024/05/Story/'],
    ['default port dropped', 'https://www.nknews.org:443/a', 'https://www.nknews.org/a'],
    ['http default port dropped', 'http://dailynk.com:80/a', 'http://dailynk.com/a'],
    ['other port kept', 'http://example.org:8080/a', 'http://example.org:8080/a'],
    ['fragment dropped', 'https://example.org/a#comments', 'https://example.org/a'],
    ['surrounding space trimmed', '  https://example.org/a \n', 'https://example.org/a'],
    ['trailing dot of the host dropped', 'https://example.org./a', 'https://example.org/a'],
    ['dot segments resolved', 'https://example.org/a/./b/../c', 'https://example.org/a/c'],
    ['empty query dropped', 'https://example.org/a?', 'https://example.org/a'],
    ['utm_* dropped', 'https://example.org/a?utm_source=feed&utm_medium=rss&UTM_Campaign=x', 'https://example.org/a'],
    [
      'trackers dropped, other parameters kept in order',
      'https://example.org/a?b=2&fbclid=F&a=1&gclid=G&dclid=D&msclkid=M&mc_cid=C&mc_eid=E&yclid=Y&igshid=I&_ga=1.2&ref_src=twsrc&z=0',
      'https://example.org/a?b=2&a=1&z=0',
    ],
    ['repeated and valueless parameters kept', 'https://example.org/s?q=a&q=b&flag', 'https://example.org/s?q=a&q=b&flag'],
    ['ref is not a tracker', 'https://example.org/a?ref=main', 'https://example.org/a?ref=main'],
    ['percent-escape hex upper-cased', 'https://example.org/a%2fb?x=%3d', 'https://example.org/a%2Fb?x=%3D'],
    ['escaped unreserved characters decoded', 'https://example.org/%7Euser/%41%2D%5F?q=%61', 'https://example.org/~user/A-_?q=a'],
    ['non-ASCII path encoded once', 'https://example.org/북한', 'https://example.org/%EB%B6%81%ED%95%9C'],
    ['AMP: trailing /amp/ segment', 'https://www.nknews.org/2024/05/story/amp/', 'https://www.nknews.org/2024/05/story/'],
    ['AMP: trailing /amp', 'https://example.org/news/story-1/amp', 'https://example.org/news/story-1'],
    ['AMP: leading /amp/ segment', 'https://example.org/amp/news/story-1', 'https://example.org/news/story-1'],
    ['AMP: only segment', 'https://example.org/amp/', 'https://example.org/'],
    ['AMP: ?amp=1', 'https://example.org/story/?amp=1', 'https://example.org/story/'],
    ['AMP: ?amp', 'https://example.org/story/?id=4&amp', 'https://example.org/story/?id=4'],
    ['AMP: ?amp=true', 'https://example.org/story?amp=true&p=2', 'https://example.org/story?p=2'],
    ['AMP: outputType=amp', 'https://www.washingtonpost.com/world/2024/05/06/story/?outputType=amp', 'https://www.washingtonpost.com/world/2024/05/06/story/'],
    ['outputType other than amp kept', 'https://example.org/x?outputType=print', 'https://example.org/x?outputType=print'],
    ['AMP: amp. subdomain', 'https://amp.theguardian.com/world/2024/may/06/story', 'https://theguardian.com/world/2024/may/06/story'],
    ['a host that is only amp.<tld> kept', 'https://amp.dev/documentation/', 'https://amp.dev/documentation/'],
    ['AMP: .amp ending', 'https://www.bbc.co.uk/news/world-asia-68950000.amp', 'https://www.bbc.co.uk/news/world-asia-68950000'],
    ['AMP: .amp.html ending', 'https://example.org/2024/story.amp.html', 'https://example.org/2024/story.html'],
    [
      'AMP cache address',
      'https://www-nknews-org.cdn.ampproject.org/c/s/www.nknews.org/2024/05/story/amp/?amp_js_v=0.1&usqp=mq331AQ',
      'https://www.nknews.org/2024/05/story/',
    ],
    ['Google AMP viewer address', 'https://www.google.com/amp/s/www.dailynk.com/english/story/amp/', 'https://www.dailynk.com/english/story/'],
    ['"amp" inside a word kept', 'https://example.org/camp/ample?lamp=1', 'https://example.org/camp/ample?lamp=1'],
    // Found by the property tests (tests/fuzz): one rewrite making room for another, canonical only on a second pass.
    ['AMP: escaped amp segment', 'https://example.org/%61mp/story', 'https://example.org/story'],
    ['AMP: .amp ending twice', 'https://example.org/story.amp.amp', 'https://example.org/story'],
    ['AMP: amp. subdomain twice', 'https://amp.amp.example.org/a', 'https://example.org/a'],
    ['AMP: viewer address of an AMP cache address', 'https://www.google.com/amp/s/www-x-org.cdn.ampproject.org/c/s/www.x.org/story/', 'https://www.x.org/story/'],
    ['AMP: dot segment left by an .amp ending resolved', 'https://example.org/a/..amp', 'https://example.org/a/'],
    ['every trailing dot of the host dropped', 'http://example.org../a', 'http://example.org/a'],
    ['a host without its dots read again', 'http://1../x', 'http://0.0.0.1/x'],
    ['a host that is one dot kept (not the path read as a host)', 'http://./a', 'http://./a'],
    ['trailing dots kept where a name would end in a number', 'http://amp.1../', 'http://amp.1../'],
  ];
  it.each(cases)('%s', (_, input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [, input] of cases) expect(canonicalUrl(canonicalUrl(input))).toBe(canonicalUrl(input));
  });

  it('returns anything that is not an absolute http(s) address trimmed, without throwing', () => {
    expect(canonicalUrl(' /relative/path ')).toBe('/relative/path');
    expect(canonicalUrl('mailto:desk@example.org')).toBe('mailto:desk@example.org');
    expect(canonicalUrl('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(canonicalUrl('http://')).toBe('http://');
    expect(canonicalUrl('')).toBe('');
  });

  it('canonicalUrlOrNull keeps only http(s) addresses', () => {
    expect(canonicalUrlOrNull(null)).toBeNull();
    expect(canonicalUrlOrNull('   ')).toBeNull();
    expect(canonicalUrlOrNull('/relative')).toBeNull();
    expect(canonicalUrlOrNull('javascript:alert(1)')).toBeNull();
    expect(canonicalUrlOrNull('ftp://example.org/x')).toBeNull();
    expect(canonicalUrlOrNull('https://Example.org/a?utm_source=x#top')).toBe('https://example.org/a');
  });
});

const FEED_URL = 'https://www.nknews.org/feed/';
const source = { id: 'src_nknews', outlet: null, feedUrl: FEED_URL };

function feed(overrides: Partial<ParsedFeed> = {}): ParsedFeed {
  return {
    format: 'rss', title: 'NK News', link: 'https://www.nknews.org/', description: null,
    language: 'en', ttlMinutes: null, entries: [], ...overrides,
  };
}

function entry(overrides: Partial<ParsedEntry> = {}): ParsedEntry {
  return {
    guid: 'https://www.nknews.org/?p=1001',
    title: 'Defectors arrested in China',
    link: 'https://www.nknews.org/2024/05/defectors-arrested/?utm_source=rss&utm_medium=rss',
    author: 'Jane Doe',
    categories: [],
    summary: '<p>Seven defectors were arrested.</p>',
    content: `<p>${'Seven defectors were arrested in Shenyang last week, activists said. '.repeat(12)}</p>`,
    published: new Date('2024-05-06T10:15:00Z'),
    updated: null,
    ...overrides,
  };
}

describe('normalizeEntry', () => {
  it('builds an Item from a full entry', () => {
    const item = normalizeEntry(entry({ categories: [' Refugees ', 'China', 'refugees', ''] }), feed(), source);
    expect(item).toMatchObject({
      sourceId: 'src_nknews',
      key: 'https://www.nknews.org/?p=1001',
      id: itemId('src_nknews', 'https://www.nknews.org/?p=1001'),
      title: 'Defectors arrested in China',
      url: 'https://www.nknews.org/2024/05/defectors-arrested/',
      attribution: null,
      outlets: ['NK News'],
      author: 'Jane Doe',
      publishedAt: new Date('2024-05-06T10:15:00Z'),
      archiveMonth: null,
      categories: ['Refugees', 'China'],
      tags: [],
      summary: 'Seven defectors were arrested.',
      truncated: false,
    });
    expect(item.contentText.startsWith('Seven defectors were arrested in Shenyang')).toBe(true);
    expect(item.contentHash).toBe(contentHash(item.contentText));
  });

  it('sanitises the content: scripts, handlers, javascript: links and iframes removed, relative links absolute', () => {
    const content =
      '<p onclick="steal()">Lead <a href="/2024/04/earlier-story/">earlier</a> ' +
      '<a href="javascript:alert(1)">bad</a></p><script>alert(1)</script>' +
      '<img src="../../images/photo.jpg" onerror="alert(2)"><iframe src="https://evil.example/">x</iframe>';
    const item = normalizeEntry(entry({ content }), feed(), source);
    expect(item.contentHtml).not.toMatch(/onclick|onerror|javascript|<script|<iframe|alert|evil/i);
    expect(item.contentHtml).toContain('href="https://www.nknews.org/2024/04/earlier-story/"');
    expect(item.contentHtml).toContain('src="https://www.nknews.org/2024/images/photo.jpg"');
    expect(item.contentText).toBe('Lead earlier bad');
  });

  it('resolves relative links of a feed read from a file against the entry page, and drops what has no web base', async () => {
    const document = `<rss version="2.0"><channel><title>Outlet</title>
      <item><title>With a page</title><link>https://outlet.example/2024/05/story/</link><description><![CDATA[
        <p><a href="/about">About</a> <img src="/img/map.png" alt="Map"> <a href="more/">more</a>
        <img src="//cdn.outlet.example/x.jpg"> <a href="javascript:alert(1)">bad</a> <a href="ftp://outlet.example/f">ftp</a></p>]]></description></item>
      <item><title>Without</title><description><![CDATA[<p><a href="/about">About</a> <img src="/img/map.png"> <a href="https://outlet.example/x">abs</a></p>]]></description></item>
      </channel></rss>`;
    const feedUrl = 'file:///srv/feeds/outlet.rss';
    const parsed = await parseFeed(document, { url: feedUrl, name: 'file' });
    const [withPage, without] = parsed.entries.map((e) => normalizeEntry(e, parsed, { id: 'src_file', outlet: null, feedUrl }));
    const REL = 'rel="noopener noreferrer nofollow"';
    expect(withPage!.contentHtml).toBe(
      `<p><a href="https://outlet.example/about" ${REL}>About</a> <img src="https://outlet.example/img/map.png" alt="Map" /> ` +
        `<a href="https://outlet.example/2024/05/story/more/" ${REL}>more</a>\n        <img src="https://cdn.outlet.example/x.jpg" /> ` +
        `<a ${REL}>bad</a> <a ${REL}>ftp</a></p>`,
    );
    // No xml:base, no page, no site: nothing to resolve against, so the link keeps only its text and the image goes.
    expect(without!.contentHtml).toBe(`<p><a ${REL}>About</a>  <a href="https://outlet.example/x" ${REL}>abs</a></p>`);
  });

  it('resolves relative links against the feed address when the entry has no link', () => {
    const item = normalizeEntry(entry({ link: null, content: '<p><a href="story/1">s</a></p>' }), feed(), source);
    expect(item.contentHtml).toContain('href="https://www.nknews.org/feed/story/1"');
    expect(item.url).toBeNull();
  });

  it('keeps the parser\'s plain-text title and the feed\'s title character for character, whitespace collapsed', () => {
    // The parser read each title by its type already (see parse-atom and parse-rss tests): `<` here is a character.
    for (const title of ['  Vector<T> and\n a < b ', 'Meet us at <talks> today', 'Write &amp; for &', '<script>alert(1)</script>']) {
      const item = normalizeEntry(entry({ title }), feed({ title: 'Desk <beta>' }), source);
      expect(item.title).toBe(title.replace(/\s+/g, ' ').trim());
      expect(item.outlets).toEqual(['Desk <beta>']);
    }
    expect(plainText(null)).toBe('');
  });

  it('reads authors and categories, whose type no feed declares, as HTML when they hold markup', () => {
    const item = normalizeEntry(entry({ author: 'Kim &amp; <b>Lee</b>', categories: ['<!--:en-->Refugees<!--:-->', 'China&#8217;s'] }), feed(), source);
    expect(item.author).toBe('Kim & Lee');
    expect(item.categories).toEqual(['Refugees', 'China’s']);
  });

  it('keeps an unknown date unknown and falls back to the updated date', () => {
    expect(normalizeEntry(entry({ published: null, updated: null }), feed(), source).publishedAt).toBeNull();
    expect(normalizeEntry(entry({ published: new Date('nope') }), feed(), source).publishedAt).toBeNull();
    const updated = new Date('2024-05-07T00:00:00Z');
    expect(normalizeEntry(entry({ published: null, updated }), feed(), source).publishedAt).toEqual(updated);
  });

  it('gives stable ids: equal for the same entry, different for different guids or Sources', () => {
    const a = normalizeEntry(entry(), feed(), source);
    const b = normalizeEntry(entry(), feed(), source);
    expect(b).toEqual(a);
    expect(normalizeEntry(entry({ guid: 'https://www.nknews.org/?p=1002' }), feed(), source).id).not.toBe(a.id);
    expect(normalizeEntry(entry(), feed(), { ...source, id: 'src_other' }).id).not.toBe(a.id);
    // The id follows the guid, not the text: an edited story keeps its id.
    expect(normalizeEntry(entry({ content: '<p>Corrected text.</p>' }), feed(), source).id).toBe(a.id);
  });

  it('keys an entry without guid by its canonical link, else by title and date', () => {
    const byLink = normalizeEntry(entry({ guid: null }), feed(), source);
    expect(byLink.key).toBe('https://www.nknews.org/2024/05/defectors-arrested/');
    // Tracking parameters do not make a second Item.
    const viaNewsletter = entry({ guid: '  ', link: 'https://www.nknews.org/2024/05/defectors-arrested/?utm_source=newsletter&fbclid=x' });
    expect(normalizeEntry(viaNewsletter, feed(), source).id).toBe(byLink.id);

    const bare = normalizeEntry(entry({ guid: null, link: null }), feed(), source);
    expect(bare.key).toBe(`h:${contentHash('Defectors arrested in China\n2024-05-06T10:15:00.000Z')}`);
    const otherDay = normalizeEntry(entry({ guid: null, link: null, published: new Date('2024-05-07T10:15:00Z') }), feed(), source);
    expect(otherDay.id).not.toBe(bare.id);
    // Untitled, unlinked, undated entries are told apart by their text.
    const one = normalizeEntry(entry({ guid: null, link: null, title: null, published: null, content: '<p>One</p>' }), feed(), source);
    const two = normalizeEntry(entry({ guid: null, link: null, title: null, published: null, content: '<p>Two</p>' }), feed(), source);
    expect(one.id).not.toBe(two.id);
    expect(one.title).toBe('One');
  });

  it('takes the Outlet from the Source, else from the feed title', () => {
    expect(normalizeEntry(entry(), feed({ title: 'NK News - North Korea News' }), { ...source, outlet: 'NK News' }).outlets).toEqual(['NK News']);
    expect(normalizeEntry(entry(), feed({ title: 'Daily NK' }), source).outlets).toEqual(['Daily NK']);
    expect(normalizeEntry(entry(), feed({ title: null }), source).outlets).toEqual([]);
  });

  it('uses the summary when there is no content, and the content when there is no summary', () => {
    const onlySummary = normalizeEntry(entry({ content: null, summary: '<p>Short <b>teaser</b>.</p>' }), feed(), source);
    expect(onlySummary.contentHtml).toBe('<p>Short <b>teaser</b>.</p>');
    expect(onlySummary.summary).toBe('Short teaser.');
    const onlyContent = normalizeEntry(entry({ summary: null, content: '<p>Full text.</p>' }), feed(), source);
    expect(onlyContent.summary).toBe('Full text.');
    const neither = normalizeEntry(entry({ summary: null, content: null }), feed(), source);
    expect(neither).toMatchObject({ contentHtml: '', contentText: '', summary: '' });
  });

  describe('truncated', () => {
    const long = 'Seven defectors were arrested in Shenyang last week. '.repeat(20);

    it('is set for teasers: ellipsis, [&hellip;] or read-more endings', () => {
      for (const summary of [
        '<p>Seven defectors were arrested in Shenyang&hellip;</p>',
        '<p>Seven defectors were arrested in Shenyang...</p>',
        '<p>Seven defectors were arrested [&#8230;]</p><p>The post <a href="x">Defectors</a> appeared first on <a href="y">NK News</a>.</p>',
        '<p>Seven defectors were arrested.</p><p><a href="/x">Read more</a></p>',
        '<p>Seven defectors were arrested. <a class="more-link" href="/x">Continue reading “Defectors” →</a></p>',
        '<p>Seven defectors were arrested.</p><p>Read the full story at NK News</p>',
      ]) {
        expect(normalizeEntry(entry({ content: null, summary }), feed(), source).truncated, summary).toBe(true);
      }
      // A long text that still ends like a teaser is cut short too.
      expect(normalizeEntry(entry({ content: `<p>${long}</p><p><a href="/x">Read more</a></p>` }), feed(), source).truncated).toBe(true);
    });

    it(`is set for a summary-only entry under ${SHORT_TEXT_CHARS} characters, not for a long one or for full content`, () => {
      expect(normalizeEntry(entry({ content: null, summary: '<p>Seven defectors were arrested.</p>' }), feed(), source).truncated).toBe(true);
      // Parsers may copy an RSS description into both fields: still only a summary.
      const same = '<p>Seven defectors were arrested.</p>';
      expect(normalizeEntry(entry({ content: same, summary: same }), feed(), source).truncated).toBe(true);
      expect(normalizeEntry(entry({ content: null, summary: `<p>${long}</p>` }), feed(), source).truncated).toBe(false);
      expect(normalizeEntry(entry({ content: '<p>A short brief, complete.</p>', summary: '<p>Brief.</p>' }), feed(), source).truncated).toBe(false);
    });

    it('is not set by an ellipsis or the words "read more" inside the text', () => {
      expect(endsCutShort('He paused... then spoke.\n\nTo read more about the camps, see our report.')).toBe(false);
      expect(endsCutShort('')).toBe(false);
    });
  });
});
