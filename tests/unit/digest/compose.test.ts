import { describe, expect, it } from 'vitest';
import { composeEdition, DEFAULT_COMPOSE, OTHER_SECTION, type CandidateStory } from '../../../src/digest/compose.js';
import { editionWindow } from '../../../src/week.js';

const window = editionWindow('2026-W47', { day: 'monday', time: '07:00', timezone: 'UTC' });
const topics = [
  { slug: 'escape', label: 'Escape' },
  { slug: 'repatriation', label: 'Forced repatriation' },
  { slug: 'women', label: 'Women' },
];

let n = 0;
function story(fields: Partial<CandidateStory> = {}): CandidateStory {
  n += 1;
  return {
    id: `s${String(n).padStart(3, '0')}`,
    title: `Story ${n}`,
    url: `https://outlet.example/${n}`,
    outlet: 'NK News',
    published: null,
    firstSeenAt: new Date(window.start.getTime() + 3_600_000),
    text: `First sentence of story ${n}. Second sentence. Third sentence. Fourth sentence.`,
    topics: ['escape'],
    reportedBy: [],
    repostedBy: [],
    ...fields,
  };
}

const compose = (candidates: CandidateStory[], settings = {}, pinned?: Set<string>) =>
  composeEdition({ window, candidates, topics, siteTitle: 'Newsdesk', ...(pinned ? { pinned } : {}) }, { ...DEFAULT_COMPOSE, ...settings });

describe('composeEdition', () => {
  it('groups Stories into sections in taxonomy order, each under its strongest Topic, the untagged last', () => {
    const edition = compose([
      story({ topics: ['women', 'escape'] }),
      story({ topics: [] }),
      story({ topics: ['repatriation'] }),
      story({ topics: ['dropped-topic', 'escape'] }),
    ]);
    if (edition.status !== 'draft') throw new Error('expected a draft');
    expect(edition.sections.map((s) => [s.slug, s.label, s.entries.length])).toEqual([
      ['escape', 'Escape', 1],
      ['repatriation', 'Forced repatriation', 1],
      ['women', 'Women', 1],
      [null, OTHER_SECTION, 1],
    ]);
  });

  it('ranks by how many Outlets and reposts carried a Story, then recency; pins first', () => {
    const late = story({ firstSeenAt: new Date(window.end.getTime() - 1000) });
    const wide = story({ reportedBy: ['Daily NK', 'Yonhap'] });
    const reposted = story({ repostedBy: ['Our archive'] });
    const early = story();
    const pinnedOne = story();
    const edition = compose([early, late, reposted, wide, pinnedOne], {}, new Set([pinnedOne.id]));
    if (edition.status !== 'draft') throw new Error('expected a draft');
    expect(edition.sections[0]!.entries.map((e) => e.storyId)).toEqual([pinnedOne.id, wide.id, late.id, reposted.id, early.id]);
    expect(edition.sections[0]!.entries[0]!.pinned).toBe(true);
    expect(edition.subject).toBe(`Newsdesk: ${pinnedOne.title}`);
  });

  it('names in the default subject the first Story the email shows, not the best ranked of a later section', () => {
    const first = story({ topics: ['escape'] });
    const widest = story({ topics: ['women'], reportedBy: ['Daily NK', 'Yonhap', 'NK News'] });
    const edition = compose([widest, first, story({ topics: ['repatriation'] })]);
    if (edition.status !== 'draft') throw new Error('expected a draft');
    expect(edition.sections[0]!.entries[0]!.storyId).toBe(first.id);
    expect(edition.subject).toBe(`Newsdesk: ${first.title}`);
  });

  it('keeps to the limits per section and overall, cutting the lowest ranked; pins are never cut', () => {
    const escape = Array.from({ length: 8 }, (_, i) => story({ reportedBy: Array.from({ length: i }, (_, k) => `Outlet ${k}`) }));
    const women = Array.from({ length: 4 }, () => story({ topics: ['women'] }));
    const weakest = escape[0]!;
    const edition = compose([...escape, ...women], { maxPerSection: 3, maxStories: 5 }, new Set([weakest.id]));
    if (edition.status !== 'draft') throw new Error('expected a draft');
    const ids = edition.sections.flatMap((s) => s.entries.map((e) => e.storyId));
    // The pinned one, the three best of escape... the section cap counts the pin too.
    expect(edition.sections[0]!.entries.map((e) => e.storyId)).toEqual([weakest.id, escape[7]!.id, escape[6]!.id]);
    expect(ids).toHaveLength(5);
    expect(edition.sections[1]!.entries).toHaveLength(2);
  });

  it('skips a thin week with the reason instead of an empty email', () => {
    const edition = compose([story(), story()], { minStories: 3 });
    expect(edition).toMatchObject({ status: 'skipped', week: '2026-W47' });
    if (edition.status !== 'skipped') throw new Error('expected skipped');
    expect(edition.reason).toContain('2 Stories first seen from 2026-11-09T07:00:00.000Z to 2026-11-16T07:00:00.000Z, fewer than the minimum of 3');
  });

  it('makes each entry from the Story: link to the original, Outlet, date, 2-3 sentence summary, who else carried it', () => {
    const published = { at: new Date('2026-11-10T05:00:00Z'), precision: 'time' as const };
    const one = story({ published, reportedBy: ['Yonhap'], repostedBy: ['Archive'] });
    const edition = compose([one, story(), story()]);
    if (edition.status !== 'draft') throw new Error('expected a draft');
    const entry = edition.sections[0]!.entries.find((e) => e.storyId === one.id)!;
    expect(entry).toMatchObject({ title: one.title, url: one.url, outlet: 'NK News', published, reportedBy: ['Yonhap'], repostedBy: ['Archive'] });
    expect(entry.summary).toBe(`First sentence of story ${Number(one.id.slice(1))}. Second sentence. Third sentence.`);
  });

  it('dates an entry only as its Story is dated: a month stays a month, unknown stays unknown (never when first seen)', () => {
    const month = { at: new Date('2016-04-01T00:00:00Z'), precision: 'month' as const };
    const filed = story({ published: month });
    const undated = story({ published: null });
    const edition = compose([filed, undated, story()]);
    if (edition.status !== 'draft') throw new Error('expected a draft');
    const entries = edition.sections.flatMap((section) => section.entries);
    expect(entries.find((e) => e.storyId === filed.id)!.published).toEqual(month);
    expect(entries.find((e) => e.storyId === undated.id)!.published).toBeNull();
  });
});
