import { describe, expect, it } from 'vitest';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';

const url = 'https://familycarefoundation.biz/north-korean-defectors-open-a-cafe/';
const post = [
  'North Korean defectors open a cafe',
  '',
  'Posted on by',
  '',
  'Two North Korean defectors opened a cafe in Seoul last week, serving coffee to their new neighbours.',
  '',
  '[Korea Herald]',
  '',
].join('\n');

function footerOf(footer: string) {
  return parseArchivePage(`${post}${footer}`, { name: 'single', url }).footer;
}

describe('entry footer of a single-post page', () => {
  it('reads categories and author', () => {
    expect(footerOf('This entry was posted in China, North Korean refugee by Grant Montgomery.')).toEqual({
      categories: ['China', 'North Korean refugee'], emptyCategorySlots: 0, tags: [], author: 'Grant Montgomery', truncated: false,
    });
  });

  it('counts empty category names', () => {
    expect(footerOf('This entry was posted in , by Grant Montgomery.')).toMatchObject({ categories: [], emptyCategorySlots: 2 });
  });

  it('reads tags glued in front of the footer, and `and tagged`', () => {
    expect(footerOf('Tags: cafe, resettlementThis entry was posted in Work by Grant Montgomery.')).toMatchObject({
      categories: ['Work'], tags: ['cafe', 'resettlement'], author: 'Grant Montgomery',
    });
    expect(footerOf('This entry was posted in Work and tagged cafe, Seoul by Grant Montgomery. Bookmark the permalink.')).toMatchObject({
      categories: ['Work'], tags: ['cafe', 'Seoul'], author: 'Grant Montgomery', truncated: false,
    });
  });

  it('finds the footer below share buttons and related posts', () => {
    expect(footerOf('Share this:\n\nTwitter\n\nRelated\n\nThis entry was posted in Work by Grant Montgomery.')).toMatchObject({
      categories: ['Work'], author: 'Grant Montgomery',
    });
  });

  it('keeps a cut-off footer as printed', () => {
    expect(footerOf('This entry was posted in China, North Kor')).toEqual({
      categories: ['China', 'North Kor'], emptyCategorySlots: 0, tags: [], author: null, truncated: true,
    });
  });

  it('leaves the comment form, `One reference to` and pingbacks out of the post', () => {
    const page = parseArchivePage(
      `${post}This entry was posted in Work by Grant Montgomery.\n\nOne reference to “North Korean defectors open a cafe”\n\nCafes in Seoul | Another Blog\n\n[…] Two North Korean defectors opened a cafe […]\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *`,
      { name: 'single', url },
    );
    expect(page.posts).toHaveLength(1);
    expect(page.posts[0]?.paragraphs).toEqual([
      'Two North Korean defectors opened a cafe in Seoul last week, serving coffee to their new neighbours.',
    ]);
    expect(page.posts[0]?.outlets).toEqual(['Korea Herald']);
    expect(page.posts[0]?.truncated).toBe(false);
  });

  it('is null when the stored text stops before it', () => {
    const page = parseArchivePage(post.replace('[Korea Herald]', 'The cafe also trains'), { name: 'single', url });
    expect(page.footer).toBeNull();
    expect(page.posts[0]?.truncated).toBe(true);
  });

  it('makes a page without an address a single post', () => {
    const page = parseArchivePage(`${post}This entry was posted in Work by Grant Montgomery.`, { name: 'cafe.txt' });
    expect(page.kind).toBe('single-post');
    expect(page.posts.map((p) => p.title)).toEqual(['North Korean defectors open a cafe']);
  });
});
