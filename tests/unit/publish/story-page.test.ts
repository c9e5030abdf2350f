import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { originalLink, storyLink, storyPagePath, storyPageUrl } from '../../../src/publish/story-links.js';
import { renderMovedPage, renderStoryPage, type StoryPageStory } from '../../../src/publish/story-page.js';

const TRICKY = `Kim & Moon <script>alert("x")</script> 'talks' > "quoted"`;
const site = { title: 'Desk & <Co>', url: 'https://news.example.org/', timezone: 'Asia/Seoul', topics: new Map([['escape', 'Escape & defection'], ['women', 'Women']]) };
const story: StoryPageStory = {
  id: 'st_0123abcd',
  title: TRICKY,
  url: null,
  outlets: ['Daily NK'],
  summary: `An excerpt with <b>markup</b> & "quotes".`,
  published: { at: new Date(Date.UTC(2016, 3, 1)), precision: 'month' },
  firstSeenAt: new Date('2026-12-06T22:30:00Z'),
  topics: ['women', 'gone', 'escape'],
  seen: [
    { source: 'Archive pages', url: null, outlets: ['Daily NK'], locations: ['familycare-monthly-2016-04.txt'], firstSeenAt: new Date('2026-12-06T22:30:00Z') },
    { source: 'NK News <feed>', url: 'https://www.nknews.org/a?x=1&y="2"', outlets: ['NK News <feed>'], locations: ['https://www.nknews.org/feed/'], firstSeenAt: new Date('2026-12-07T01:00:00Z') },
    { source: 'Blog', url: 'javascript:alert(1)', outlets: [], locations: [], firstSeenAt: new Date('2026-12-07T01:00:00Z') },
  ],
};

const html = renderStoryPage(story, site);
const dom = parseDocument(html);
const text = (node: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim();
const byTag = (name: string) => DomUtils.getElementsByTagName(name, dom);

describe('the public Story page', () => {
  it('shows the title, Outlet, the dates known in the editors\' zone, the excerpt and the Topics still in the taxonomy', () => {
    expect(byTag('h1').map(text)).toEqual([TRICKY]);
    expect(text(byTag('title')[0]!)).toBe(`${TRICKY} · Desk & <Co>`);
    const paragraphs = byTag('p').map(text);
    // Known to the month only: the month, no day; first seen 07:30 on 7 December in Seoul (22:30 UTC the day before).
    expect(paragraphs).toContain('Daily NK · published April 2016 · first seen here 7 Dec 2026');
    expect(paragraphs).toContain('An excerpt with <b>markup</b> & "quotes".');
    expect(paragraphs).toContain('Topics: Women · Escape & defection');
  });

  it('escapes everything: no element and no attribute comes from the data', () => {
    expect(byTag('script')).toHaveLength(0);
    expect(byTag('b')).toHaveLength(0);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<feed>');
    expect(html).not.toContain('javascript:');
  });

  it('lists where it was seen, linking only http(s) addresses', () => {
    // Each line of an item (a <br> between them).
    const lines = (li: (typeof dom.children)[number]) =>
      (li as ReturnType<typeof byTag>[number]).children.map((node) => (node.type === 'tag' && node.name === 'br' ? '\n' : DomUtils.textContent(node).replace(/\s+/g, ' '))).join('').trim();
    expect(byTag('li').map(lines)).toEqual([
      'Archive pages (Daily NK)\non familycare-monthly-2016-04.txt · first seen 7 Dec 2026',
      'NK News <feed>: https://www.nknews.org/a?x=1&y="2"\non https://www.nknews.org/feed/ · first seen 7 Dec 2026',
      'Blog\nfirst seen 7 Dec 2026',
    ]);
    const links = byTag('a').map((a) => DomUtils.getAttributeValue(a, 'href'));
    expect(links).toEqual(['#main', 'https://news.example.org', 'https://www.nknews.org/a?x=1&y="2"']);
  });

  it('links the original when one is known', () => {
    const withOriginal = parseDocument(renderStoryPage({ ...story, url: 'https://www.dailynk.com/english/x/' }, site));
    const read = DomUtils.findAll((el) => el.name === 'a' && text(el) === 'Read it at www.dailynk.com', withOriginal.children);
    expect(read.map((a) => a.attribs.href)).toEqual(['https://www.dailynk.com/english/x/']);
  });

  it('is the same bytes for the same Story (an unchanged page is not written again)', () => {
    expect(renderStoryPage(structuredClone(story), site)).toBe(html);
  });

  it('for a merged-away id, sends readers on to the Story it went into without script', () => {
    const moved = renderMovedPage('st_9999', site);
    expect(moved).toContain('<meta http-equiv="refresh" content="0; url=https://news.example.org/stories/st_9999">');
    expect(moved).toContain('<a href="https://news.example.org/stories/st_9999">');
    expect(moved).not.toMatch(/<script/i);
  });
});

describe('Story links', () => {
  it("are the original when it is an http(s) address, else the Story's page on the site", () => {
    expect(storyLink('https://news.example.org', { id: 'st_1', url: 'https://www.nknews.org/x' })).toBe('https://www.nknews.org/x');
    expect(storyLink('https://news.example.org/', { id: 'st_1', url: null })).toBe('https://news.example.org/stories/st_1');
    for (const url of ['javascript:alert(1)', '/relative', 'ftp://x.example/f', 'not a url', '']) expect(originalLink(url), url).toBeNull();
    expect(storyPageUrl('https://example.org/news', 'st_1')).toBe('https://example.org/news/stories/st_1');
  });

  it('put pages only at Story ids', () => {
    expect(storyPagePath('st_0123abcd')).toBe('stories/st_0123abcd/index.html');
    for (const id of ['../x', 'st_1/..', '', 'a b', 'st_1%2F..']) expect(() => storyPagePath(id), id).toThrow(/not a Story id/);
  });
});
