import { describe, expect, it } from 'vitest';
import { chooseRepresentative, storyProvenance, type StoryMember } from '../../../src/dedupe/roles.js';
import { ARRIVALS, ARRIVALS_TITLE, firstParagraphs, paragraphRange, printOf } from '../../helpers/articles.js';

const withNote = `${ARRIVALS}\n\nThis report first appeared on the NK News website and is shared here with the permission of its editors.`;
const americanised = ARRIVALS.replace('labour', 'labor');

interface MemberOptions {
  text?: string;
  fromOutlet?: boolean;
  outlets?: string[];
  attribution?: string | null;
  publishedAt?: string | null;
  firstSeenAt?: string;
}

function member(itemId: string, options: MemberOptions = {}): StoryMember {
  const { text = ARRIVALS, fromOutlet = true, outlets = ['NK News'], attribution = null, publishedAt = '2024-01-11T08:00:00Z', firstSeenAt = '2024-01-11T09:00:00Z' } = options;
  return {
    itemId,
    fromOutlet,
    outlets,
    attribution,
    publishedAt: publishedAt === null ? null : new Date(publishedAt),
    firstSeenAt: new Date(firstSeenAt),
    print: printOf(itemId, ARRIVALS_TITLE, text),
  };
}

const blog = (itemId: string, text: string, attribution: string | null = 'NK News') =>
  member(itemId, { text, fromOutlet: false, outlets: attribution ? [attribution] : [], attribution, publishedAt: null, firstSeenAt: '2024-01-12T10:00:00Z' });

describe('chooseRepresentative', () => {
  it("prefers the Outlet's original over a longer blog post", () => {
    const longer = blog('blog', withNote);
    const outlet = member('nk');
    expect(longer.print.wordCount).toBeGreaterThan(outlet.print.wordCount);
    expect(chooseRepresentative([longer, outlet]).itemId).toBe('nk');
  });

  it("prefers the credited Outlet's item over an earlier one from another Outlet", () => {
    const wire = member('yonhap', { outlets: ['Yonhap'], publishedAt: '2024-01-10T08:00:00Z' });
    const nk = member('nk', { outlets: ['NK News'] });
    expect(chooseRepresentative([wire, nk, blog('blog', ARRIVALS, 'nk news')]).itemId).toBe('nk');
  });

  it('prefers the earliest Outlet item when no Outlet is credited', () => {
    const wire = member('yonhap', { outlets: ['Yonhap'], publishedAt: '2024-01-10T08:00:00Z' });
    const nk = member('nk', { outlets: ['NK News'] });
    expect(chooseRepresentative([nk, wire]).itemId).toBe('yonhap');
  });

  it('puts an undated Outlet item after dated ones', () => {
    const undated = member('undated', { publishedAt: null });
    const dated = member('dated', { publishedAt: '2024-03-01T08:00:00Z' });
    expect(chooseRepresentative([undated, dated]).itemId).toBe('dated');
  });

  it('prefers the fuller text among Outlet items of the same time', () => {
    const teaser = member('teaser', { text: firstParagraphs(ARRIVALS, 1) });
    expect(chooseRepresentative([teaser, member('full')]).itemId).toBe('full');
  });

  it('prefers the Item seen first, then the smaller id, on equal terms', () => {
    const late = member('a-late', { firstSeenAt: '2024-01-11T12:00:00Z' });
    const early = member('z-early', { firstSeenAt: '2024-01-11T09:00:00Z' });
    expect(chooseRepresentative([late, early]).itemId).toBe('z-early');
    expect(chooseRepresentative([member('b'), member('a')]).itemId).toBe('a');
  });

  it('falls back to the fullest text without Outlet items', () => {
    const excerpt = blog('excerpt', firstParagraphs(ARRIVALS, 2));
    const full = blog('full', ARRIVALS);
    expect(chooseRepresentative([excerpt, full]).itemId).toBe('full');
  });
});

describe('storyProvenance', () => {
  it('gives every member its role relative to the representative', () => {
    const members = [
      blog('blog-excerpt', firstParagraphs(ARRIVALS, 2)),
      member('nk-teaser', { text: firstParagraphs(ARRIVALS, 1) }),
      member('nk-amp', { outlets: ['nk news'], firstSeenAt: '2024-01-11T11:00:00Z' }),
      member('yonhap', { text: americanised, outlets: ['Yonhap'] }),
      blog('blog-repost', withNote),
      member('nk'),
    ];
    const provenance = storyProvenance(members);
    expect(provenance.representativeId).toBe('nk');
    expect(Object.fromEntries(provenance.roles)).toEqual({
      nk: 'original',
      'nk-teaser': 'excerpt',
      'nk-amp': 'copy',
      yonhap: 'syndicated',
      'blog-repost': 'repost',
      'blog-excerpt': 'excerpt',
    });
  });

  it("calls another Outlet's shortened copy that keeps most of the words syndicated", () => {
    const nk = member('nk');
    const shortened = member('wire', { text: paragraphRange(ARRIVALS, 0, 4), outlets: ['Yonhap'], publishedAt: '2024-01-12T08:00:00Z' });
    expect(shortened.print.wordCount).toBeGreaterThanOrEqual(0.6 * nk.print.wordCount);
    expect(storyProvenance([nk, shortened]).roles.get('wire')).toBe('syndicated');
  });

  it('calls a much shorter Outlet item an excerpt', () => {
    const provenance = storyProvenance([member('nk'), member('wire', { text: firstParagraphs(ARRIVALS, 2), outlets: ['Yonhap'] })]);
    expect(provenance.roles.get('wire')).toBe('excerpt');
  });

  it("calls the organisation's own post the original", () => {
    const own = blog('own', ARRIVALS, null);
    const provenance = storyProvenance([blog('own-repost', ARRIVALS, null), own, blog('teaser', firstParagraphs(ARRIVALS, 1), null)]);
    expect(provenance.representativeId).toBe('own');
    expect(Object.fromEntries(provenance.roles)).toEqual({ own: 'original', 'own-repost': 'repost', teaser: 'excerpt' });
  });

  it('calls a representative blog post that credits an Outlet an excerpt', () => {
    const provenance = storyProvenance([blog('credited', ARRIVALS), blog('shorter', firstParagraphs(ARRIVALS, 2))]);
    expect(provenance.representativeId).toBe('credited');
    expect(provenance.roles.get('credited')).toBe('excerpt');
  });

  it('gives a Story of one Item its original', () => {
    const provenance = storyProvenance([member('nk')]);
    expect(provenance).toEqual({ representativeId: 'nk', roles: new Map([['nk', 'original']]) });
  });
});
