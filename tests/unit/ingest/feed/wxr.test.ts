import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { itemId } from '../../../../src/ingest/item.js';
import { parseWordpressExport, publishedPosts, wxrPostToItem, type WxrPost } from '../../../../src/ingest/feed/wxr.js';

const SAMPLE = readFileSync(new URL('../../../fixtures/wxr/sample.xml', import.meta.url), 'utf8');
const BLOG = 'https://blog.crossingborders.example';

function post(overrides: Partial<WxrPost>): WxrPost {
  return {
    guid: `${BLOG}/?p=1`, title: 'A post', link: `${BLOG}/a-post/`, published: null, author: null,
    categories: [], tags: [], contentHtml: '', excerptHtml: null, status: 'publish', postType: 'post',
    passwordProtected: false, ...overrides,
  };
}

/** A minimal WXR document around `items`. */
function wxr(items: string, namespaces = 'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"'): string {
  return `<?xml version="1.0"?><rss version="2.0" ${namespaces}><channel><title>Blog</title>${items}</channel></rss>`;
}

describe('parseWordpressExport', () => {
  const posts = parseWordpressExport(SAMPLE, 'sample.xml');

  it('reads every item in file order, pages and drafts included', () => {
    expect(posts.map((p) => [p.title, p.postType, p.status])).toEqual([
      ['Seven defectors arrested in Shenyang face repatriation', 'post', 'publish'],
      ['Draft: notes for the spring newsletter', 'post', 'draft'],
      ['About Us', 'page', 'publish'],
      ['China’s crackdown & the women who escape', 'post', 'publish'],
    ]);
  });

  it('reads a published post: guid, link, UTC date, author display name, categories vs tags', () => {
    const [first] = posts;
    expect(first).toMatchObject({
      guid: `${BLOG}/?p=1201`,
      link: `${BLOG}/2024/05/seven-defectors-arrested-in-shenyang/`,
      // wp:post_date_gmt, not the blog's local wp:post_date (19:15 in Seoul).
      published: new Date('2024-05-06T10:15:00Z'),
      author: 'Dan Chung',
      categories: ['Refugees'],
      // `post_format` is neither.
      tags: ['China', 'Forced repatriation'],
      excerptHtml: 'Seven defectors, including a teenager, were arrested in Shenyang.',
      passwordProtected: false,
    });
    expect(first?.contentHtml).toMatch(/^Seven North Korean defectors/);
    expect(first?.contentHtml).toContain('[caption id="attachment_1202"');
  });

  it('gives a draft no date (its GMT date is zero and its pubDate is year -1)', () => {
    expect(posts[1]).toMatchObject({ published: null, author: 'Grace Lee', excerptHtml: null });
  });

  it('decodes a title that was escaped twice', () => {
    expect(posts[3]?.title).toBe('China’s crackdown & the women who escape');
  });

  it('publishedPosts keeps published posts only: no drafts, pages or password-protected posts', () => {
    expect(publishedPosts(posts).map((p) => p.guid)).toEqual([`${BLOG}/?p=1201`, `${BLOG}/?p=1190`]);
    expect(publishedPosts([post({ passwordProtected: true })])).toEqual([]);
  });

  it('falls back to pubDate, the dc:creator login and the link when the export lacks the rest', () => {
    const [only] = parseWordpressExport(
      wxr(
        '<item><title>T</title><link>https://b.example/t/</link><pubDate>Tue, 16 Apr 2024 03:30:00 +0000</pubDate>' +
          '<dc:creator>someone</dc:creator><category><![CDATA[News]]></category><category domain="tag">WXR 1.0 tag</category>' +
          '<wp:post_password>secret</wp:post_password></item>',
        'xmlns:wp="http://wordpress.org/export/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"',
      ),
      'old.xml',
    );
    expect(only).toMatchObject({
      guid: 'https://b.example/t/',
      published: new Date('2024-04-16T03:30:00Z'),
      author: 'someone',
      categories: ['News'],
      tags: ['WXR 1.0 tag'],
      contentHtml: '',
      status: '',
      postType: '',
      passwordProtected: true,
    });
  });

  it('rejects invalid XML and documents that are not WordPress exports', () => {
    const cases: [string, RegExp][] = [
      ['<rss><channel><item></channel></rss>', /^archive: bad\.xml: not a WordPress export: invalid XML: /],
      ['', /not a WordPress export: invalid XML: empty document/],
      ['just text', /not a WordPress export: invalid XML/],
      ['<opml version="2.0"><body/></opml>', /not a WordPress export: root element is <opml>, not <rss>/],
      ['<rss version="2.0"></rss>', /not a WordPress export: no <channel>/],
      ['<rss version="2.0"><channel><title>A feed</title><item><title>x</title></item></channel></rss>', /without the WXR namespace/],
    ];
    for (const [xml, message] of cases) {
      let error: unknown;
      try {
        parseWordpressExport(xml, 'bad.xml');
      } catch (caught) {
        error = caught;
      }
      expect(error, xml).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(message);
      expect((error as InputError).stage).toBe('archive');
    }
  });

  it('accepts an export with no items', () => {
    expect(parseWordpressExport(wxr(''), 'empty.xml')).toEqual([]);
  });
});

describe('wxrPostToItem', () => {
  const posts = parseWordpressExport(SAMPLE, 'sample.xml');
  const [shenyang, , , crackdown] = posts as [WxrPost, WxrPost, WxrPost, WxrPost];

  it('turns a classic-editor post into an Item: paragraphs, shortcodes, sanitising, credit line', () => {
    const item = wxrPostToItem(shenyang, 'src_blog');
    expect(item).toMatchObject({
      id: itemId('src_blog', `${BLOG}/?p=1201`),
      sourceId: 'src_blog',
      key: `${BLOG}/?p=1201`,
      title: 'Seven defectors arrested in Shenyang face repatriation',
      url: `${BLOG}/2024/05/seven-defectors-arrested-in-shenyang/`,
      attribution: 'NK News',
      outlets: ['NK News'],
      author: 'Dan Chung',
      publishedAt: new Date('2024-05-06T10:15:00Z'),
      archiveMonth: null,
      categories: ['Refugees'],
      tags: ['China', 'Forced repatriation'],
      summary: 'Seven defectors, including a teenager, were arrested in Shenyang.',
      truncated: false,
    });
    expect(item.contentText).toBe(
      'Seven North Korean defectors, among them a teenage girl, were arrested by Chinese police in Shenyang last week, according to activists in Seoul.\n\n' +
        'Shenyang railway station\n\n' +
        'The group had crossed the Tumen River in March and were hiding in a safe house.\n' +
        'Relatives in South Korea said they had not heard from them since April 28.\n\n' +
        'Human rights groups urged Beijing not to send them back, saying they would face torture and imprisonment.',
    );
    expect(item.contentHtml).toMatch(/^<p>Seven North Korean defectors/);
    expect(item.contentHtml).toContain('<br />');
    expect(item.contentHtml).toContain('<em>torture</em>');
    expect(item.contentHtml).not.toMatch(/\[caption|\[\/caption|\[embed|youtube|<script|alert|NK News|class=/);
  });

  it('reads a block-editor post with a two-Outlet credit line', () => {
    const item = wxrPostToItem(crackdown, 'src_blog');
    expect(item.attribution).toBe('VoA/South China Morning Post');
    expect(item.outlets).toEqual(['VoA', 'South China Morning Post']);
    expect(item.contentHtml).not.toMatch(/<!--|VoA|\[/);
    expect(item.contentHtml).toContain(`href="${BLOG}/tag/south-korea/"`);
    expect(item.contentText.split('\n\n')).toHaveLength(2);
    // The excerpt it reposts ends in an ellipsis: the text is cut short.
    expect(item.truncated).toBe(true);
    expect(item.summary).toMatch(/^Most North Koreans who reach China are women/);
  });

  it('finds the credit as the last line of a paragraph and before a Read more link', () => {
    const item = wxrPostToItem(
      post({ contentHtml: 'First paragraph.\n\nLast words of the excerpt.\n[The Daily NK]\n\n<a href="https://dailynk.com/x">Read more</a>' }),
      'src_blog',
    );
    expect(item.attribution).toBe('The Daily NK');
    expect(item.outlets).toEqual(['Daily NK']);
    expect(item.contentHtml).toBe('<p>First paragraph.</p>\n<p>Last words of the excerpt.</p>');
    expect(item.truncated).toBe(true);
  });

  it('leaves posts without a credit line alone, and does not take [...] for one', () => {
    for (const contentHtml of ['<p>Our own news.</p>', '<p>An excerpt [...]</p>', '<p>Text.</p><p>[…]</p>']) {
      const item = wxrPostToItem(post({ contentHtml }), 'src_blog');
      expect(item.attribution, contentHtml).toBeNull();
      expect(item.outlets).toEqual([]);
    }
  });

  it('passes Outlet aliases to parseAttribution', () => {
    const item = wxrPostToItem(post({ contentHtml: '<p>Text.</p><p>[RFA Korean]</p>' }), 'src_blog', { 'rfa korean': 'Radio Free Asia' });
    expect(item.outlets).toEqual(['Radio Free Asia']);
  });

  it('is stable: the same post gives the same Item', () => {
    expect(wxrPostToItem(shenyang, 'src_blog')).toEqual(wxrPostToItem(shenyang, 'src_blog'));
    expect(wxrPostToItem(shenyang, 'src_other').id).not.toBe(wxrPostToItem(shenyang, 'src_blog').id);
  });
});
