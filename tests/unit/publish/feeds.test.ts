import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FeedEntry, type FeedSite, feedFiles, renderFeeds } from '../../../src/publish/feeds.js';
import { xmlShape } from '../../helpers/xml-shape.js';

const parseXml = async (xml: string): Promise<any> => xmlShape(xml);

const SCHEMA = path.resolve('tests/fixtures/atom-schema/rfc4287.rnc');
const tmp = mkdtempSync(path.join(tmpdir(), 'newsdesk-feeds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const site: FeedSite = {
  title: 'Newsdesk & Friends',
  url: 'https://news.example.org/',
  description: 'North Korean refugees <and> defectors',
  language: 'en',
  feedBaseUrl: 'https://news.example.org/feeds/',
};

const TRICKY = 'Kim & Moon <talks> “quoted”';
const id = (n: number) => `urn:uuid:00000000-0000-4000-8000-00000000000${n}`;
const at = (day: number) => new Date(Date.UTC(2024, 4, day, 9, 30));

const entries: FeedEntry[] = [
  {
    id: id(1),
    title: TRICKY,
    link: 'https://www.voanews.com/a/talks?x=1&y=2',
    outlets: ['VoA', 'South China Morning Post'],
    categories: [{ term: 'human-rights', label: 'Human rights', scheme: 'https://news.example.org/topics/' }, { term: 'Escape & rescue' }],
    contentHtml:
      '<p onclick="steal()">Talks resumed <a href="javascript:alert(1)">here</a>.</p>' +
      '<img src="/photo.jpg" onerror="alert(1)" alt="Delegates"><script>alert("x")</script>',
    summary: 'Talks resumed.',
    published: at(1),
    updated: at(2),
  },
  {
    id: id(2),
    title: 'A report without a link',
    link: null,
    outlets: [],
    categories: [],
    contentHtml: '<p>Only what the archive kept.</p>',
    summary: '',
    published: at(5),
    updated: at(5),
  },
  {
    id: id(4),
    title: 'A < B && C > D ]]> twice ]]>',
    link: 'https://www.nknews.org/2024/05/story/',
    outlets: ['NK News'],
    categories: [{ term: 'Food & Agriculture' }, { term: 'x < y', label: 'x < y & z' }],
    contentHtml: '<p>Same time as entry 3.</p>',
    summary: 'Ties sort by id.',
    published: at(3),
    updated: at(3),
  },
  {
    id: id(3),
    title: 'Outlet AT&amp;T keeps its literal entity',
    link: 'https://www.dailynk.com/english/x/',
    outlets: ['AT&amp;T Weekly'],
    categories: [],
    contentHtml: '',
    summary: 'No content, so the summary stands in.',
    published: at(3),
    updated: at(1), // before published: treated as published
  },
];
const ORDER = [id(2), id(3), id(4), id(1)];

/** Decodes the HTML a type="html" Atom title holds: only entities, since our titles carry no markup. */
function decodeHtmlText(html: string): string {
  expect(html).not.toMatch(/</);
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(Number.parseInt(ref.slice(ref[1] === 'x' ? 2 : 1), ref[1] === 'x' ? 16 : 10));
    return named[ref] ?? m;
  });
}

const text = (node: any): string => (typeof node === 'string' ? node : node?._ ?? '');

/**
 * Each document checked against the Atom schema by jing, all in one run: a Java start costs
 * about two seconds of CPU, so the documents are checked together and jing's
 * `file:line:col: error` lines are told apart by file.
 */
function jing(documents: Record<string, string>): Record<string, { valid: boolean; output: string }> {
  const files = Object.keys(documents).map((name) => {
    const file = path.join(tmp, name);
    writeFileSync(file, documents[name]!);
    return file;
  });
  const run = spawnSync('jing', ['-c', SCHEMA, ...files], { encoding: 'utf8' });
  if (run.error) throw new Error(`jing is not installed (apt-get install -y jing): ${run.error.message}`);
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0 && !files.some((file) => output.includes(`${file}:`))) throw new Error(`jing failed without naming a document: ${output}`);
  return Object.fromEntries(
    Object.keys(documents).map((name, i) => {
      const lines = output.split('\n').filter((line) => line.startsWith(`${files[i]}:`));
      return [name, { valid: lines.length === 0, output: lines.join('\n') }];
    }),
  );
}

describe('renderFeeds', () => {
  const docs = renderFeeds(site, entries, { files: feedFiles('escape') });

  it('writes RSS 2.0 with every entry, newest first, ids as non-permalink guids', async () => {
    const rss = await parseXml(docs.rss);
    const channel = rss.rss.channel[0];
    const items = channel.item as any[];
    expect(items.map((i) => text(i.guid[0]))).toEqual(ORDER);
    expect(items.every((i) => i.guid[0].$.isPermaLink === 'false')).toBe(true);
    expect(channel['atom:link'][0].$.href).toBe('https://news.example.org/feeds/topics/escape.xml');
    expect(channel.lastBuildDate[0]).toBe(at(5).toUTCString());

    const byId = new Map(items.map((i) => [text(i.guid[0]), i]));
    expect(byId.get(id(1)).title[0]).toBe(TRICKY);
    expect(byId.get(id(4)).title[0]).toBe('A < B && C > D ]]> twice ]]>');
    expect(byId.get(id(1)).link[0]).toBe('https://www.voanews.com/a/talks?x=1&y=2');
    expect(byId.get(id(2)).link).toBeUndefined();
    expect(byId.get(id(1))['dc:creator']).toEqual(['VoA', 'South China Morning Post']);
    expect(byId.get(id(3))['dc:creator']).toEqual(['AT&amp;T Weekly']);
    expect(byId.get(id(2))['dc:creator']).toBeUndefined();
    expect(byId.get(id(1)).category.map((c: any) => (typeof c === 'string' ? c : c._))).toEqual(['Human rights', 'Escape & rescue']);
    expect(byId.get(id(1)).category[0].$.domain).toBe('https://news.example.org/topics/');
    expect(byId.get(id(4)).category.map((c: any) => (typeof c === 'string' ? c : c._))).toEqual(['Food & Agriculture', 'x < y & z']);
    // RSS 2.0: an item needs a title or a description; ours always have both or content.
    expect(items.every((i) => i.title?.[0] && i['content:encoded']?.[0])).toBe(true);
  });

  it('writes RSS whose namespaces are all declared', () => {
    const file = path.join(tmp, 'feed.xml');
    writeFileSync(file, docs.rss);
    const run = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(''); // namespace errors are reported here with exit 0
  });

  it('writes Atom 1.0 with ids, titles, authors and links as given', async () => {
    const atom = (await parseXml(docs.atom)).feed;
    const list = atom.entry as any[];
    expect(list.map((e) => text(e.id[0]))).toEqual(ORDER);
    expect(atom.link.find((l: any) => l.$.rel === 'self').$.href).toBe('https://news.example.org/feeds/topics/escape.atom');
    // Feed updated = newest entry updated, not the clock.
    expect(text(atom.updated[0])).toBe(at(5).toISOString());
    expect(atom.author[0].name[0]).toBe('Newsdesk & Friends');

    const byId = new Map(list.map((e) => [text(e.id[0]), e]));
    const first = byId.get(id(1));
    expect(first.title[0].$.type).toBe('html');
    expect(decodeHtmlText(text(first.title[0]))).toBe(TRICKY);
    expect(decodeHtmlText(text(byId.get(id(4)).title[0]))).toBe('A < B && C > D ]]> twice ]]>');
    expect(first.author.map((a: any) => a.name[0])).toEqual(['VoA', 'South China Morning Post']);
    expect(byId.get(id(3)).author[0].name[0]).toBe('AT&amp;T Weekly');
    expect(byId.get(id(2)).author).toBeUndefined(); // inherits the feed's author
    expect(first.link[0].$.href).toBe('https://www.voanews.com/a/talks?x=1&y=2');
    expect(first.category.map((c: any) => c.$.term)).toEqual(['human-rights', 'Escape & rescue']);
    expect(first.category[0].$).toMatchObject({ label: 'Human rights', scheme: 'https://news.example.org/topics/' });
    expect(byId.get(id(4)).category.map((c: any) => c.$.term)).toEqual(['Food & Agriculture', 'x < y']);
    expect(byId.get(id(4)).category[1].$.label).toBe('x < y & z');
    // No link invented; the content makes the entry valid without one (RFC 4287 §4.1.1).
    expect(byId.get(id(2)).link).toBeUndefined();
    expect(text(byId.get(id(2)).content[0])).toBe('<p>Only what the archive kept.</p>');
    expect(text(byId.get(id(3)).content[0])).toContain('No content, so the summary stands in.');
  });

  it('writes JSON Feed 1.1 with the same ids, plain titles and authors', () => {
    const json = JSON.parse(docs.json);
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe('https://news.example.org/feeds/topics/escape.json');
    expect(json.language).toBe('en');
    expect(json.authors).toEqual([{ name: 'Newsdesk & Friends' }]);
    expect(json.author).toBeUndefined();
    expect(json.items.map((i: any) => i.id)).toEqual(ORDER);
    const byId = new Map<string, any>(json.items.map((i: any) => [i.id, i]));
    expect(byId.get(id(1)).title).toBe(TRICKY);
    expect(byId.get(id(1)).authors).toEqual([{ name: 'VoA' }, { name: 'South China Morning Post' }]);
    expect(byId.get(id(1)).tags).toEqual(['Human rights', 'Escape & rescue']);
    expect(byId.get(id(4)).tags).toEqual(['Food & Agriculture', 'x < y & z']);
    expect(byId.get(id(1)).url).toBe('https://www.voanews.com/a/talks?x=1&y=2');
    expect(byId.get(id(2)).url).toBeUndefined();
    expect(byId.get(id(2)).authors).toBeUndefined();
    expect(byId.get(id(1)).date_published).toBe(at(1).toISOString());
    expect(byId.get(id(3)).date_modified).toBe(at(3).toISOString());
  });

  it('credits Outlets in the content and the summary of every format', async () => {
    const credit = 'Source: VoA, South China Morning Post';
    const json = JSON.parse(docs.json);
    const item = json.items.find((i: any) => i.id === id(1));
    expect(item.content_html).toContain(`<p>${credit}</p>`);
    expect(item.summary).toBe(`Talks resumed.\n\n${credit}`);
    const atomEntry = (await parseXml(docs.atom)).feed.entry.find((e: any) => text(e.id[0]) === id(1));
    expect(text(atomEntry.content[0])).toContain(`<p>${credit}</p>`);
    expect(text(atomEntry.summary[0])).toBe(`<p>Talks resumed.</p><p>${credit}</p>`);
    const rssItem = (await parseXml(docs.rss)).rss.channel[0].item.find((i: any) => text(i.guid[0]) === id(1));
    expect(rssItem['content:encoded'][0]).toContain(`<p>${credit}</p>`);
    expect(rssItem.description[0]).toContain(credit);
    expect(json.items.find((i: any) => i.id === id(2)).content_html).not.toContain('Source:');
  });

  it('sanitises content: no scripts, event handlers or javascript: links reach a Feed', () => {
    for (const doc of [docs.rss, docs.atom, docs.json]) {
      expect(doc).not.toMatch(/<script|onerror|onclick|javascript:|steal\(|alert/i);
      expect(doc).toContain('Talks resumed'); // the text around them stays
    }
    // Relative URLs resolved against the entry's link.
    expect(docs.atom).toContain('src="https://www.voanews.com/photo.jpg"');
  });

  it('is deterministic: same entries, in any order, give identical documents', () => {
    expect(renderFeeds(site, entries, { files: feedFiles('escape') })).toEqual(docs);
    expect(renderFeeds(site, [...entries].reverse(), { files: feedFiles('escape') })).toEqual(docs);
  });

  it('uses the title option and the root path', async () => {
    const root = renderFeeds(site, entries, { title: 'Escape & rescue' });
    const atom = (await parseXml(root.atom)).feed;
    expect(atom.title[0]).toBe('Escape & rescue');
    expect(atom.link.find((l: any) => l.$.rel === 'self').$.href).toBe('https://news.example.org/feeds/atom.xml');
    expect(JSON.parse(root.json).feed_url).toBe('https://news.example.org/feeds/feed.json');
  });

  it('refuses ids that would not be written verbatim, and duplicate ids', () => {
    const base = entries[0]!;
    expect(() => renderFeeds(site, [{ ...base, id: 'story-1' }])).toThrow(/id is not an absolute IRI/);
    expect(() => renderFeeds(site, [{ ...base, id: 'HTTPS://Example.org/a' }])).toThrow(/normal form/);
    expect(() => renderFeeds(site, [base, { ...base }])).toThrow(/duplicate id/);
    expect(() => renderFeeds(site, [{ ...base, published: new Date('nope') }])).toThrow(/invalid published/);
  });
});

/** Dated, known only to the month, and not dated: rendered in the date tests and checked by jing. */
const undated: FeedEntry[] = [
  entries[0]!,
  // Known only to the month (an archive month heading): ordered by it, no date written.
  { ...entries[1]!, id: id(5), title: 'Filed under April 2016', published: null, updated: at(9), sortAt: new Date(Date.UTC(2016, 3, 1)) },
  // Not dated at all: ordered by when it was first seen.
  { ...entries[2]!, id: id(6), title: 'Undated', published: null, updated: at(8), sortAt: at(7) },
];

describe('Atom validity (RFC 4287 RELAX NG, jing)', () => {
  it('validates the rendered Atom, with entries and without; rejects a broken one (negative controls: the check can fail)', () => {
    const atom = renderFeeds(site, entries).atom;
    const noId = atom.replace(`<id>${id(2)}</id>`, '');
    expect(noId).not.toBe(atom);
    // What `feed` itself writes for an entry without a link, before we remove it.
    const bareLink = atom.replace(`<id>${id(2)}</id>`, `<id>${id(2)}</id><link/>`);
    const checked = jing({
      'full.xml': atom,
      'empty.xml': renderFeeds({ ...site, updated: at(9) }, []).atom,
      'undated.xml': renderFeeds(site, undated).atom,
      'no-id.xml': noId,
      'bare-link.xml': bareLink,
    });
    for (const name of ['full.xml', 'empty.xml', 'undated.xml']) expect(checked[name], name).toEqual({ valid: true, output: '' });
    expect(checked['no-id.xml']!.output).toMatch(/error: element "entry" incomplete/);
    expect(checked['bare-link.xml']!.output).toMatch(/error: element "link" missing required attribute "href"/);
  });
});

describe('dates only where known', () => {
  const known = entries[0]!;
  // Rendered in the tests, so one refusal fails them, not the whole file.
  const render = () => renderFeeds(site, undated);

  it('writes no RSS pubDate for an entry whose date is unknown (not its updated time)', async () => {
    const items = (await parseXml(render().rss)).rss.channel[0].item as any[];
    expect(items.map((i) => text(i.guid[0]))).toEqual([id(6), id(1), id(5)]);
    expect(items.map((i) => i.pubDate?.[0] ?? null)).toEqual([null, at(1).toUTCString(), null]);
    expect(render().rss.match(/<pubDate>/g)).toHaveLength(1);
  });

  it('writes Atom <published> only when known, <updated> always', async () => {
    const list = (await parseXml(render().atom)).feed.entry as any[];
    expect(list.map((e) => text(e.id[0]))).toEqual([id(6), id(1), id(5)]);
    expect(list.map((e) => (e.published ? text(e.published[0]) : null))).toEqual([null, at(1).toISOString(), null]);
    expect(list.map((e) => text(e.updated[0]))).toEqual([at(8).toISOString(), at(2).toISOString(), at(9).toISOString()]);
    // Valid Atom: checked by jing above ('undated.xml').
  });

  it('writes JSON Feed date_published only when known, date_modified always', () => {
    const items = JSON.parse(render().json).items as any[];
    expect(items.map((i) => i.id)).toEqual([id(6), id(1), id(5)]);
    expect(items.map((i) => i.date_published ?? null)).toEqual([null, at(1).toISOString(), null]);
    expect(items.map((i) => i.date_modified)).toEqual([at(8).toISOString(), at(2).toISOString(), at(9).toISOString()]);
  });

  it('refuses an invalid order date', () => {
    expect(() => renderFeeds(site, [{ ...known, sortAt: new Date('nope') }])).toThrow(/invalid sortAt/);
  });
});

describe('titles are the same plain text in every format', () => {
  const MARKUP = 'Kim <b>says</b> a < b & c > d';
  const docs = renderFeeds(site, [{ ...entries[0]!, title: MARKUP }]);

  it('writes the RSS title as escaped text, not raw markup inside CDATA', async () => {
    expect(docs.rss).not.toContain('<![CDATA[Kim <b>');
    expect(docs.rss).toContain('<title>Kim &#x3C;b&#x3E;says&#x3C;/b&#x3E; a &#x3C; b &#x26; c &#x3E; d</title>');
    const item = (await parseXml(docs.rss)).rss.channel[0].item[0];
    expect(item.title[0]).toBe(MARKUP);
  });

  it('gives Atom and JSON Feed readers the same text', async () => {
    const atomEntry = (await parseXml(docs.atom)).feed.entry[0];
    expect(decodeHtmlText(text(atomEntry.title[0]))).toBe(MARKUP);
    expect(JSON.parse(docs.json).items[0].title).toBe(MARKUP);
  });
});
