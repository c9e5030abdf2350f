/**
 * The hand-written adversarial pages (tests/fixtures/archive/adversarial): posts
 * told in titled sections (some glued to their paragraph, some with an image or
 * a doubled caption under them, after `~` separators and NBSP blocks) placed
 * first, in the middle and last on a page beside ordinary posts; a page where
 * every post has sections; short real titles; dated and WordPress layouts with
 * subheadings; single posts with sections; a title over its first section
 * where the dump lost the author line above it. Each page's posts (title, first
 * words, count) must come out as labelled, and the section titles must stay in
 * their post.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExpectedPage } from '../../../../src/eval/archive-dataset.js';
import { leadWords } from '../../../../src/eval/archive-match.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';

const dir = path.join(import.meta.dirname, '../../../fixtures/archive/adversarial');
const labels = JSON.parse(await readFile(path.join(dir, 'archive-expected.json'), 'utf8')) as ExpectedPage[];

/** `withAddress: false`: as the archive Source reads a folder of page files, with no page address. */
async function parse(label: ExpectedPage, withAddress = true) {
  const text = await readFile(path.join(dir, label.file as string), 'utf8');
  return parseArchivePage(text, { name: label.pageId, url: withAddress ? label.page : null });
}

/**
 * The page that marks no boundary after its first title (no closing line, no
 * date, nothing under its titles but paragraphs, as under its section titles):
 * the parser keeps it as one post rather than guess.
 */
const UNMARKED = 'adv:sq-titles-only';

/** Section titles that must stay inside the post they belong to. */
const SECTIONS: Record<string, Record<string, string[]>> = {
  'adv:sq-first': {
    'A Year of Firsts for Min-ji': ['Arriving at Hanawon', 'Learning the Subway', 'A First Paycheck', 'What Comes Next'],
  },
  'adv:sq-middle': {
    'Inside the Underground Railroad': ['Leaving the Safe House', 'Crossing Yunnan', 'In Laos and Thailand', 'What a Journey Costs'],
  },
  'adv:sq-last': { "A Mother's Long Road to Seoul": ['Sold Across the River', 'A Daughter in China', 'The Call From Seoul'] },
  'adv:sq-all-sections': {
    'Songs in a Borrowed Language': ['The First Rehearsal', 'Learning to Sing Without Fear', 'A Christmas Concert'],
    'A Bible on a Memory Card': ['Why Memory Cards', 'Risks for the Reader'],
    'Ten Years of Sunday Lunches': ['Who Cooks', 'Who Comes'],
  },
  'adv:sq-one-post': { 'Light After the Long Night': ['Background', 'Years in Hiding', 'A Church in Yanji', 'How You Can Help', 'Finding His Brother'] },
  'adv:sq-poetic-title': { 'Still Waters': ['Across the Mekong', 'The Days in Detention'] },
  'adv:sq-author-no-name': { 'Hope Through Hardship': ['Background', 'The Long Winter', 'A New Name'] },
  'adv:sq-dated': { 'Thank You': ['A Year in Numbers', 'Looking Ahead'], 'Meet Esther': ['Her Own Journey'] },
  'adv:wp-plain': {
    'Defectors mark a decade of a radio program for the North': ['How the broadcasts reach listeners'],
    'China detains group of North Koreans near Vietnam border': ['Appeal to Beijing'],
  },
  'adv:wp-postedon': { 'Study finds defectors earn less than South Korean peers': ['Key findings', 'Regional differences'] },
};

describe('adversarial archive pages', () => {
  it('cover the layouts the issue names', () => {
    expect(labels.length).toBeGreaterThanOrEqual(10);
    expect(labels.filter((label) => label.kind === 'single-post')).toHaveLength(2);
  });

  it.each(labels.filter((label) => label.pageId !== UNMARKED).map((label) => [label.pageId, label] as const))(
    '%s: the labelled posts, no more, each with its own title and lead',
    async (_, label) => {
      const parsed = await parse(label);
      expect(parsed.kind).toBe(label.kind === 'single-post' ? 'single-post' : 'listing');
      expect(parsed.heading).toBe(label.heading);
      expect(parsed.posts.map((post) => post.title)).toEqual(label.posts.map((post) => post.title));
      expect(parsed.posts.map(leadWords)).toEqual(label.posts.map((post) => post.firstWords));
      expect(parsed.posts.map((post) => post.truncated)).toEqual(label.posts.map((post) => post.truncated));
      expect(parsed.posts.map((post) => post.attribution)).toEqual(label.posts.map((post) => post.outlet));
      for (const [title, sections] of Object.entries(SECTIONS[label.pageId] ?? {})) {
        const post = parsed.posts.find((candidate) => candidate.title === title);
        expect(post?.paragraphs, title).toEqual(expect.arrayContaining(sections));
      }
    },
  );

  it.each(labels.map((label) => [label.pageId, label] as const))(
    '%s read from its file alone, without the page address: the same posts',
    async (_, label) => {
      const [withAddress, without] = await Promise.all([parse(label), parse(label, false)]);
      expect(without.posts.map((post) => [post.title, leadWords(post)])).toEqual(withAddress.posts.map((post) => [post.title, leadWords(post)]));
    },
  );

  it('a page that marks no boundary: one post under its real title, the other titles kept in its text, none invented', async () => {
    const label = labels.find((candidate) => candidate.pageId === UNMARKED) as ExpectedPage;
    const parsed = await parse(label);
    expect(parsed.posts.map((post) => post.title)).toEqual([label.posts[0]?.title]);
    expect(parsed.posts[0]?.paragraphs).toEqual(expect.arrayContaining(label.posts.slice(1).map((post) => post.title)));
  });
});
