import { describe, expect, it } from 'vitest';
import { formatStoryDetail } from '../../../src/cli/stories.js';
import type { StoryDetail } from '../../../src/store/story-detail.js';

const at = new Date('2026-11-30T08:00:00Z');
const detail: StoryDetail = {
  id: 'st_keep',
  askedFor: 'st_gone',
  published: { at: new Date('2017-01-30T09:15:00Z'), precision: 'time' },
  createdAt: at,
  updatedAt: at,
  members: [
    {
      itemId: 'it_original',
      sourceId: 'nk-news',
      title: 'Almost three years on, the travel ban has hit North Korean refugees hard',
      url: 'https://nknews.example/a',
      outlets: ['NK News'],
      published: { at: new Date('2017-01-30T09:15:00Z'), precision: 'time' },
      role: 'original',
      representative: true,
      reason: { rule: 'containment', matched: 'it_excerpt', scores: { containment: 0.44, narrativeContainment: 0.44, resemblance: 0.14, sharedShingles: 36, sharedNarrative: 36, passageWords: 39 }, passage: 'barely a week into his presidency' },
      appearances: [{ location: 'https://nknews.example/feed', position: 3, firstSeenAt: at }],
      furniture: ['“sign up for our weekly newsletter and receive the …” seen on 37 pages of nknews.example'],
    },
    {
      itemId: 'it_excerpt',
      sourceId: 'archive',
      title: 'Extreme vetting not kind to North Korean escapees',
      url: null,
      outlets: ['NK News'],
      published: { at: new Date('2020-01-01T00:00:00Z'), precision: 'month' },
      role: 'excerpt',
      representative: false,
      reason: { rule: 'first-seen' },
      appearances: [
        { location: 'familycare-monthly-2020-01.txt', position: 2, firstSeenAt: at },
        { location: 'familycare-category-north-korean-refugee.txt', position: 7, firstSeenAt: at },
      ],
      furniture: [],
    },
  ],
  merges: [{ from: 'st_gone', byItem: 'it_original', editor: null, reason: {}, mergedAt: at }],
  series: [],
  templates: [],
  pendingReviews: 1,
};

describe('stories show', () => {
  const text = formatStoryDetail(detail);

  it('says where an id merged into another Story went', () => {
    expect(text.split('\n')[0]).toBe('Story st_gone was merged into st_keep');
  });

  it('lists each Item with its role, the representative marked, and why it joined', () => {
    expect(text).toMatch(/^\* original +it_original {2}Almost three years on/m);
    expect(text).toMatch(/^ {2}excerpt +it_excerpt/m);
    expect(text).toContain('joined: containment with it_excerpt (containment 0.44, resemblance 0.14, 39-word passage)');
    expect(text).toContain('shared: “barely a week into his presidency”');
    expect(text).toContain('joined: first seen');
  });

  it("gives the Story's date and each Item's, a month as a month, never when it was read", () => {
    expect(text.split('\n')[1]).toMatch(/^published 2017-01-30 \(the earliest of its Items' dates\), first seen 2026-11-30T08:00:00.000Z/);
    expect(text).toContain('Source nk-news, Outlet NK News, dated 2017-01-30, https://nknews.example/a');
    expect(text).toContain('Source archive, Outlet NK News, dated 2020-01\n');
    const undated = formatStoryDetail({ ...detail, published: null, members: detail.members.map((m) => ({ ...m, published: null })) });
    expect(undated.split('\n')[1]).toMatch(/^published unknown /);
    expect(undated).toContain('Source archive, Outlet NK News, dated unknown\n');
  });

  it('lists every Appearance, the merges and what waits for an editor', () => {
    expect(text).toContain('seen: familycare-monthly-2020-01.txt #2');
    expect(text).toContain('seen: familycare-category-north-korean-refugee.txt #7');
    expect(text).toMatch(/st_gone by Item it_original at 2026-11-30/);
    expect(text).toContain('1 pair(s) waiting for an editor');
  });

  it("names an Item's paragraphs that are its site's furniture, and what a comparison left out", () => {
    expect(text).toContain('furniture: “sign up for our weekly newsletter and receive the …” seen on 37 pages of nknews.example, left out whenever it is compared');
    const discounted = formatStoryDetail({
      ...detail,
      members: detail.members.map((m) => (m.reason.rule === 'containment' ? { ...m, reason: { ...m.reason, scores: { ...m.reason.scores!, discounted: ['“subscribe now …” seen on 5 pages of wire.example'] } } } : m)),
    });
    expect(discounted).toContain('left out: “subscribe now …” seen on 5 pages of wire.example, site furniture');
    expect(text).not.toContain('left out:');
  });
});
