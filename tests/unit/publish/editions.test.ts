import { describe, expect, it } from 'vitest';
import { editionEntryId, editionPagePath, editionPageUrl, editionToFeedEntry, renderEditionPages } from '../../../src/publish/editions.js';
import { renderFeeds, type FeedSite } from '../../../src/publish/feeds.js';
import type { StoredEntry } from '../../../src/digest/edition.js';
import { storedEdition } from '../../helpers/editions.js';

const site: FeedSite = { title: 'Newsdesk', url: 'https://news.example.org', description: '', language: 'en', feedBaseUrl: 'https://news.example.org' };
const entry = (n: number, fields: Partial<StoredEntry> = {}): StoredEntry => ({
  storyId: `st_${n}`,
  title: `Story ${n}`,
  url: `https://outlet.example/${n}?a=1&b="2"`,
  outlet: 'NK News',
  published: { at: new Date(Date.UTC(2026, 10, 20)), precision: 'time' },
  summary: 'Summary.',
  reportedBy: [],
  repostedBy: [],
  pinned: false,
  section: null,
  sectionLabel: 'Other news',
  ...fields,
});
const sentAt = new Date(Date.UTC(2026, 10, 23, 7));
const sent = { ...storedEdition([entry(1, { title: 'Kim & <Moon>' }), entry(2, { url: null, outlet: null })], { status: 'sent', subject: 'This week & more', subjectEdited: true }), sentAt };

describe('the Editions Feed and pages', () => {
  it('makes one Feed entry per Edition: its subject, its page, a stable id, its Stories listed', () => {
    const feedEntry = editionToFeedEntry(sent, site);
    expect(feedEntry).toMatchObject({ id: editionEntryId('2026-W47'), title: 'This week & more', link: 'https://news.example.org/email/2026-W47.html', published: sentAt });
    expect(feedEntry.contentHtml).toBe(
      // A Story without an Outlet's address links to its page on the site.
      '<ul><li><a href="https://outlet.example/1?a=1&amp;b=&quot;2&quot;">Kim &amp; &lt;Moon&gt;</a> (NK News)</li>' +
        '<li><a href="https://news.example.org/stories/st_2">Story 2</a></li></ul>',
    );
    expect(feedEntry.summary).toBe('2 Stories: Kim & <Moon>; Story 2');
    expect(editionEntryId('2026-W47')).toBe(editionEntryId('2026-W47'));
    expect(editionEntryId('2026-W47-2')).not.toBe(editionEntryId('2026-W47'));
    const json = JSON.parse(renderFeeds(site, [feedEntry]).json) as { items: { id: string; url: string }[] };
    expect(json.items[0]).toMatchObject({ id: editionEntryId('2026-W47'), url: 'https://news.example.org/email/2026-W47.html' });
  });

  it('puts pages only at Edition ids', () => {
    expect(editionPagePath('2026-W47-2')).toBe('email/2026-W47-2.html');
    expect(editionPageUrl('https://news.example.org/', '2026-W47')).toBe('https://news.example.org/email/2026-W47.html');
    for (const id of ['../x', '2026-W47/..', '', 'x']) expect(() => editionPagePath(id), id).toThrow(/not an Edition id/);
  });

  it('renders each page with the generic links and no web-version link; leaves out one render refuses, with why', async () => {
    const context = {
      site: { title: 'Newsdesk', url: 'https://news.example.org' },
      organisation: { name: 'Example', postalAddress: '12 Example Street' },
      links: { unsubscribe: 'https://news.example.org/unsubscribe', preferences: 'https://news.example.org/preferences', webVersion: 'https://news.example.org/email/2026-W47.html' },
    };
    const broken = { ...storedEdition([], { id: '2026-W46', week: '2026-W46', status: 'sent' }), sentAt };
    const { pages, refused } = await renderEditionPages([sent, broken], context);
    expect(pages.map((page) => page.path)).toEqual(['email/2026-W47.html']);
    expect(pages[0]!.html).toContain('href="https://news.example.org/unsubscribe"');
    expect(pages[0]!.html).not.toContain('Read it in your browser');
    expect(refused).toEqual(['render: edition 2026-W46: it has no Stories: there is nothing to render']);
    // The Editions Feed names each page by the subject its email had.
    expect(editionToFeedEntry(sent, site, pages[0]!.subject).title).toBe('This week & more');
  });
});
