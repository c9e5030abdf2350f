import { describe, expect, it } from 'vitest';
import { editionForSections, escapeAttribute, LINK_PLACEHOLDERS, preferenceKey, sectionsFor, withLinks } from '../../../src/digest/personalise.js';
import { renderEdition, type RenderContext } from '../../../src/digest/render.js';
import type { StoredEntry } from '../../../src/store/editions.js';
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

  it('refuses an email that has no unsubscribe placeholder to fill', async () => {
    const email = await renderEdition(edition, context);
    expect(() => withLinks(email, { unsubscribe: 'u', preferences: 'p' }, edition.id)).toThrow('render: edition 2026-W47: the HTML has no unsubscribe link to personalise');
  });
});
