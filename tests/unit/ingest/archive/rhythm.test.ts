/**
 * Post boundaries from the page's own rhythm (archive-rhythm, archive-boundary):
 * each case is a small hand-written page where a section title looks like a
 * post title, so a failure names the rule that broke.
 */
import { describe, expect, it } from 'vitest';
import { readPageLines } from '../../../../src/ingest/archive/lines.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';
import { type PageRhythm, startShape, subjectChangeBar } from '../../../../src/ingest/archive/rhythm.js';

const page = (...blocks: string[]) => blocks.join('\n\n');
const parse = (text: string, url = 'https://crossingbordersnk.org/blog?offset=1') => parseArchivePage(text, { name: 'test', url });
const titles = (text: string, url?: string) => parse(text, url).posts.map((post) => post.title);

const BAKERY = [
  'Bakery opens in Seoul',
  'Flour, yeast and salt arrive before dawn at the new bakery near the market.',
  'The ovens run until noon, and the loaves sell out within an hour of opening.',
];
const CHOIR = [
  'Choir sings in London tonight',
  'Twenty singers rehearsed the hymns twice this week in a church hall in New Malden.',
  'Their conductor chose songs about home, freedom and the families they left behind.',
];
const RICE_TITLE = 'Rice reaches villages in Jilin';
const RICE = [
  'Four tonnes of rice arrived in farming villages of the province before the first snow.',
  'Women living in hiding there depend on neighbours for food through the winter.',
];

describe('a page that marks no boundary after its first title', () => {
  it('keeps every other title-like line in the first post as a section title, whatever the subject', () => {
    const parsed = parse(page(...BAKERY, ...CHOIR));
    expect(parsed.posts.map((post) => post.title)).toEqual(['Bakery opens in Seoul']);
    expect(parsed.posts[0]?.paragraphs).toContain('Choir sings in London tonight');
  });
});

describe('a line without a closing line above it', () => {
  it('stays a section when what is under it (an image) is not what is under the page\'s post titles', () => {
    const text = page(
      ...BAKERY,
      'Read the full story here.',
      ...CHOIR,
      'A Night in the Rehearsal Room',
      'rehearsal-room.jpg',
      'Chairs were stacked against the wall and a borrowed piano stood by the window for the evening.',
      'Read the full story here.',
      RICE_TITLE,
      ...RICE,
    );
    const parsed = parse(text);
    expect(parsed.posts.map((post) => post.title)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight', RICE_TITLE]);
    expect(parsed.posts[1]?.paragraphs).toContain('A Night in the Rehearsal Room');
  });

  it('stays a section when the page spaces its posts apart with an empty block and this line has none', () => {
    const text = page(
      ...BAKERY,
      'Read the full story here.',
      '\u00a0',
      ...CHOIR,
      'Learn more about the choir here.',
      '\u00a0',
      RICE_TITLE,
      ...RICE,
      'Winter Roads Close Early',
      'Snow closed the mountain passes in October, weeks before the usual date this year.',
    );
    expect(titles(text)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight', RICE_TITLE]);
  });

  it('stays a section when the title-like line before it in the post had the same picture under it', () => {
    const text = page(
      BAKERY[0] as string,
      'bakery.jpg',
      ...BAKERY.slice(1),
      'Read the full story here.',
      CHOIR[0] as string,
      'choir.jpg',
      ...CHOIR.slice(1),
      'Songs From Home',
      'hymn-book.jpg',
      'The singers chose hymns and songs their families sang at home before they left, and the choir rehearsed them twice.',
      'The Journey to Britain',
      'airport.jpg',
      'Most of them spent years in China and crossed into Thailand before they were flown to Britain as refugees.',
    );
    const parsed = parse(text);
    expect(parsed.posts.map((post) => post.title)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight']);
    expect(parsed.posts[1]?.paragraphs).toEqual(expect.arrayContaining(['Songs From Home', 'The Journey to Britain']));
  });

  it('starts a post when it looks like the page\'s post starts and the subject changes as at them', () => {
    const text = page(...BAKERY, 'Read the full story here.', ...CHOIR, RICE_TITLE, ...RICE);
    expect(titles(text)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight', RICE_TITLE]);
  });

  it('stays a section when its text continues the post more than the page\'s posts continue each other', () => {
    const text = page(
      ...BAKERY,
      'Read the full story here.',
      ...CHOIR,
      'Songs From Home',
      'The singers chose hymns and songs their families sang at home before they left, and the choir rehearsed them twice.',
    );
    expect(titles(text)).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight']);
  });
});

describe('two blank lines above a title', () => {
  const noOutlet = ['Bakery opens in Seoul', 'Flour, yeast and salt arrive before dawn at the new bakery near the market.'];
  const choir = ['Choir sings in London tonight', 'Twenty singers rehearsed the hymns twice this week in a church hall.'];

  it('mark a post start where the page leaves them only before titles (the slot of a missing `[Outlet]` line)', () => {
    const text = `${noOutlet.join('\n\n')}\n\n\n${choir.join('\n\n')}\n\n[Korea Herald]`;
    expect(titles(text, 'https://familycarefoundation.biz/page/3')).toEqual(['Bakery opens in Seoul', 'Choir sings in London tonight']);
  });

  it('mark nothing where the page also leaves them between paragraphs', () => {
    const text = `${noOutlet.join('\n\n')}\n\n\nThe ovens run until noon.\n\n\n${choir.join('\n\n')}`;
    expect(titles(text, 'https://familycarefoundation.biz/page/3')).toEqual(['Bakery opens in Seoul']);
  });
});

describe('a date under a title', () => {
  it('marks a post start; a title-like line without one stays in its post', () => {
    const text = page(
      'Thank You',
      'December 28, 2021',
      'As this year comes to an end, we look back on twenty-three people who reached freedom with your help.',
      'Roads Closed by Early Snow',
      'Snow closed the mountain passes in October, weeks before the usual date this year.',
      'Meet Esther',
      'November 30, 2021',
      'Esther came to South Korea in 2015 and joined our staff in Seoul last spring.',
    );
    expect(titles(text)).toEqual(['Thank You', 'Meet Esther']);
  });
});

describe('the first title', () => {
  it('is the line above the first section title, even when the section shares more words with the post', () => {
    const text = page(
      'Still Waters',
      'river-dawn.jpg',
      'Across the Mekong',
      'The boat carried eleven people across the Mekong River in less than ten minutes.',
    );
    const [post] = parse(text).posts;
    expect(post?.title).toBe('Still Waters');
    expect(post?.paragraphs[0]).toBe('Across the Mekong');
  });

  it('is not a promotion printed above it (a call to action sharing no word with the post)', () => {
    const text = page('See How You Can Maximize Your Impact with a Donor Advised Fund', ...BAKERY);
    expect(titles(text)).toEqual(['Bakery opens in Seoul']);
  });
});

describe('startShape and subjectChangeBar', () => {
  const lines = readPageLines(
    page('Title', 'Section', 'photo.jpg', 'The river at dawn near the border', 'The river at dawn near the border', 'A paragraph that ends like a sentence.', 'Glued title\nA glued paragraph that ends.'),
  );
  const rhythm = (changes: number[], widelySpaced = false): PageRhythm => ({
    starts: [{ opener: [], glued: false, wide: false }, { opener: ['image'], glued: false, wide: true }],
    widelySpaced,
    changes,
  });

  it('reads the lines between a title and its first paragraph, and whether it is glued', () => {
    expect(startShape(lines, 0, true)).toEqual({ opener: ['subheading', 'image', 'caption'], glued: false, wide: false });
    expect(startShape(lines, 6, true)).toMatchObject({ opener: [], glued: true });
    expect(startShape(lines, 6, false)).toMatchObject({ opener: [], glued: false });
  });

  it('asks a bare-paragraph start for the lower median change and a pictured one for the largest', () => {
    expect(subjectChangeBar({ opener: [], glued: false, wide: false }, rhythm([0.1, 0.2, 0.3, 0.4]))).toBe(0.2);
    expect(subjectChangeBar({ opener: ['image'], glued: false, wide: false }, rhythm([0.1, 0.2, 0.3, 0.4]))).toBe(0.4);
  });

  it('gives no bar without a marked start to compare with, for a look no start has, or for a narrow gap on a widely spaced page', () => {
    expect(subjectChangeBar({ opener: [], glued: false, wide: false }, rhythm([]))).toBeNull();
    expect(subjectChangeBar({ opener: ['image', 'caption'], glued: false, wide: false }, rhythm([0.1]))).toBeNull();
    expect(subjectChangeBar({ opener: [], glued: true, wide: false }, rhythm([0.1]))).toBeNull();
    expect(subjectChangeBar({ opener: [], glued: false, wide: false }, rhythm([0.1], true))).toBeNull();
    expect(subjectChangeBar({ opener: [], glued: false, wide: true }, rhythm([0.1], true))).toBe(0.1);
  });
});
