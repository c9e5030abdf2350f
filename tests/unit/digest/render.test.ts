import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { formatDate, preheaderOf } from '../../../src/digest/render-view.js';
import { checkEmailHtml, GMAIL_CLIP_BYTES } from '../../../src/digest/render-checks.js';
import { renderContext, renderEdition, type RenderContext } from '../../../src/digest/render.js';
import { RenderError } from '../../../src/errors.js';
import { confirmEmailView, renderConfirmEmail } from '../../../src/mail/confirm-email.js';
import type { StoredEntry } from '../../../src/digest/edition.js';
import { storedEdition } from '../../helpers/editions.js';

const TRICKY_TITLE = `Kim & Moon <script>alert("x")</script> 'talks' > "quoted"`;
const TRICKY_SUMMARY = `A < B && C > D; <b>not bold</b> "quotes" & 'apostrophes' </mj-text> {{ handlebars }}.`;

function entry(n: number, fields: Partial<StoredEntry> = {}): StoredEntry {
  return {
    storyId: `st_${n}`,
    title: `Story number ${n}`,
    url: `https://www.nknews.org/2026/11/story-${n}/?a=1&b=2`,
    outlet: 'NK News',
    published: { at: new Date(Date.UTC(2026, 10, 20, 9, 30)), precision: 'time' },
    summary: `Summary of story ${n}. It has two sentences.`,
    reportedBy: [],
    repostedBy: [],
    pinned: false,
    section: 'escape',
    sectionLabel: 'Escape and defection',
    ...fields,
  };
}

const entries: StoredEntry[] = [
  entry(1, { title: TRICKY_TITLE, summary: TRICKY_SUMMARY }),
  entry(2, { outlet: null }),
  entry(3, { section: 'repatriation', sectionLabel: 'China & forced return', reportedBy: ['Daily NK', 'Yonhap'], repostedBy: ['Crossing Borders'] }),
  entry(4, { section: null, sectionLabel: 'Other news', url: null, title: 'A Story without a link', published: { at: new Date(Date.UTC(2026, 8, 1)), precision: 'time' } }),
  // Dated only by an archive month heading; not dated at all; neither dated nor credited.
  entry(5, { section: null, sectionLabel: 'Other news', outlet: 'Vice News', title: 'Filed under April 2016', published: { at: new Date(Date.UTC(2016, 3, 1)), precision: 'month' } }),
  entry(6, { section: null, sectionLabel: 'Other news', outlet: 'New York Times', title: 'A 2017 story read in 2026', published: null }),
  entry(7, { section: null, sectionLabel: 'Other news', outlet: null, title: 'Nothing known', published: null }),
];
const edition = storedEdition(entries, { subject: 'Newsdesk: Kim & Moon <talk>', subjectEdited: true, intro: 'A busy week at the border. More below.\n\nSecond paragraph.' });

const context: RenderContext = {
  site: { title: 'Newsdesk', url: 'https://news.example.org' },
  organisation: { name: 'Example Foundation', postalAddress: '12 Example Street\nSeoul 03000\nRepublic of Korea' },
  links: { unsubscribe: 'https://news.example.org/u/signed-token?x=1&y=2', preferences: 'https://news.example.org/p/signed-token' },
};

const rendered = await renderEdition(edition, context);
const dom = parseDocument(rendered.html);
const text = (node: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim();
const byTag = (name: string) => DomUtils.getElementsByTagName(name, dom);

async function refusal(promise: Promise<unknown>): Promise<RenderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RenderError);
  expect((error as RenderError).code).toBe('render_invalid');
  return error as RenderError;
}

describe('renderEdition', () => {
  it('gives the subject, a preheader from the intro, and an HTML document in English', () => {
    expect(rendered.subject).toBe('Newsdesk: Kim & Moon <talk>');
    expect(rendered.preheader).toBe('A busy week at the border.');
    expect(DomUtils.getAttributeValue(byTag('html')[0]!, 'lang')).toBe('en');
    expect(text(byTag('title')[0]!)).toBe('Newsdesk: Kim & Moon <talk>');
    // The preheader is in the body, hidden.
    const hidden = DomUtils.findAll((el) => /display:none/.test(el.attribs.style ?? ''), dom.children);
    expect(hidden.map(text)).toContain('A busy week at the border.');
  });

  it('escapes titles and summaries: text stays text, no element comes from the data', () => {
    expect(byTag('script')).toHaveLength(0);
    expect(byTag('b')).toHaveLength(0);
    expect(rendered.html).not.toContain('<script>alert');
    expect(byTag('h3').map(text)).toContain(TRICKY_TITLE);
    expect(byTag('p').map(text)).toContain(TRICKY_SUMMARY.replace(/\s+/g, ' '));
  });

  it('has real headings: the site, then each section label in order, then its Stories', () => {
    expect(byTag('h1').map(text)).toEqual(['Newsdesk']);
    expect(byTag('h2').map(text)).toEqual(['Escape and defection', 'China & forced return', 'Other news']);
    expect(byTag('h3').map(text)).toEqual([
      TRICKY_TITLE,
      'Story number 2',
      'Story number 3',
      'A Story without a link',
      'Filed under April 2016',
      'A 2017 story read in 2026',
      'Nothing known',
    ]);
  });

  it("links each title to the Outlet's article, and a Story without one to its page on the site", () => {
    const [first, , , noOriginal] = byTag('h3');
    expect(DomUtils.getAttributeValue(DomUtils.getElementsByTagName('a', first!)[0]!, 'href')).toBe('https://www.nknews.org/2026/11/story-1/?a=1&b=2');
    expect(DomUtils.getAttributeValue(DomUtils.getElementsByTagName('a', noOriginal!)[0]!, 'href')).toBe('https://news.example.org/stories/st_4');
    expect(rendered.text).toContain('A Story without a link\nhttps://news.example.org/stories/st_4\n');
  });

  it('shows Outlet and date, and who else reported or reposted a Story', () => {
    const paragraphs = byTag('p').map(text);
    expect(paragraphs).toContain('NK News · 20 Nov 2026');
    expect(paragraphs).toContain('20 Nov 2026'); // no Outlet known
    expect(paragraphs).toContain('NK News · 1 Sep 2026');
    const also = byTag('p').filter((p) => text(p).startsWith('Also '));
    expect(also).toHaveLength(1);
    // Two lines: the <br> between them.
    expect(also[0]!.children.map((node) => (node.type === 'tag' ? `<${node.name}>` : text(node)))).toEqual([
      'Also reported by Daily NK, Yonhap',
      '<br>',
      'Also reposted by Crossing Borders',
    ]);
  });

  it('shows a date only as precisely as it is known: a month as a month, an unknown one not at all', () => {
    const paragraphs = byTag('p').map(text);
    expect(paragraphs).toContain('Vice News · April 2016');
    expect(paragraphs).toContain('New York Times');
    // No line of its own for a Story with neither Outlet nor date: its title is followed by its summary.
    const last = byTag('h3').at(-1)!;
    const next = DomUtils.nextElementSibling(last)!;
    expect(text(next)).toBe('Summary of story 7. It has two sentences.');
    expect(rendered.text).toContain('Filed under April 2016\nhttps://www.nknews.org/2026/11/story-5/?a=1&b=2\nVice News · April 2016\n');
    expect(rendered.text).toContain('A 2017 story read in 2026\nhttps://www.nknews.org/2026/11/story-6/?a=1&b=2\nNew York Times\nSummary of story 6.');
    expect(rendered.text).toContain('Nothing known\nhttps://www.nknews.org/2026/11/story-7/?a=1&b=2\nSummary of story 7.');
  });

  it('has every link absolute http(s) or mailto, or to an element of the email', () => {
    const hrefs = DomUtils.findAll((el) => el.attribs.href !== undefined, dom.children).map((el) => el.attribs.href!);
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    const ids = new Set(DomUtils.findAll((el) => el.attribs.id !== undefined, dom.children).map((el) => el.attribs.id!));
    for (const href of hrefs) {
      if (href.startsWith('#')) expect(ids, href).toContain(href.slice(1));
      else expect(['http:', 'https:', 'mailto:'], href).toContain(new URL(href).protocol);
    }
  });

  it('ends with the footer: why, unsubscribe and preferences, the sender and its postal address line by line', () => {
    const links = byTag('a').map((a) => [text(a), DomUtils.getAttributeValue(a, 'href')]);
    expect(links).toContainEqual(['Unsubscribe', 'https://news.example.org/u/signed-token?x=1&y=2']);
    expect(links).toContainEqual(['Change your preferences', 'https://news.example.org/p/signed-token']);
    expect(links.map(([label]) => label)).not.toContain('Read it in your browser');
    const paragraphs = byTag('p').map(text);
    expect(paragraphs.some((p) => p.startsWith('You receive this because you subscribed'))).toBe(true);
    const sender = byTag('p').find((p) => text(p).startsWith('Example Foundation'))!;
    expect(DomUtils.getElementsByTagName('br', sender)).toHaveLength(3);
    expect(text(sender)).toBe('Example Foundation12 Example StreetSeoul 03000Republic of Korea');
  });

  it('links the web version when given', async () => {
    const withWeb = await renderEdition(edition, { ...context, links: { ...context.links, webVersion: 'https://news.example.org/editions/2026-W47.html' } });
    expect(withWeb.html).toContain('href="https://news.example.org/editions/2026-W47.html"');
    expect(withWeb.text).toContain('Read it in your browser: https://news.example.org/editions/2026-W47.html');
  });

  it('stays under the size where Gmail clips', () => {
    expect(Buffer.byteLength(rendered.html)).toBeLessThan(102_400);
  });

  it('has a plain-text part from the same data: every title, the links, the address, nothing escaped', () => {
    for (const { title } of entries) expect(rendered.text).toContain(title);
    expect(rendered.text).toContain(TRICKY_SUMMARY.slice(0, 30));
    expect(rendered.text).toContain('Unsubscribe: https://news.example.org/u/signed-token?x=1&y=2');
    expect(rendered.text).toContain('https://www.nknews.org/2026/11/story-1/?a=1&b=2');
    expect(rendered.text).toContain('== China & forced return ==');
    expect(rendered.text).toContain('Also reported by Daily NK, Yonhap\nAlso reposted by Crossing Borders');
    expect(rendered.text).toContain('12 Example Street\nSeoul 03000\nRepublic of Korea');
    expect(rendered.text).not.toMatch(/&amp;|&lt;|&#39;|<p>/);
    expect(rendered.text.split('\n').every((line) => line.length <= 72 || !line.includes(' '))).toBe(true);
  });
});

describe('renderEdition refuses', () => {
  it('an Edition whose HTML Gmail would clip, saying the size and the limit', async () => {
    const long = 'A long summary sentence that goes on about the week at the border. '.repeat(20);
    // Full summaries: the short ones keep even 80 Stories under the limit.
    const big = storedEdition(Array.from({ length: 80 }, (_, i) => entry(i + 1, { summary: long })), { summaries: 'full' });
    const error = await refusal(renderEdition(big, context));
    expect(error.message).toMatch(/^render: edition 2026-W47: the HTML is [\d,]+ bytes, over 102,000 \(102 KB, where Gmail clips an email\)/);
  });

  it('without a postal address, naming the config key', async () => {
    const error = await refusal(renderEdition(edition, { ...context, organisation: { name: 'Example', postalAddress: ' \n ' } }));
    expect(error.message).toBe(
      'render: edition 2026-W47: no postal address for the footer (anti-spam laws ask for one): set organisation.postalAddress in the config file',
    );
  });

  it('a link that is not absolute http(s) or mailto, naming it', async () => {
    // A Story's address that is no http(s) one never reaches the email: its page on the site stands in.
    const script = await renderEdition(storedEdition([entry(1), entry(2, { url: 'javascript:alert(1)', title: 'Bad link' }), entry(3, { url: '/x' })]), context);
    expect(script.html).not.toMatch(/javascript:|href="\/x"/);
    expect(script.html).toContain('href="https://news.example.org/stories/st_2"');
    expect(script.html).toContain('href="https://news.example.org/stories/st_3"');
    const badUnsubscribe = await refusal(renderEdition(edition, { ...context, links: { ...context.links, unsubscribe: 'news.example.org/u' } }));
    expect(badUnsubscribe.message).toContain('link "news.example.org/u" ("Unsubscribe")');
  });

  it('a skipped week, with its reason', async () => {
    const skipped = storedEdition([], { status: 'skipped', skippedReason: '1 Story first seen, fewer than the minimum of 3' });
    expect((await refusal(renderEdition(skipped, context))).message).toBe(
      'render: edition 2026-W47: the week was skipped (1 Story first seen, fewer than the minimum of 3): there is nothing to render',
    );
  });
});

describe('checkEmailHtml', () => {
  it('finds images without alt text, bad links on any element, and oversize HTML', () => {
    const html = '<p><img src="https://x.example/a.png"><img src="https://x.example/b.png" alt=""><a href="ftp://x.example/f">file</a><link href="//cdn.example/x.css"></p>';
    expect(checkEmailHtml(html)).toEqual([
      'links "ftp://x.example/f" ("file"), "//cdn.example/x.css" (<link>) are not an absolute http(s) or mailto address',
      'an image (https://x.example/a.png) has no alt text',
    ]);
    expect(checkEmailHtml(`<p>${'x'.repeat(GMAIL_CLIP_BYTES)}</p>`)[0]).toMatch(/^the HTML is 102,007 bytes, over 102,000/);
    expect(checkEmailHtml('<a href="mailto:desk@news.example.org">write</a><a href="https://a.example/">ok</a>')).toEqual([]);
  });
});

describe('renderContext', () => {
  const config = loadConfig('newsdesk.yaml');

  it('takes the site and sender from the config, with generic links unless given', () => {
    expect(renderContext(config)).toEqual({
      site: { title: 'North Korean Refugees News Desk', url: 'https://news.example.org' },
      organisation: { name: 'North Korean Refugees News Desk', postalAddress: '12 Example Street, Seoul 03000, Republic of Korea' },
      links: { unsubscribe: 'https://news.example.org/unsubscribe', preferences: 'https://news.example.org/preferences' },
      timezone: 'Asia/Seoul',
    });
    const signed = renderContext(config, { unsubscribe: 'https://news.example.org/u/t', webVersion: undefined });
    expect(signed.links).toEqual({ unsubscribe: 'https://news.example.org/u/t', preferences: 'https://news.example.org/preferences' });
  });

  it('renders the sample configuration as it is', async () => {
    const email = await renderEdition(edition, renderContext(config));
    expect(email.text).toContain('Unsubscribe: https://news.example.org/unsubscribe');
  });
});

describe('the pieces', () => {
  it('formats dates in English, day month year, in UTC; a month as a month; an unknown date as nothing', () => {
    expect(formatDate({ at: new Date('2026-11-20T23:59:00Z'), precision: 'time' })).toBe('20 Nov 2026');
    expect(formatDate({ at: new Date('2026-09-01T00:00:00Z'), precision: 'time' })).toBe('1 Sep 2026');
    expect(formatDate({ at: new Date('2016-04-01T00:00:00Z'), precision: 'month' })).toBe('April 2016');
    expect(formatDate({ at: new Date('2020-01-01T00:00:00Z'), precision: 'month' })).toBe('January 2020');
    expect(formatDate(null)).toBe('');
  });

  it("makes the preheader from the intro's first sentence, else the first titles, within 140 characters", () => {
    expect(preheaderOf('Mr. Kim went home? Yes.', ['Ignored'])).toBe('Mr. Kim went home?');
    expect(preheaderOf('No full stop at all', [])).toBe('No full stop at all');
    expect(preheaderOf('', ['One', 'Two', 'Three'])).toBe('One · Two · Three');
    const long = preheaderOf('', ['word '.repeat(60)]);
    expect(long.length).toBeLessThanOrEqual(140);
    expect(long.endsWith('word…')).toBe(true);
  });
});

/**
 * Issue 16 item 18: mj-preview hid the preheader as white text on the grey page,
 * which SpamAssassin scores as hidden spam text (HTML_FONT_LOW_CONTRAST). The
 * preheader must be hidden by the properties mail clients honour, and whatever
 * colour its text gets must read against whatever background it sits on.
 */
const confirm = await renderConfirmEmail(
  confirmEmailView({ site: { ...context.site, description: '', language: 'en' }, organisation: { name: 'Example Foundation', postalAddress: '12 Example Street' } }, null, 'https://news.example.org/confirm?token=t'),
);

describe('the hidden preheader', () => {
  type Element = ReturnType<typeof DomUtils.findAll>[number];
  const declaration = (el: Element, property: string): string | undefined =>
    (el.attribs.style ?? '')
      .split(';')
      .map((part) => part.split(':').map((side) => side.trim().toLowerCase()))
      .find(([name]) => name === property)?.[1];
  /** The value the element gets: its own, else the nearest ancestor's (CSS inheritance; for the background, what shows through). */
  const inherited = (el: Element, read: (el: Element) => string | undefined, initial: string): string => {
    for (let node: Element | null = el; node; node = node.parent as Element | null) {
      const value = node.attribs ? read(node) : undefined;
      if (value) return value;
    }
    return initial;
  };
  const rgb = (colour: string): [number, number, number] => {
    const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.replace(/\s*!important$/, ''))?.[1];
    if (!hex) throw new Error(`not a #rgb colour: ${colour}`);
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  };
  /** WCAG 2 contrast ratio: 1 (same colour) to 21 (black on white). */
  const contrast = (a: string, b: string): number => {
    const luminance = (colour: string) => {
      const [r, g, b] = rgb(colour).map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light! + 0.05) / (dark! + 0.05);
  };

  it.each([
    ['the Edition', rendered.html, 'A busy week at the border.'],
    ['the confirmation email', confirm.html, 'One click to start the weekly email of Newsdesk.'],
  ])('%s: hidden by display:none and mso-hide:all, its text colour far from its background', (_name, html, preheader) => {
    const doc = parseDocument(html);
    const [element, ...more] = DomUtils.findAll((el) => text(el) === preheader && el.children.every((child) => child.type === 'text'), doc.children);
    expect(more).toEqual([]);
    expect(element).toBeDefined();
    expect(declaration(element!, 'display')).toBe('none');
    const colour = inherited(element!, (el) => declaration(el, 'color') ?? el.attribs.color, '#000000');
    const background = inherited(element!, (el) => declaration(el, 'background-color') ?? el.attribs.bgcolor, '#ffffff');
    // 4.5: WCAG's least for body text; white on the page's #f1f3f5 was 1.1.
    expect(contrast(colour, background), `${colour} on ${background}`).toBeGreaterThanOrEqual(4.5);
    expect(declaration(element!, 'mso-hide')).toBe('all');
    expect(declaration(element!, 'max-height')).toMatch(/^0(px)?$/);
    expect(declaration(element!, 'overflow')).toBe('hidden');
  });
});

describe('an email people read', () => {
  it('says which days it covers, in words, in the editors\' zone, in the HTML and the text', async () => {
    // 2026-W47's window opened Monday 9 November 07:00.
    expect(byTag('p').map(text)).toContain('Weekly email, 9–15 November 2026');
    expect(rendered.text.split('\n')[0]).toBe('Newsdesk, weekly email, 9–15 November 2026');
    // 07:00 on Monday in Seoul is Sunday evening in UTC: the zone decides the days.
    const seoul = storedEdition(entries, { windowStart: new Date('2026-11-29T22:00:00Z'), windowEnd: new Date('2026-12-06T22:00:00Z') });
    const email = await renderEdition(seoul, { ...context, timezone: 'Asia/Seoul' });
    expect(email.html).toContain('Weekly email, 30 November – 6 December 2026');
  });

  it('lists its sections with their counts, each linked to its heading', () => {
    const sections = [
      ['Escape and defection', 2],
      ['China & forced return', 1],
      ['Other news', 4],
    ] as const;
    const list = byTag('ul').find((ul) => text(ul).includes('Escape and defection'))!;
    const items = DomUtils.getElementsByTagName('li', list);
    expect(items.map(text)).toEqual(sections.map(([label, count]) => `${label} (${count})`));
    const headings = byTag('h2');
    items.forEach((item, i) => {
      const href = DomUtils.getAttributeValue(DomUtils.getElementsByTagName('a', item)[0]!, 'href')!;
      expect(href).toMatch(/^#nd-s\d+$/);
      // The link leads to the section's own heading.
      expect(DomUtils.getAttributeValue(headings[i]!, 'id')).toBe(href.slice(1));
      expect(text(headings[i]!)).toBe(sections[i]![0]);
    });
    expect(rendered.text).toContain('In this email:\n- Escape and defection (2)\n- China & forced return (1)\n- Other news (4)\n');
  });

  it('has no contents for a single section', async () => {
    const one = await renderEdition(storedEdition([entry(1), entry(2)]), context);
    expect(one.html).not.toContain('In this email');
    expect(one.html).not.toContain('href="#');
    expect(one.text).not.toContain('In this email');
  });

  it('shows short summaries unless the Edition asks for full ones, in both parts', async () => {
    const long =
      'The soldier crossed the demilitarized zone on Thursday night, guards said. Shots were fired from the North, and he was hit twice. ' +
      'Doctors in Suwon operated on him for five hours. He is expected to live, the hospital said on Friday.';
    const withLong = [entry(1, { summary: long }), entry(2)];
    const short = await renderEdition(storedEdition(withLong), context);
    const full = await renderEdition(storedEdition(withLong, { summaries: 'full' }), context);
    const shortForm = 'The soldier crossed the demilitarized zone on Thursday night, guards said. Shots were fired from the North, and he was hit twice.';
    expect(short.html).toContain(`<p style="margin:0 0 6px;">${shortForm}</p>`);
    expect(short.html).not.toContain('Doctors in Suwon');
    expect(short.text).toContain('hit twice.\n');
    expect(short.text).not.toContain('Doctors in Suwon');
    expect(full.html).toContain(`<p style="margin:0 0 6px;">${long}</p>`);
    // The text part wraps at 72 characters.
    expect(full.text.replace(/\s+/g, ' ')).toContain('Doctors in Suwon operated on him for five hours.');
    expect(Buffer.byteLength(full.html)).toBeGreaterThan(Buffer.byteLength(short.html));
  });

  it('refuses a link within the email that leads to no element of it', () => {
    expect(checkEmailHtml('<h2 id="nd-s1">A</h2><a href="#nd-s1">A</a><a href="#nd-s9">Nine</a>')).toEqual([
      'link "#nd-s9" ("Nine") leads to no element of this email',
    ]);
  });
});
