import { describe, expect, it } from 'vitest';
import { feedEntryId, storyToFeedEntry, type PublishedStory, type TopicNames } from '../../../src/publish/entries.js';

const story: PublishedStory = {
  id: 'st_abc',
  title: 'Title',
  url: null,
  outlets: ['NK News'],
  categories: [],
  contentHtml: '<p>x</p>',
  summary: 'x',
  published: null,
  createdAt: new Date('2026-11-01T10:00:00Z'),
  updatedAt: new Date('2026-11-02T10:00:00Z'),
  items: 1,
  topics: [],
};

const SITE = 'https://news.example.org';
const names: TopicNames = { labels: new Map([['escape', 'Escape and defection'], ['women', 'Women and trafficking']]), scheme: 'https://news.example.org/topics/' };

describe('Feed entries', () => {
  it('have a UUID id that depends only on the Story id', () => {
    expect(feedEntryId('st_abc')).toBe(feedEntryId('st_abc'));
    expect(feedEntryId('st_abc')).not.toBe(feedEntryId('st_abd'));
    expect(feedEntryId('st_abc')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("are published at the Story's own moment, updated when it last changed, ordered by that moment", () => {
    const at = new Date('2020-01-08T06:00:00Z');
    const entry = storyToFeedEntry({ ...story, published: { at, precision: 'time' } }, names, SITE);
    expect(entry.published).toEqual(at);
    expect(entry.updated).toEqual(story.updatedAt);
    expect(entry.sortAt).toEqual(at);
  });

  it('give no published date for a Story known only to the month, but order it by the month', () => {
    const month = new Date('2016-04-01T00:00:00Z');
    const entry = storyToFeedEntry({ ...story, published: { at: month, precision: 'month' } }, names, SITE);
    expect(entry.published).toBeNull();
    expect(entry.updated).toEqual(story.updatedAt);
    expect(entry.sortAt).toEqual(month);
  });

  it('give no published date for a Story with none, and order it by when it was first seen', () => {
    const entry = storyToFeedEntry(story, names, SITE);
    expect(entry.published).toBeNull();
    expect(entry.updated).toEqual(story.updatedAt);
    expect(entry.sortAt).toEqual(story.createdAt);
  });

  it('are never updated before they were published', () => {
    const entry = storyToFeedEntry({ ...story, published: { at: new Date('2027-01-01T00:00:00Z'), precision: 'time' } }, names, SITE);
    expect(entry.updated.getTime()).toBeGreaterThanOrEqual(entry.published!.getTime());
  });

  it("carry the Story's Topics first, by label with the scheme, then the archive categories", () => {
    const entry = storyToFeedEntry({ ...story, topics: ['women', 'escape'], categories: ['North Korean refugee'] }, names, SITE);
    expect(entry.categories).toEqual([
      { term: 'women', label: 'Women and trafficking', scheme: 'https://news.example.org/topics/' },
      { term: 'escape', label: 'Escape and defection', scheme: 'https://news.example.org/topics/' },
      { term: 'North Korean refugee' },
    ]);
  });

  it("link to the original when a member gave its address, else to the Story's page on the site", () => {
    expect(storyToFeedEntry({ ...story, url: 'https://www.nknews.org/2026/11/a/' }, names, SITE).link).toBe('https://www.nknews.org/2026/11/a/');
    expect(storyToFeedEntry(story, names, SITE).link).toBe('https://news.example.org/stories/st_abc');
    // Not a link a reader can follow: the page instead.
    expect(storyToFeedEntry({ ...story, url: 'javascript:alert(1)' }, names, `${SITE}/`).link).toBe('https://news.example.org/stories/st_abc');
  });

  it('leave out a Topic no longer in the taxonomy', () => {
    expect(storyToFeedEntry({ ...story, topics: ['faith', 'escape'] }, names, SITE).categories.map((c) => c.term)).toEqual(['escape']);
  });
});
