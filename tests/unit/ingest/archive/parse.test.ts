import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import type { ArchiveContext, ArchiveFooter, ArchivePageKind } from '../../../../src/ingest/archive/page.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';

interface GoldenPost {
  title: string;
  attribution: string | null;
  outlets: string[];
  /** Up to eight words: the lead paragraph starts with them (whitespace collapsed). */
  firstWords: string;
  truncated: boolean;
  readMore: boolean;
}

interface GoldenPage {
  pageId: string;
  file: string;
  url: string | null;
  kind: ArchivePageKind;
  heading: string | null;
  context: ArchiveContext;
  footer: ArchiveFooter | null;
  posts: GoldenPost[];
  /** Why a value differs from the label, where it does. */
  note?: string;
}

const root = new URL('../../../../', import.meta.url);
const golden = JSON.parse(
  readFileSync(new URL('tests/fixtures/archive/expected.json', root), 'utf8'),
) as GoldenPage[];

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter((word) => word !== '');
}

function parseGolden(page: GoldenPage) {
  const text = readFileSync(new URL(page.file, root), 'utf8');
  return parseArchivePage(text, { name: page.file, url: page.url });
}

describe('parseArchivePage on the sample and development pages', () => {
  it.each(golden.map((page) => [page.pageId, page] as const))('%s', (_, page) => {
    const parsed = parseGolden(page);
    expect(parsed.kind).toBe(page.kind);
    expect(parsed.heading).toBe(page.heading);
    expect(parsed.context).toEqual(page.context);
    expect(parsed.footer).toEqual(page.footer);
    const got = parsed.posts.map((post) => {
      const wanted = words(page.posts.find((want) => want.title === post.title)?.firstWords ?? '').length || 8;
      return {
        title: post.title,
        attribution: post.attribution,
        outlets: post.outlets,
        firstWords: words(post.paragraphs[post.leadIndex] ?? '').slice(0, wanted).join(' '),
        truncated: post.truncated,
        readMore: post.readMore,
      };
    });
    expect(got).toEqual(page.posts.map((post) => ({ ...post, firstWords: words(post.firstWords).join(' ') })));
  });
});

describe('parseArchivePage body blocks', () => {
  const byId = (id: string) => parseGolden(golden.find((page) => page.pageId === id) as GoldenPage);

  it('keeps subheadings and one copy of a doubled caption, drops image names, separators and empty blocks', () => {
    const posts = byId('seed:001').posts;
    const kim = posts.find((post) => post.title === 'Who is Kim Yo Jong?');
    expect(kim?.paragraphs).toContain('Kim Yo Jong’s rise to power');
    expect(kim?.paragraphs.filter((text) => text.startsWith('Kim Yo Jong (far right)'))).toHaveLength(1);
    expect(kim?.paragraphs).not.toContain('44240182715_5b3a8ce35c_k.jpg');
    // The subheading that repeats the tag heading stays inside the post.
    expect(kim?.paragraphs).toContain('North Korean defectors');
    const faith = posts.find((post) => post.title === 'Faith in a Fiery Furnace');
    expect(faith?.paragraphs).not.toContain('~');
    const road = posts.find((post) => post.title === 'The long road to South Korea');
    expect(road?.paragraphs.slice(0, road.leadIndex)).toEqual([
      'North Korean defectors rest in a hotel room in Thailand. They will be sent to Seoul, where they will become South Korean citizens.\u00a0(Paula Bronstein / For The Washington Post)',
    ]);
  });

  it('leaves `Posted on by`, the attribution line and the page footer out of the paragraphs', () => {
    const post = byId('arch:41').posts[0];
    expect(post?.paragraphs[0]).toMatch(/^About 70% of the more than 31,000 defectors/);
    expect(post?.paragraphs.at(-1)).toMatch(/^-Also motivating some women/);
  });

  it('does not split a WordPress post at an in-body caption, nor make a post of a trailing `Read more about`', () => {
    const post = byId('arch:49').posts[0];
    expect(post?.paragraphs).toContain('Kim Yo Jong (center) seated among other officials');
    expect(post?.paragraphs).not.toContain('Read more about');
  });
});

describe('parseArchivePage on bad input', () => {
  it.each([
    ['an empty page', '', 'no posts found: the page is empty'],
    ['blank lines only', '\n\n \u00a0\n', 'no posts found: the page is empty'],
    ['only a comment form', 'Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\nPost Comment', 'no posts: the text has no prose'],
    ['only image names', 'IMG_1234.jpg\n\nScreen Shot 2017-10-25 at 9.20.11 PM.png', 'no posts: the text has no prose'],
  ])('rejects %s with an InputError naming the input', (_, text, problem) => {
    const parse = () => parseArchivePage(text, { name: 'archive/broken.txt' });
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(`archive: archive/broken.txt: ${problem}`);
  });
});
