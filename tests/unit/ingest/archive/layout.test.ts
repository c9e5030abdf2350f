/**
 * The segmentation rules on small made-up pages: each case is one rule of
 * archive-segment / archive-boundary, so a failure names the rule that broke.
 */
import { describe, expect, it } from 'vitest';
import { readAddress } from '../../../../src/ingest/archive/address.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';

const para = (subject: string, n = 1) =>
  Array.from({ length: n }, (_, i) => `${subject} paragraph ${i + 1} tells the reader about ${subject} at some length, with detail.`);
const page = (...blocks: string[]) => blocks.join('\n\n');
const titles = (text: string, url: string | null = 'https://crossingbordersnk.org/blog?offset=1') =>
  parseArchivePage(text, { name: 'test', url }).posts.map((post) => post.title);

describe('listing segmentation without `Posted on by`', () => {
  it('starts a post after a closing line (`Read the full story here.`)', () => {
    const text = page('Bakery opens in Seoul', ...para('bread', 3), 'Read the full story here.', 'Choir sings in London', ...para('music', 2));
    expect(titles(text)).toEqual(['Bakery opens in Seoul', 'Choir sings in London']);
  });

  it('starts a post after an `[Outlet]` line, also with no blank lines', () => {
    const text = ['Bakery opens in Seoul', ...para('bread', 2), '[NK News]', 'Choir sings in London', ...para('music', 2)].join('\n');
    expect(titles(text, 'https://familycarefoundation.biz/page/3')).toEqual(['Bakery opens in Seoul', 'Choir sings in London']);
  });

  it('keeps a subheading that continues the subject inside the post', () => {
    const text = page('Bakery opens in Seoul', ...para('bread', 2), 'Baking bread every morning', ...para('bread', 2));
    expect(titles(text)).toEqual(['Bakery opens in Seoul']);
  });

  it('starts a post at a line that changes the subject as much as the page\'s marked boundaries do', () => {
    const text = page(
      'Bakery opens in Seoul',
      'Flour, yeast and salt arrive before dawn at the new bakery near the market.',
      'The ovens run until noon, and the loaves sell out within an hour of opening.',
      'Read the full story here.',
      'Choir sings in London tonight',
      'Twenty singers rehearsed the hymns twice this week in a church hall in New Malden.',
      'Their conductor chose songs about home, freedom and the families they left behind.',
      'Rice reaches villages in Jilin',
      'Four tonnes of rice arrived in farming villages of the province before the first snow.',
      'Women living in hiding there depend on neighbours for food through the winter.',
    );
    expect(titles(text)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight', 'Rice reaches villages in Jilin']);
  });

  it('never splits at a short subheading, a stack of subheadings or a line repeating the heading', () => {
    const text = page('Bread', 'Bakery opens in Seoul', ...para('bread', 2), 'Background', ...para('flour', 2),
      'Problems Bakers Face', 'A Lack of Ovens', ...para('ovens', 2), 'Bread', ...para('music', 1));
    const parsed = parseArchivePage(text, { name: 'test', url: 'https://crossingbordersnk.org/blog/tag/Bread' });
    expect(parsed.heading).toBe('Bread');
    expect(parsed.posts.map((post) => post.title)).toEqual(['Bakery opens in Seoul']);
  });

  it('passes over image names and doubled captions when reading the lead paragraph', () => {
    const text = page('Bakery opens in Seoul', 'bakery.jpg', 'The baker at work.', 'The baker at work.', ...para('bread', 2));
    const [post] = parseArchivePage(text, { name: 'test', url: null }).posts;
    expect(post?.paragraphs[post.leadIndex]).toMatch(/^bread paragraph 1/);
    expect(post?.paragraphs.filter((text) => text === 'The baker at work.')).toHaveLength(1);
  });

  it.each([
    ['an `Updated` line', 'Updated 10:42 AM ET, Tue February 6, 2018'],
    ['a byline', 'By Elizabeth Shim'],
    ['a wire-photo credit', 'A bakery in Seoul. REUTERS/Kim Hong-Ji'],
    ['a caption placing people', 'Kim Yo Jong (far right) at the Winter Olympics in Pyeongchang, South Korea.'],
    ['a parenthesised credit', '(SBS News)'],
  ])('skips %s before the lead paragraph', (_, line) => {
    const [post] = parseArchivePage(page('Bakery opens in Seoul', line, ...para('bread', 2)), { name: 'test', url: null }).posts;
    expect(post?.paragraphs[post.leadIndex]).toMatch(/^bread paragraph 1/);
  });

  it('does not make a post of a title-like line the text ends with', () => {
    const text = page('Bakery opens in Seoul', ...para('bread', 2), '[NK News]', 'Read more about');
    expect(titles(text, 'https://familycarefoundation.biz/page/3')).toEqual(['Bakery opens in Seoul']);
  });
});

describe('page heading and context', () => {
  it.each([
    ['Category: Humanitarian Aid and Relief', { category: 'Humanitarian Aid and Relief' }],
    ['Monthly Archives: April 2016', { month: '2016-04' }],
    ['Daily Archives: January 5, 2020', { month: '2020-01' }],
    ['Tag: Kim Yo Jong', { tag: 'Kim Yo Jong' }],
    ['Author: Grant Montgomery', { author: 'Grant Montgomery' }],
    ['Yearly Archives: 2016', {}],
  ])('%s', (heading, context) => {
    const parsed = parseArchivePage(page(heading, 'Bakery opens in Seoul', 'Posted on by', ...para('bread', 2)), { name: 'test' });
    expect(parsed.heading).toBe(heading);
    expect(parsed.context).toEqual({ category: null, month: null, tag: null, author: null, ...context });
  });
});

describe('single-post pages', () => {
  const url = 'https://crossingbordersnk.org/blog/bakery-opens-in-seoul/2021/10/16';

  it('are one post, whatever subheadings they hold', () => {
    const text = page('Bakery opens in Seoul', ...para('bread', 2), 'Choir sings in London tonight', ...para('music', 2));
    expect(titles(text, url)).toEqual(['Bakery opens in Seoul']);
  });

  it('take the title from the address when the text has no title line', () => {
    const parsed = parseArchivePage(page('Background', ...para('bread', 2)), { name: 'test', url });
    expect(parsed.posts.map((post) => [post.title, post.paragraphs[0]])).toEqual([['Bakery opens in seoul', 'Background']]);
  });
});

describe('readAddress', () => {
  it.each([
    ['https://familycarefoundation.biz/why-the-majority-of-north-korean-defectors-are-women/', 'single-post'],
    ['https://crossingbordersnk.org/blog/2014/05/06/north-korean-mothers', 'single-post'],
    ['https://crossingbordersnk.org/blog/why-north-koreans-dont-escape/2021/10/16', 'single-post'],
    ['https://familycarefoundation.biz/page/68', 'listing'],
    ['https://familycarefoundation.biz/2016/04/', 'listing'],
    ['https://familycarefoundation.biz/category/kim-jong-un/page/3/', 'listing'],
    ['https://www.crossingbordersnk.org/blog/?offset=1531940722395', 'listing'],
    ['https://michael-chang-nlj2.squarespace.com/blog?author=5a09cf7e6f935eb2a9304512', 'listing'],
    ['http://www.crossingbordersnk.org/blog/tag/South+Korea', 'listing'],
    ['https://crossingbordersnk.org/blog', 'listing'],
    ['https://familycarefoundation.biz/?p=1234', 'single-post'],
  ])('%s is a %s', (address, kind) => {
    expect(readAddress(address).kind).toBe(kind);
  });

  it('reads the facet of a tag listing', () => {
    expect(readAddress('http://www.crossingbordersnk.org/blog/tag/South+Korea').facet).toEqual({ kind: 'tag', value: 'South Korea' });
  });
});
