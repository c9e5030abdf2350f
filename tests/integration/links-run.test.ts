/**
 * What `npm start` leaves in out/ (the `run` command over the demo
 * configuration, through main() as the command line runs it): every entry of
 * every Feed links somewhere (JSON Feed `url`, RSS `<link>`, Atom
 * `<link href>`), and every Story in out/edition.html is a link to a page that
 * exists under out/ (its original is never known in the samples: archive
 * posts carry no address). The email: its days in words, its contents linked
 * to its sections, short summaries, a subject that fits, under 102 KB, and a
 * plain-text part with the same links.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { SHORT_SUMMARY } from '../../src/digest/summary.js';
import { writeSampleConfigFile } from '../helpers/sample-config.js';

const SITE = 'https://news.example.org';
let out: string;
let runOutput: string;

beforeAll(async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-links-'));
  const configFile = writeSampleConfigFile(folder);
  out = path.join(folder, 'out');
  let err = '';
  runOutput = '';
  const code = await main(['-c', configFile, 'run'], { out: (text) => (runOutput += text), err: (text) => (err += text) });
  expect(code, err).toBe(0);
}, 120_000);

/** The file under out/ a link on the site is served from (stories/<id> is a folder with its index.html). */
function fileFor(link: string): string {
  expect(link.startsWith(`${SITE}/`), link).toBe(true);
  const pathname = new URL(link).pathname;
  return path.join(out, pathname, pathname.endsWith('.html') ? '' : 'index.html');
}

const feeds = () => ['', ...readdirSync(path.join(out, 'topics')).filter((name) => name.endsWith('.json')).map((name) => `topics/${name.replace(/\.json$/, '')}`)];

describe('npm start: every entry links somewhere', () => {
  it('says in its summary that it wrote the Story pages', () => {
    expect(runOutput).toMatch(/^Story pages \(stories\/<id>\/index\.html\), for the Stories with no Outlet's address: 45 written, 0 unchanged$/m);
  });

  it('gives every JSON Feed item a url, overall and per Topic, each to a page written under out/', () => {
    for (const feed of feeds()) {
      const file = feed === '' ? 'feed.json' : `${feed}.json`;
      const json = JSON.parse(readFileSync(path.join(out, file), 'utf8')) as { items: { id: string; url?: string }[] };
      if (feed === '') expect(json.items).toHaveLength(45);
      for (const item of json.items) {
        expect(item.url, `${file} ${item.id}`).toBeDefined();
        expect(existsSync(fileFor(item.url!)), item.url).toBe(true);
      }
    }
  });

  it('gives every RSS item a <link> and every Atom entry a <link href>, the same as the JSON Feed url', () => {
    for (const feed of feeds()) {
      const base = feed === '' ? { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } : { rss: `${feed}.xml`, atom: `${feed}.atom`, json: `${feed}.json` };
      const urls = (JSON.parse(readFileSync(path.join(out, base.json), 'utf8')) as { items: { url: string }[] }).items.map((item) => item.url);
      const rss = parseDocument(readFileSync(path.join(out, base.rss), 'utf8'), { xmlMode: true });
      const items = DomUtils.getElementsByTagName('item', rss);
      expect(items.map((item) => DomUtils.textContent(DomUtils.getElementsByTagName('link', item)[0] ?? item).trim())).toEqual(urls);
      const atom = parseDocument(readFileSync(path.join(out, base.atom), 'utf8'), { xmlMode: true });
      const entries = DomUtils.getElementsByTagName('entry', atom);
      expect(entries.map((entry) => DomUtils.getElementsByTagName('link', entry)[0]?.attribs.href)).toEqual(urls);
    }
  });

  it('links every Story of out/edition.html to a page that exists under out/, in the HTML and in the text', () => {
    const html = readFileSync(path.join(out, 'edition.html'), 'utf8');
    const dom = parseDocument(html);
    const titles = DomUtils.getElementsByTagName('h3', dom);
    expect(titles.length).toBe(20);
    const links = titles.map((h3) => DomUtils.getElementsByTagName('a', h3)[0]?.attribs.href);
    for (const link of links) {
      expect(link).toMatch(/^https:\/\/news\.example\.org\/stories\/st_[0-9a-f]+$/);
      expect(existsSync(fileFor(link!)), link).toBe(true);
    }
    const text = readFileSync(path.join(out, 'edition.txt'), 'utf8');
    for (const link of links) expect(text).toContain(`\n${link}\n`);
  });
});

describe('npm start: the email', () => {
  const html = () => readFileSync(path.join(out, 'edition.html'), 'utf8');
  const text = (node: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim();

  it('is under 102 KB, without script, and says its days in words', () => {
    expect(statSync(path.join(out, 'edition.html')).size).toBeLessThan(102_000);
    const dom = parseDocument(html());
    expect(DomUtils.getElementsByTagName('script', dom)).toHaveLength(0);
    expect(html()).not.toMatch(/\son[a-z]+=/i);
    const days = /^(\d{1,2}) (?:\w+ (?:\d{4} )?)?– ?\d{1,2} \w+ \d{4}$|^\d{1,2}–\d{1,2} \w+ \d{4}$/;
    const weekLine = DomUtils.getElementsByTagName('p', dom).map(text).find((p) => p.startsWith('Weekly email, '));
    expect(weekLine?.replace('Weekly email, ', '')).toMatch(days);
    expect(readFileSync(path.join(out, 'edition.txt'), 'utf8').split('\n')[0]).toBe(`North Korean Refugees News Desk, weekly email, ${weekLine!.replace('Weekly email, ', '')}`);
  });

  it('lists its sections with counts, each linked to its heading, and the counts add up to its Stories', () => {
    const dom = parseDocument(html());
    const contents = DomUtils.getElementsByTagName('ul', dom).find((ul) => DomUtils.getElementsByTagName('a', ul).some((a) => a.attribs.href?.startsWith('#')))!;
    const items = DomUtils.getElementsByTagName('li', contents);
    const headings = DomUtils.getElementsByTagName('h2', dom);
    expect(items).toHaveLength(headings.length);
    let total = 0;
    items.forEach((item, i) => {
      const [, label, count] = /^(.*) \((\d+)\)$/.exec(text(item))!;
      expect(label).toBe(text(headings[i]!));
      expect(DomUtils.getElementsByTagName('a', item)[0]!.attribs.href).toBe(`#${headings[i]!.attribs.id}`);
      total += Number(count);
    });
    expect(total).toBe(20);
  });

  it('shows short summaries: each at most about 200 characters', () => {
    const dom = parseDocument(html());
    const summaries: string[] = [];
    for (const h3 of DomUtils.getElementsByTagName('h3', dom)) {
      // The summary is the paragraph after the title (and after the Outlet and date line when there is one).
      const next = DomUtils.nextElementSibling(h3);
      const summary = next && /nd-muted/.test(next.attribs.class ?? '') ? DomUtils.nextElementSibling(next) : next;
      if (summary?.name === 'p' && !/nd-muted/.test(summary.attribs.class ?? '')) summaries.push(text(summary));
    }
    // Nearly every sample Story has prose to summarise.
    expect(summaries.length).toBeGreaterThanOrEqual(18);
    for (const summary of summaries) expect(summary.length, summary).toBeLessThanOrEqual(SHORT_SUMMARY.maxChars);
  });

  it('has a subject of at most 70 characters with no word cut', () => {
    const title = text(DomUtils.getElementsByTagName('title', parseDocument(html()))[0]!);
    expect(title.length).toBeLessThanOrEqual(70);
    expect(title).not.toContain('…');
  });
});
