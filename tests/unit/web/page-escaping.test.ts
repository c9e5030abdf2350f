/**
 * XSS in the pages `newsdesk serve` renders: what comes from Sources (titles,
 * links), from editors (names, messages) and from visitors (a subscribe form
 * sent back with its error) is escaped by the templates, and a Source's link
 * reaches an editor page's href only when it is http(s).
 */
import { parseDocument, DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { formatIn, renderTemplate } from '../../../src/web/editor/views.js';
import { renderPublicPage } from '../../../src/web/subscribe/views.js';

const SCRIPT = '<script>alert(1)</script>';
const IMAGE = '<img src=x onerror=alert(2)>';
const QUOTE_BREAK = '"><svg onload=alert(3)>';

/** Elements and attributes nothing from the data may create. */
function injected(html: string): string[] {
  const found: string[] = [];
  for (const element of DomUtils.findAll(() => true, parseDocument(html).children)) {
    if (element.name === 'script' && !element.attribs.src) found.push('inline <script>');
    if (element.name === 'img' || element.name === 'svg') found.push(`<${element.name}>`);
    for (const [name, value] of Object.entries(element.attribs)) {
      if (/^on/i.test(name)) found.push(`${name} on <${element.name}>`);
      // The layouts' empty favicon (`<link rel="icon" href="data:,">`) is ours.
      const ours = element.name === 'link' && value === 'data:,';
      if ((name === 'href' || name === 'src' || name === 'action') && !ours && /^\s*(javascript|data|vbscript):/i.test(value)) found.push(`${name}="${value}"`);
    }
  }
  return found;
}

const editor = { id: 'h', editorId: 1, email: 'eve@example.org', name: `Eve ${SCRIPT}`, csrfToken: QUOTE_BREAK, flash: null, expiresAt: new Date() };

describe('the editor pages', () => {
  it('escape what editors, Sources and errors put on a page', () => {
    const html = renderTemplate('error', {
      title: `Title ${SCRIPT}`,
      message: `Message ${IMAGE} ${QUOTE_BREAK}`,
      editor,
      csrf: QUOTE_BREAK,
      flash: { kind: 'error', message: `Flash ${SCRIPT}` },
      dashboard: false,
    }, 'UTC');
    expect(injected(html)).toEqual([]);
    expect(html).toContain('Message &lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Flash &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Eve &lt;script&gt;');
    expect(html).toContain('value="&quot;&gt;&lt;svg onload=alert(3)&gt;"');
  });

  it("show a Story's Items with their titles escaped and only http(s) links", () => {
    const member = (itemId: string, title: string, url: string) => ({
      itemId,
      title,
      url,
      representative: itemId === 'i1',
      role: 'original',
      sourceId: 'outlet',
      outlets: [`Outlet ${IMAGE}`],
      why: `because ${SCRIPT}`,
      furniture: [`Furniture ${SCRIPT}`],
      appearances: [{ location: `https://x.example/${SCRIPT}`, position: 1, firstSeenAt: new Date() }],
    });
    const members = [
      member('i1', `First ${SCRIPT}`, 'javascript:alert(4)'),
      member('i2', `Second ${QUOTE_BREAK}`, ' JavaScript:alert(5)'),
      member('i3', 'Third', 'data:text/html,<script>alert(6)</script>'),
      member('i4', 'Fourth', 'https://news.example.org/story?a=1&b="2"'),
    ];
    const detail = { id: 's1', members, createdAt: new Date(), updatedAt: new Date(), pendingReviews: 0, merges: [], series: [{ storyId: 's2', title: `Series ${SCRIPT}` }] };
    const topics = [
      { slug: 'escape', label: `Escape ${IMAGE}`, score: 0.5, threshold: 0.5, given: true, decision: { by: 'model', margin: 0, words: `lifted ${SCRIPT}` }, why: `rule ${SCRIPT}`, labelled: false },
    ];
    const html = renderTemplate('story', { title: members[0]!.title, nav: 'stories', detail, members, topics, editor, csrf: 'c', flash: null, dashboard: false }, 'UTC');
    expect(injected(html)).toEqual([]);
    const links = DomUtils.findAll((el) => el.name === 'a', parseDocument(html).children).map((a) => a.attribs.href);
    expect(links).toContain('#');
    expect(links).toContain('https://news.example.org/story?a=1&b="2"');
    expect(links.filter((href) => /script|data:/i.test(href ?? ''))).toEqual([]);
    expect(html).toContain('First &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escape the least-sure view: Story titles, ids and Topic labels', () => {
    const stories = [
      { storyId: `st_${QUOTE_BREAK}`, title: `Title ${SCRIPT}`, margin: 0.01, near: [{ slug: 'escape', label: `Escape ${IMAGE}`, score: 0.49, threshold: 0.5, given: false }] },
    ];
    const html = renderTemplate('stories', { title: 'Stories', nav: 'stories', view: 'least-sure', stories, taxonomy: true, editor, csrf: 'c', flash: null, dashboard: false }, 'UTC');
    expect(injected(html)).toEqual([]);
    expect(html).toContain('Title &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Escape &lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('id="story-st_&quot;&gt;&lt;svg onload=alert(3)&gt;"');
  });

  it('let only http(s) addresses through format.href', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example/x', '/relative']) {
      expect(formatIn('UTC').href(url), url).toBe('#');
    }
    for (const url of ['https://news.example.org/a', 'http://news.example.org/b', 'HTTPS://news.example.org/c']) expect(formatIn('UTC').href(url)).toBe(url);
  });
});

describe('the public pages', () => {
  const config = loadConfig('newsdesk.yaml', {});

  it("escape a refused subscribe form's values when they are shown again", () => {
    const html = renderPublicPage(config, 'subscribe', {
      title: 'Subscribe',
      topics: [{ slug: 'escape', label: `Escape ${SCRIPT}` }],
      error: `Email address: "${SCRIPT}" is not an email address.`,
      email: QUOTE_BREAK,
      name: `${IMAGE}${QUOTE_BREAK}`,
      chosen: [QUOTE_BREAK],
    });
    expect(injected(html)).toEqual([]);
    expect(html).toContain('value="&quot;&gt;&lt;svg onload=alert(3)&gt;"');
    expect(html).toContain('&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; is not an email address');
  });

  it('escape the messages and addresses the link pages show', () => {
    const message = renderPublicPage(config, 'message', { title: `Done ${SCRIPT}`, kind: 'ok', message: `Thank you: ${IMAGE}`, link: { href: '/subscribe', text: QUOTE_BREAK } });
    const unsubscribe = renderPublicPage(config, 'unsubscribe', { title: 'Unsubscribe', email: `${SCRIPT}@example.org`, token: QUOTE_BREAK });
    for (const html of [message, unsubscribe]) expect(injected(html)).toEqual([]);
    expect(unsubscribe).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@example.org');
  });
});
