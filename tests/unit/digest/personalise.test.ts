import { describe, expect, it } from 'vitest';
import { editionForSections, escapeAttribute, LINK_PLACEHOLDERS, preferenceKey, sectionsFor, withLinks } from '../../../src/digest/personalise.js';
import { renderEdition, type RenderContext } from '../../../src/digest/render.js';
import type { StoredEntry } from '../../../src/digest/edition.js';
import { storedEdition } from '../../helpers/editions.js';

const entry = (storyId: string, section: string | null): StoredEntry => ({
  storyId,
  title: `Story ${storyId}`,
  url: `https://outlet.example/${storyId}`,
  outlet: 'NK News',
  published: { at: new Date('2026-11-20T00:00:00Z'), precision: 'time' },
  summary: `About ${storyId}.`,
  reportedBy: [],
  repostedBy: [],
  pinned: false,
  section,
  sectionLabel: section ?? 'Other news',
});
const edition = storedEdition([entry('a1', 'escape'), entry('a2', 'escape'), entry('b1', 'family'), entry('c1', null)]);
const context: RenderContext = {
  site: { title: 'News Desk', url: 'https://news.example.org' },
  organisation: { name: 'News Desk', postalAddress: '12 Example Street' },
  links: { unsubscribe: 'https://news.example.org/unsubscribe', preferences: 'https://news.example.org/preferences' },
};

describe('personal Editions', () => {
  it('gives every section to a Subscriber without preferences, only their Topics (no "Other news") to the others', () => {
    expect(sectionsFor(edition, [])).toEqual(['escape', 'family', null]);
    expect(sectionsFor(edition, ['family', 'escape', 'gone'])).toEqual(['escape', 'family']);
    expect(sectionsFor(edition, ['gone'])).toEqual([]);
    expect(preferenceKey(sectionsFor(edition, ['family', 'escape']))).toBe(preferenceKey(sectionsFor(edition, ['escape', 'family'])));
    expect(editionForSections(edition, ['family']).entries.map((e) => e.storyId)).toEqual(['b1']);
  });

  it('puts the Subscriber\'s links in place of the placeholders, attribute-escaped in the HTML', async () => {
    const email = await renderEdition(editionForSections(edition, ['escape']), { ...context, links: { ...context.links, ...LINK_PLACEHOLDERS } });
    const links = { unsubscribe: 'https://news.example.org/unsubscribe?token=abc&x="1"', preferences: 'https://news.example.org/preferences?token=$&def' };
    const personal = withLinks(email, links, edition.id);
    expect(personal.html).toContain('href="https://news.example.org/unsubscribe?token=abc&amp;x=&quot;1&quot;"');
    expect(personal.html).toContain('href="https://news.example.org/preferences?token=$&amp;def"');
    expect(personal.text).toContain('Unsubscribe: https://news.example.org/unsubscribe?token=abc&x="1"');
    expect(personal.html + personal.text).not.toContain('newsdesk-link.invalid');
    expect(personal.html).toContain('Story a1');
    expect(personal.html).not.toContain('Story b1');
    expect(escapeAttribute(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });

  // Issue 16 item 4: the stored subject named the whole Edition's lead, from a section this reader does not get.
  describe('subject and preheader of a personal email', () => {
    const week = storedEdition([entry('x1', 'escape'), entry('f1', 'family'), entry('f2', 'family'), entry('r1', 'repatriation'), entry('o1', null)], {
      subject: 'News Desk: Story r1',
    });
    const emailFor = (edition: typeof week, topics: string[]) => renderEdition(editionForSections(edition, sectionsFor(edition, topics)), context);
    const titles = (text: string) => [...text.matchAll(/Story (\w\d)/g)].map((m) => m[1]);

    it('names only Stories of their email, the subject the first one, the preheader the next ones in the order the email shows them', async () => {
      const email = await emailFor(week, ['family', 'escape']);
      expect(email.subject).toBe('News Desk: Story x1');
      expect(email.preheader).toBe('Story f1 · Story f2');
      expect(titles(email.subject + email.preheader)).toEqual(['x1', 'f1', 'f2']);
      // The hidden preheader in the HTML says the same.
      expect(email.html).toContain('Story f1 · Story f2');
      const one = await emailFor(week, ['repatriation']);
      expect([one.subject, one.preheader]).toEqual(['News Desk: Story r1', 'Weekly email, 9–15 November 2026']);
    });

    it("keeps an editor's subject for every reader (it names nothing we can check) and lists their Stories from the first", async () => {
      const email = await emailFor({ ...week, subject: 'Seven days at the border', subjectEdited: true }, ['family', 'escape']);
      expect(email.subject).toBe('Seven days at the border');
      expect(email.preheader).toBe('Story x1 · Story f1 · Story f2');
    });
  });

  it('refuses an email that has no unsubscribe placeholder to fill', async () => {
    const email = await renderEdition(edition, context);
    expect(() => withLinks(email, { unsubscribe: 'u', preferences: 'p' }, edition.id)).toThrow('render: edition 2026-W47: the HTML has no unsubscribe link to personalise');
  });
});
