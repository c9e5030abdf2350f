/**
 * Property tests (fast-check) of the normaliser: what the Items made from any
 * feed entry or archive page promise, whatever HTML and addresses a Source
 * sends. Iterations: NEWSDESK_FUZZ_RUNS (default 200), see arbitraries.ts.
 *
 * - sanitised HTML holds only the allow-list: no <script>, no on* or other
 *   attributes outside it, links only http(s)/mailto and images only http(s),
 *   absolute when a base address is given;
 * - sanitising is idempotent, with or without a base address;
 * - normalizeEntry, on any parsed entry (hostile HTML, odd dates, odd links),
 *   throws nothing but our own errors and gives an Item whose HTML is sanitised
 *   (and a fixed point of the sanitiser), whose plain-text fields read from
 *   HTML carry no markup while its title and Outlet (text already) keep every
 *   character, whose url is null or an absolute, canonical http(s) address, whose
 *   date is the entry's (published, else updated) when valid and null otherwise,
 *   whose summary is at most 300 characters, and whose hash is its text's;
 * - a title declared text (Atom) or a JSON Feed title comes out of parse and
 *   normalize character for character, `<` included;
 * - normalizeEntry is pure: the same entry gives the same Item;
 * - parsing then normalising any feed-shaped document throws only our own
 *   errors, and every Item's HTML is sanitised;
 * - canonicalUrl never throws and is idempotent; canonicalUrlOrNull gives
 *   null or an absolute http(s) address without fragment, trackers or AMP switches;
 * - summarize stays within its length (in code points), keeps short text whole,
 *   cuts long text to a prefix plus an ellipsis, never splits a surrogate pair,
 *   and is idempotent;
 * - textToHtml is stable under sanitizeHtml and reads back through htmlToText;
 * - contentHash ignores whitespace;
 * - archive Items: HTML stable under the sanitiser, the same text as their
 *   plain text (by hash), summary within 300 characters; merging the Items of
 *   several pages keeps one per id and is idempotent.
 */
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { NewsdeskError } from '../../src/errors.js';
import { archivePageToItems, mergeArchiveItems } from '../../src/ingest/archive/item.js';
import { parseArchivePage } from '../../src/ingest/archive/parse.js';
import { contentHash, type Item } from '../../src/ingest/item.js';
import { canonicalUrl, canonicalUrlOrNull, normalizeEntry, type FeedSource } from '../../src/ingest/normalize/normalize.js';
import { parseFeed } from '../../src/ingest/feed/parse.js';
import type { ParsedEntry, ParsedFeed } from '../../src/ingest/feed/parsed-feed.js';
import { htmlToText, sanitizedHtmlToText, sanitizeHtml, summarize, textToHtml } from '../../src/html/sanitize.js';
import { allowListedHtml, canonicalisable, hostileHtml, linkish, markupOnlyHtml, runs } from './arbitraries.js';

const ALLOWED_TAGS = new Set([
  'p', 'br', 'a', 'strong', 'em', 'b', 'i', 'blockquote', 'ul', 'ol', 'li',
  'h2', 'h3', 'h4', 'figure', 'figcaption', 'img', 'pre', 'code', 'q', 'cite', 'sup', 'sub',
]);
const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = {
  a: new Set(['href', 'title', 'rel']),
  img: new Set(['src', 'alt', 'title', 'width', 'height']),
};

/** Problems with sanitised HTML, read back with the parser the sanitiser uses (attribute values entity-decoded). */
function unsafeParts(html: string, absolute: boolean): string[] {
  const problems: string[] = [];
  if (/<\s*script/i.test(html)) problems.push('<script');
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (!ALLOWED_TAGS.has(name)) problems.push(`tag <${name}>`);
        for (const [attr, value] of Object.entries(attribs)) {
          if (!ALLOWED_ATTRIBUTES[name]?.has(attr)) problems.push(`<${name} ${attr}>`);
          if (attr !== 'href' && attr !== 'src') continue;
          const schemes = attr === 'src' ? ['http:', 'https:'] : ['http:', 'https:', 'mailto:'];
          let url: URL | null = null;
          try {
            url = new URL(value);
          } catch {
            if (absolute) problems.push(`relative ${attr}=${JSON.stringify(value)} despite a base`);
          }
          if (url && !schemes.includes(url.protocol)) problems.push(`${attr}=${JSON.stringify(value)}`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

const BASES = [undefined, 'https://www.nknews.org/2024/05/story/'];

const date = fc.oneof(fc.constant(null), fc.date(), fc.constant(new Date(Number.NaN)), fc.constant(new Date(0)));
const shortText = fc.option(fc.oneof(hostileHtml, fc.string({ maxLength: 40 })), { nil: null });

const parsedEntry: fc.Arbitrary<ParsedEntry> = fc.record({
  guid: fc.option(fc.oneof(fc.string({ maxLength: 20 }), linkish), { nil: null }),
  title: shortText,
  link: fc.option(linkish, { nil: null }),
  author: shortText,
  categories: fc.array(fc.oneof(hostileHtml, fc.string({ maxLength: 10 })), { maxLength: 3 }),
  summary: fc.option(hostileHtml, { nil: null }),
  content: fc.option(hostileHtml, { nil: null }),
  published: date,
  updated: date,
  // Parsers give an absolute address (xml:base, the entry's page, the feed's or its site's), or none.
  baseUrl: fc.oneof(fc.constant(null), fc.constant(undefined), linkish.filter((url) => URL.canParse(url.trim()))),
});

const feedSource: fc.Arbitrary<FeedSource> = fc.record({
  id: fc.constantFrom('src_a', 'src_b'),
  outlet: fc.option(fc.oneof(fc.constant('NK News'), fc.string({ maxLength: 12 }), hostileHtml), { nil: null }),
  feedUrl: fc.constantFrom('https://www.nknews.org/feed/', 'http://example.org/rss.xml'),
});

function parsedFeed(title: string | null, entries: ParsedEntry[] = []): ParsedFeed {
  return { format: 'rss', title, link: null, description: null, language: null, ttlMinutes: null, entries };
}

function valid(d: Date | null): Date | null {
  return d !== null && !Number.isNaN(d.getTime()) ? d : null;
}

const codePoints = (text: string) => Array.from(text).length;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function shortFields(item: Item): string[] {
  return [item.title, item.author ?? '', ...item.categories, ...item.outlets];
}

/** The Item promises that hold for any entry. */
function checkItem(item: Item, entry: ParsedEntry): void {
  expect(unsafeParts(item.contentHtml, true)).toEqual([]);
  // Publishing sanitises the stored HTML again, against the entry's page or the site.
  for (const base of [undefined, 'https://other.example/feed/']) expect(sanitizeHtml(item.contentHtml, base)).toBe(item.contentHtml);
  expect(item.contentText).toBe(htmlToText(item.contentHtml));
  expect(item.contentHash).toBe(contentHash(item.contentText));
  expect(codePoints(item.summary)).toBeLessThanOrEqual(300);
  // Short fields: single-spaced plain text.
  for (const text of shortFields(item)) expect(text).toBe(text.replace(/\s+/g, ' ').trim());
  expect(item.categories.every((c) => c !== '')).toBe(true);
  expect(new Set(item.categories.map((c) => c.toLowerCase())).size).toBe(item.categories.length);
  if (item.url !== null) {
    expect(['http:', 'https:']).toContain(new URL(item.url).protocol);
    expect(canonicalUrl(item.url)).toBe(item.url);
  }
  expect(item.publishedAt).toEqual(valid(entry.published) ?? valid(entry.updated));
  expect(item.key).not.toBe('');
  expect(item.id).toMatch(/^it_[0-9a-f]{20}$/);
}

describe('properties: sanitising', () => {
  it('sanitised HTML holds only the allow-list: no scripts, no on* attributes, only http(s)/mailto links', () => {
    fc.assert(
      fc.property(hostileHtml, fc.constantFrom(...BASES), (html, base) => {
        expect(unsafeParts(sanitizeHtml(html, base), base !== undefined)).toEqual([]);
      }),
      { numRuns: runs * 5 },
    );
  });

  it('sanitising is idempotent, with or without a base address', () => {
    fc.assert(
      fc.property(fc.oneof(hostileHtml, allowListedHtml, fc.string({ maxLength: 100 })), fc.constantFrom(...BASES), (html, base) => {
        const once = sanitizeHtml(html, base);
        expect(sanitizeHtml(once, base)).toBe(once);
      }),
      { numRuns: runs * 5 },
    );
  });

  it('sanitised HTML gives the same plain text by the tag scan as by the HTML parser', () => {
    fc.assert(
      fc.property(fc.oneof(hostileHtml, allowListedHtml, markupOnlyHtml), fc.constantFrom(...BASES), (html, base) => {
        const sanitized = sanitizeHtml(html, base);
        expect(sanitizedHtmlToText(sanitized)).toBe(htmlToText(sanitized));
      }),
      { numRuns: runs * 5 },
    );
  });
});

describe('properties: feed entries to Items', () => {
  it('normalizeEntry throws only our own errors and keeps every Item promise, whatever the entry', () => {
    fc.assert(
      fc.property(parsedEntry, feedSource, fc.option(fc.string({ maxLength: 20 }), { nil: null }), (entry, source, feedTitle) => {
        let item: Item;
        try {
          item = normalizeEntry(entry, parsedFeed(feedTitle), source);
        } catch (error) {
          expect(error).toBeInstanceOf(NewsdeskError);
          return;
        }
        checkItem(item, entry);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('the plain-text fields read from HTML carry none of its markup; titles and Outlets, text already, keep every character', () => {
    // Every `<` of these HTML fields opens markup, so any `<` in their plain text would be markup let through.
    const html = fc.option(markupOnlyHtml, { nil: null });
    const text = fc.option(fc.oneof(markupOnlyHtml, fc.string({ maxLength: 30 })), { nil: null });
    const entry = fc.record({
      guid: fc.constant(null), title: text, link: fc.option(linkish, { nil: null }), author: html,
      categories: fc.array(markupOnlyHtml, { maxLength: 3 }), summary: html, content: html,
      published: fc.constant(null), updated: fc.constant(null), baseUrl: fc.constant(null),
    });
    const single = (value: string) => value.replace(/\s+/g, ' ').trim();
    fc.assert(
      fc.property(entry, text, (entry, outlet) => {
        const item = normalizeEntry(entry, parsedFeed('NK News'), { id: 'src_a', outlet, feedUrl: 'https://www.nknews.org/feed/' });
        for (const plain of [item.author ?? '', ...item.categories, item.contentText, item.summary]) expect(plain).not.toContain('<');
        // A parsed title is plain text (the parser read it by its type): `Vector<T>` is a title, not markup.
        if (single(entry.title ?? '') !== '') expect(item.title).toBe(single(entry.title!));
        expect(item.outlets).toEqual(single(outlet ?? 'NK News') === '' ? [] : [single(outlet ?? 'NK News')]);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('a title declared text, or a JSON Feed title, comes out of parse and normalize character for character', async () => {
    // Printable text, as XML and JSON carry it; whitespace runs collapse in a title.
    const title = fc
      .oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.array(fc.constantFrom('Vector<T>', ' and ', 'a < b', '<talks>', '<b>bold</b>', '</p>', '<!-- x -->', '&lt;', '&amp;', 'Kim & Moon', '"q"', ' '), { maxLength: 6 }).map((p) => p.join('')),
      )
      .map((t) => t.replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/g, ''));
    const source: FeedSource = { id: 'src_titles', outlet: null, feedUrl: 'https://outlet.example/feed' };
    await fc.assert(
      fc.asyncProperty(title, fc.constantFrom('atom', 'json'), async (text, format) => {
        fc.pre(text.replace(/\s+/g, ' ').trim() !== '');
        const body =
          format === 'atom'
            ? `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title type="text">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title></entry></feed>`
            : JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [{ id: 'x', title: text }] });
        const feed = await parseFeed(body, { url: source.feedUrl, contentType: null, name: 'titles' });
        const expected = text.replace(/\s+/g, ' ').trim();
        // JSON Feed titles escaped twice (`&amp;#8217;`) are read once more; text without a reference is kept as it is.
        if (format === 'json' && /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/.test(expected)) return;
        expect(normalizeEntry(feed.entries[0]!, feed, source).title).toBe(expected);
      }),
      { numRuns: runs },
    );
  });

  it('normalizeEntry is pure: the same entry gives the same Item', () => {
    fc.assert(
      fc.property(parsedEntry, feedSource, (entry, source) => {
        const feed = parsedFeed('NK News');
        expect(normalizeEntry(structuredClone(entry), feed, source)).toEqual(normalizeEntry(entry, feed, source));
      }),
      { numRuns: runs },
    );
  });

  it('parsing then normalising any feed-shaped document throws only our own errors, and the Items are sanitised', async () => {
    const escaped = (html: string) => html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const rssItem = fc
      .tuple(fc.string({ maxLength: 10 }), linkish, hostileHtml, hostileHtml, fc.constantFrom('Mon, 06 May 2024 10:15:00 GMT', 'yesterday', '2024-13-45', ''))
      .map(([title, link, description, content, pubDate]) =>
        `<item><title>${escaped(title)}</title><link>${escaped(link)}</link><description>${escaped(description)}</description>` +
        `<content:encoded><![CDATA[${content.replace(/]]>/g, '')}]]></content:encoded><pubDate>${pubDate}</pubDate></item>`);
    const atomEntry = fc
      .tuple(linkish, hostileHtml, fc.constantFrom('html', 'xhtml', 'text'), fc.constantFrom('2024-05-06T10:15:00Z', 'not a date', ''))
      .map(([href, content, type, updated]) =>
        `<entry><title type="html">${escaped(content.slice(0, 30))}</title><link href="${escaped(href).replace(/"/g, '&quot;')}"/>` +
        `<updated>${updated}</updated><content type="${type}">${type === 'xhtml' ? `<div xmlns="http://www.w3.org/1999/xhtml">${escaped(content)}</div>` : escaped(content)}</content></entry>`);
    const jsonItem = fc
      .tuple(fc.option(linkish, { nil: undefined }), hostileHtml, fc.option(fc.string({ maxLength: 25 }), { nil: undefined }))
      .map(([url, html, date]) => ({ id: url ?? html.slice(0, 10), url, content_html: html, date_published: date }));
    const document = fc.oneof(
      fc.array(rssItem, { maxLength: 4 }).map((items) =>
        `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>${items.join('')}</channel></rss>`),
      fc.array(atomEntry, { maxLength: 4 }).map((entries) =>
        `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.nknews.org/feed/"><title>T</title>${entries.join('')}</feed>`),
      fc.array(jsonItem, { maxLength: 4 }).map((items) => JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items })),
    );
    const source: FeedSource = { id: 'src_fuzz', outlet: null, feedUrl: 'https://fuzz.example/feed' };
    await fc.assert(
      fc.asyncProperty(document, async (body) => {
        let feed: ParsedFeed;
        try {
          feed = await parseFeed(body, { url: source.feedUrl, contentType: null, name: 'fuzz' });
        } catch (error) {
          expect(error).toBeInstanceOf(NewsdeskError);
          return;
        }
        for (const entry of feed.entries) {
          const item = normalizeEntry(entry, feed, source);
          expect(unsafeParts(item.contentHtml, true)).toEqual([]);
          if (item.url !== null) expect(canonicalUrl(item.url)).toBe(item.url);
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('properties: addresses', () => {
  it('canonicalUrl never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalisable, canonicalisable, linkish), (url) => {
        const once = canonicalUrl(url);
        expect(canonicalUrl(once)).toBe(once);
      }),
      { numRuns: runs * 10 },
    );
  });

  it('canonicalUrlOrNull gives null or an absolute http(s) address without fragment, trackers or AMP switches', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalisable, linkish), (url) => {
        const canonical = canonicalUrlOrNull(url);
        if (canonical === null) return;
        const parsed = new URL(canonical);
        expect(['http:', 'https:']).toContain(parsed.protocol);
        expect(canonical).not.toContain('#');
        for (const key of parsed.searchParams.keys()) {
          expect(key.toLowerCase()).not.toMatch(/^(?:utm_|pk_|mtm_|fbclid$|gclid$|amp_js_v$)/);
        }
        expect(parsed.searchParams.get('amp')?.toLowerCase() ?? 'none').not.toMatch(/^(?:|1|true|yes)$/);
        expect(canonicalUrlOrNull(canonical)).toBe(canonical);
      }),
      { numRuns: runs * 5 },
    );
  });
});

describe('properties: plain text', () => {
  it('summarize stays within its length, keeps short text whole, cuts long text to a prefix and an ellipsis', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom('word', 'Kim,', 'said.', '—', ' ', '\n', '😀', 'longerwordhere', '北韓'), { maxLength: 120 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 320 }), (input, max) => {
        const out = summarize(input, max);
        const flat = input.replace(/\s+/g, ' ').trim();
        expect(codePoints(out)).toBeLessThanOrEqual(max);
        if (codePoints(flat) <= max) expect(out).toBe(flat);
        else {
          expect(out.endsWith('…')).toBe(true);
          expect(flat.startsWith(out.slice(0, -1))).toBe(true);
        }
        // No surrogate pair is cut in two (input from `binary` may hold lone ones of its own).
        if (!LONE_SURROGATE.test(input)) expect(out).not.toMatch(LONE_SURROGATE);
        expect(summarize(out, max)).toBe(out);
      }),
      { numRuns: runs * 5 },
    );
  });

  it('textToHtml is stable under sanitizeHtml and reads back through htmlToText', () => {
    const paragraph = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.array(fc.constantFrom('Kim & Moon', '<talks>', '&amp;', '"q"', "'", '\n', '  ', '\t', '\u00a0', '<script>x</script>', 'a<b', '&lt;'), { maxLength: 8 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 5 }), fc.constantFrom(...BASES), (paragraphs, base) => {
        const html = textToHtml(paragraphs);
        expect(sanitizeHtml(html, base)).toBe(html);
        const expected = paragraphs
          .map((p) => p.trim().split(/\s*\n\s*/).map((line) => line.replace(/\s+/g, ' ').trim()).join('\n'))
          .filter((p) => p !== '')
          .join('\n\n');
        expect(htmlToText(html)).toBe(expected);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('contentHash ignores whitespace', () => {
    const space = fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', '\u00a0', '\u2003', ' \r\n ');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((w) => /^\S+$/.test(w)), { minLength: 1, maxLength: 20 }),
        fc.array(space, { minLength: 21, maxLength: 21 }),
        fc.array(space, { minLength: 21, maxLength: 21 }),
        (words, spacesA, spacesB) => {
          const a = words.map((w, i) => `${spacesA[i]}${w}`).join('') + spacesA[20];
          const b = words.map((w, i) => `${spacesB[i]}${w}`).join('');
          expect(contentHash(a)).toBe(contentHash(b));
        },
      ),
      { numRuns: runs * 2 },
    );
  });
});

describe('properties: archive pages to Items', () => {
  const line = fc.oneof(
    fc.constantFrom(
      'Posted on by', '[NK News]', '[VoA/South China Morning Post]', 'Category: Escape', 'Monthly Archives: April 2016', '~', '',
      '\u00a0', 'Read more', 'This entry was posted in Escape by admin.', 'Leave a Reply', 'image.jpg', '(Photo: Yonhap)',
      'Seven defectors were arrested in Shenyang last week, activists said.', 'Kim & Moon <talks> “quoted” at the border.',
      'Defectors arrested in China', 'Part 2: the escape',
    ),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
  );
  it('archive Items: HTML stable under the sanitiser and the same text as their plain text, short summaries; merging keeps one per id', () => {
    fc.assert(
      fc.property(fc.array(fc.array(line, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }), (pages) => {
        const items: Item[] = [];
        pages.forEach((lines, n) => {
          try {
            items.push(...archivePageToItems(parseArchivePage(lines.join('\n'), { name: `page${n}.txt` }), 'src_archive', `page${n}.txt`).items);
          } catch (error) {
            expect(error).toBeInstanceOf(NewsdeskError);
          }
        });
        for (const item of items) {
          expect(sanitizeHtml(item.contentHtml)).toBe(item.contentHtml);
          expect(unsafeParts(item.contentHtml, false)).toEqual([]);
          expect(contentHash(htmlToText(item.contentHtml))).toBe(item.contentHash);
          expect(item.contentHash).toBe(contentHash(item.contentText));
          expect(codePoints(item.summary)).toBeLessThanOrEqual(300);
        }
        const merged = mergeArchiveItems(items);
        expect(new Set(merged.map((item) => item.id)).size).toBe(merged.length);
        expect(new Set(merged.map((item) => item.id))).toEqual(new Set(items.map((item) => item.id)));
        expect(mergeArchiveItems(merged)).toEqual(merged);
      }),
      { numRuns: runs },
    );
  });
});
