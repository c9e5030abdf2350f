import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../src/ingest/feed/parse.js';

const fixtures = path.join(import.meta.dirname, '../../../fixtures/feeds/miniflux/json');
const parse = (file: string, url = 'https://example.org/feed.json') => parseFeed(readFileSync(path.join(fixtures, file)), { url, name: file });
const inline = (feed: object) => parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', ...feed }), { url: 'https://example.org/feed.json', name: 'inline' });

describe('parseFeed: JSON Feed', () => {
  it('reads JSON Feed 1.0: items, ids, addresses, HTML and text content', async () => {
    const feed = await parse('TestParseJsonFeedVersion1.json');
    expect(feed).toMatchObject({ format: 'json', title: 'My Example Feed', link: 'https://example.org/' });
    expect(feed.entries.map((entry) => [entry.guid, entry.link, entry.content])).toEqual([
      ['2', 'https://example.org/second-item', 'This is a second item.'],
      ['1', 'https://example.org/initial-post', '<p>Hello, world!</p>'],
    ]);
  });

  it('escapes content_text, keeping its paragraphs', async () => {
    const { entries } = await parse('TestParseItemWithPlainTextContentContainingHTMLCharacters.json');
    expect(entries[0]!.content).toBe('Use &lt;div&gt; literally: a &amp; b &lt; c');
    const paragraphs = await inline({ items: [{ id: 'p', content_text: 'One\n\nTwo' }] });
    expect(paragraphs.entries[0]!.content).toBe('<p>One</p><p>Two</p>');
  });

  it('keeps brackets in titles, which JSON Feed defines as plain text', async () => {
    const { entries } = await inline({ items: [{ id: 't', title: 'Vector<T> and a < b' }] });
    expect(entries[0]!.title).toBe('Vector<T> and a < b');
  });

  it('bases relative URLs in content on the item page, else the document, else the home page', async () => {
    const items = [{ id: 'a', url: '/p/1', content_html: '<a href="x">x</a>' }, { id: 'b', content_html: '<a href="x">x</a>' }];
    expect((await inline({ items })).entries.map((entry) => entry.baseUrl)).toEqual(['https://example.org/p/1', 'https://example.org/feed.json']);
    const fileItems = [{ ...items[0], url: 'https://outlet.example/p/1' }, items[1]];
    const file = await parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', home_page_url: 'https://outlet.example/', items: fileItems }), {
      url: 'file:///srv/feed.json',
      name: 'inline',
    });
    expect(file.entries.map((entry) => entry.baseUrl)).toEqual(['https://outlet.example/p/1', 'https://outlet.example/']);
  });

  it('takes 1.1 authors over the deprecated 1.0 author, and feed authors for items without', async () => {
    const { entries } = await parse('TestParseItemWithMultipleAuthorFields.json');
    expect(entries[0]!.author).toBe('Brent Simmons');
    expect(entries[0]!.published?.toISOString()).toBe('2016-02-09T21:22:00.000Z');
  });

  it('resolves relative addresses against feed_url, and accepts numeric ids', async () => {
    const feed = await parse('TestParseFeedWithRelativeSiteURL.json');
    expect(feed.link).toBe('https://example.org/home');
    const numeric = await inline({ items: [{ id: 7, url: '/posts/7', tags: ['NK', ' NK ', 'refugees'], attachments: [{ url: 'a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 123 }] }] });
    expect(numeric.entries[0]).toMatchObject({
      guid: '7',
      link: 'https://example.org/posts/7',
      categories: ['NK', 'refugees'],
      enclosures: [{ url: 'https://example.org/a.mp3', type: 'audio/mpeg', length: 123 }],
    });
  });

  it('ignores values of the wrong type instead of failing', async () => {
    const feed = await inline({ title: 42, items: [null, 'x', { id: 'a', title: ['no'], date_published: 5 }] });
    expect(feed.title).toBeNull();
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]).toMatchObject({ guid: 'a', title: null, published: null });
  });

  it('reports invalid JSON as not a feed', async () => {
    await expect(parseFeed('{"version": ', { url: 'https://example.org/', name: 'broken' })).rejects.toMatchObject({ code: 'not_a_feed' });
  });
});
