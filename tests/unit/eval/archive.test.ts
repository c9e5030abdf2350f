import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import {
  evaluateArchive,
  formatArchiveReport,
  loadArchiveDataset,
  type ExpectedPage,
  type ExpectedPost,
} from '../../../src/eval/archive.js';

const listing = [
  'Category: Test',
  'Bakery opens in Seoul',
  'Posted on by',
  'Flour, yeast and salt arrive before dawn at the new bakery near the market.',
  '[NK News]',
  'Choir sings in London',
  'Posted on by',
  'Twenty singers rehearsed the hymns twice this week in a church hall.',
].join('\n\n');

const bakery: ExpectedPost = {
  title: 'Bakery opens in Seoul',
  outlet: 'NK News',
  firstWords: 'Flour, yeast and salt arrive before dawn at',
  truncated: false,
};
const missing: ExpectedPost = { title: 'Farm harvest in Gangwon', outlet: null, firstWords: 'Rice', truncated: false };

function expected(posts: ExpectedPost[], heading: string | null = 'Category: Test'): ExpectedPage[] {
  return [{ pageId: 'p1', page: 'p1.txt', site: 'example.org', kind: 'listing', heading, posts }];
}
const pages = [{ pageId: 'p1', page: 'p1.txt', site: 'example.org', text: listing }];

describe('evaluateArchive', () => {
  it('counts a found post, a missed post and an extra post', () => {
    const report = evaluateArchive(pages, expected([bakery, missing]));
    expect(report).toMatchObject({ pages: 1, expectedPosts: 2, predictedPosts: 2, found: 1, recall: 50, precision: 50 });
    expect(report.missed.map((post) => post.title)).toEqual(['Farm harvest in Gangwon']);
    expect(report.extra.map((post) => post.title)).toEqual(['Choir sings in London']);
    expect(report.outlet).toEqual({ correct: 1, total: 1, percent: 100 });
    expect(report.heading).toEqual({ correct: 1, total: 1, percent: 100 });
    expect(report.truncated).toEqual({ correct: 1, total: 1, percent: 100 });
  });

  it('finds every post when the labels list them all', () => {
    const choir = { title: 'Choir Sings in London!', outlet: null, firstWords: 'Twenty  singers rehearsed the hymns', truncated: false };
    const report = evaluateArchive(pages, expected([bakery, choir]));
    expect(report).toMatchObject({ found: 2, recall: 100, precision: 100, missed: [], extra: [] });
  });

  it('misses a post whose lead is wrong without also calling it extra', () => {
    const report = evaluateArchive(pages, expected([{ ...bakery, firstWords: 'Something else' }]));
    expect(report.found).toBe(0);
    expect(report.missed).toHaveLength(1);
    expect(report.extra.map((post) => post.title)).toEqual(['Choir sings in London']);
    expect(report.details[0]?.problems.some((problem) => problem.startsWith('first words of "Bakery opens in Seoul"'))).toBe(true);
  });

  it('scores the outlet, the heading and the footer of a single post', () => {
    const single = 'Bakery opens in Seoul\n\nFlour arrives before dawn. The bakers start work at four.\n\n[Korea Herald]\n\nThis entry was posted in Work by Grant Montgomery.';
    const report = evaluateArchive(
      [{ pageId: 's1', page: 'https://familycarefoundation.biz/bakery-opens-in-seoul/', site: 'x', text: single }],
      [{
        pageId: 's1', page: 'https://familycarefoundation.biz/bakery-opens-in-seoul/', site: 'x', kind: 'single-post', heading: null,
        posts: [{ ...bakery, firstWords: 'Flour arrives before dawn.' }],
        meta: { footerVisible: true, categories: ['Work'], tags: [], author: 'Someone Else' },
      }],
    );
    expect(report.found).toBe(1);
    expect(report.outlet).toMatchObject({ correct: 0, total: 1 });
    expect(report.footer).toMatchObject({ correct: 0, total: 1 });
    expect(report.details[0]?.problems).toContain('footer author: expected "Someone Else", got "Grant Montgomery"');
  });

  it('gives the posts found and parsed by site', () => {
    const other = { pageId: 'p2', page: 'p2.txt', site: 'example.net', text: listing };
    const report = evaluateArchive([...pages, other], [...expected([bakery]), { ...expected([bakery])[0]!, pageId: 'p2', site: 'example.net' }]);
    expect(report.sites).toEqual([
      { site: 'example.net', pages: 1, expectedPosts: 1, predictedPosts: 2, found: 1 },
      { site: 'example.org', pages: 1, expectedPosts: 1, predictedPosts: 2, found: 1 },
    ]);
    expect(formatArchiveReport(report)).toContain('  example.org               1/1 on 1 pages, 2 parsed (recall 100%, precision 50%)');
  });

  it('reports a page the parser rejects as all missed', () => {
    const report = evaluateArchive([{ ...pages[0]!, text: '' }], expected([bakery]));
    expect(report.found).toBe(0);
    expect(report.details[0]?.error).toMatch(/no posts found/);
    expect(formatArchiveReport(report)).toContain('parse error: archive: p1: no posts found');
  });
});

describe('loadArchiveDataset', () => {
  it('reads the pages and the labels of a split', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsdesk-archive-eval-'));
    try {
      await writeFile(path.join(dir, 'archive-pages.jsonl'), `${JSON.stringify(pages[0])}\n\n`);
      await writeFile(path.join(dir, 'archive-expected.json'), JSON.stringify(expected([bakery])));
      const dataset = await loadArchiveDataset(dir);
      expect(dataset.pages).toEqual(pages);
      expect(evaluateArchive(dataset.pages, dataset.expected).found).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads each page from the file its label names when the split has no archive-pages.jsonl', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsdesk-archive-eval-'));
    try {
      await writeFile(path.join(dir, 'listing.txt'), listing);
      await writeFile(path.join(dir, 'archive-expected.json'), JSON.stringify([{ ...expected([bakery])[0], file: 'listing.txt' }]));
      const dataset = await loadArchiveDataset(dir);
      expect(dataset.pages).toEqual(pages);
      await writeFile(path.join(dir, 'archive-expected.json'), JSON.stringify([{ ...expected([bakery])[0], file: 'gone.txt' }]));
      await expect(loadArchiveDataset(dir)).rejects.toThrow(/gone\.txt: cannot read the page of p1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file it cannot read', async () => {
    const dir = path.join(tmpdir(), 'newsdesk-no-such-split');
    await expect(loadArchiveDataset(dir)).rejects.toThrow(InputError);
    await expect(loadArchiveDataset(dir)).rejects.toThrow(/archive-pages\.jsonl: cannot read/);
  });
});
