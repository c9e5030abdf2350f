/**
 * The archive parser's prose gate against generated noise: random short lines,
 * random words without sentences, a menu of links, a page of numbers. Each is
 * refused by name; a short real post of two sentences is still a post, and an
 * archive folder with a noise page still gives the other pages' posts.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';
import { hasProse, sentences } from '../../../../src/ingest/archive/prose.js';
import { readArchiveSource } from '../../../../src/ingest/read-archive.js';
import type { SourceRow } from '../../../../src/ingest/source.js';

/** A small seeded generator (mulberry32), so a failing page can be made again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'river north border family night house winter letter mother school market bread train city light road church money phone ' +
  'water mountain story friend field paper window garden village soldier doctor bridge morning music year child rice'
).split(' ');
const MENU = ['Home', 'About Us', 'Our Work', 'Contact', 'Donate Now', 'Blog', 'Privacy Policy', 'Terms of Use', 'Newsletter', 'Events', 'Search', 'Log in'];

type Generator = (next: () => number, lines: number) => string[];
const pick = <T,>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
const between = (next: () => number, low: number, high: number) => low + Math.floor(next() * (high - low + 1));

const noise: Record<string, Generator> = {
  'random short lines': (next, lines) =>
    Array.from({ length: lines }, () =>
      Array.from({ length: between(next, 2, 40) }, () => pick(next, [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-\''])).join(''),
    ),
  'random words without sentences': (next, lines) =>
    Array.from({ length: lines }, () => {
      const words = Array.from({ length: between(next, 1, 12) }, () => pick(next, WORDS));
      if (next() < 0.5) words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
      return words.join(' ') + pick(next, ['', '', ',', ' -', ':']);
    }),
  'a list of links and menu items': (next, lines) =>
    Array.from({ length: lines }, () =>
      next() < 0.5 ? pick(next, MENU) : `https://www.example.org/${pick(next, WORDS)}/${pick(next, WORDS)}-${between(next, 1, 999)}.html`,
    ),
  // A statistics table: a label now and then, numbers under it.
  'a page of numbers': (next, lines) =>
    Array.from({ length: lines }, () =>
      pick(next, [
        () => pick(next, ['Arrivals by year', 'Total', 'Women', 'Men', 'Children under 18', 'Average stay in China (years)']),
        () => `${between(next, 1, 9999)}`,
        () => `${between(next, 1, 999)},${between(next, 100, 999)}.${between(next, 10, 99)}`,
        () => `${between(next, 1990, 2030)}-${between(next, 10, 12)}-${between(next, 10, 28)} ${between(next, 1, 99)} ${between(next, 1, 99)}.`,
        () => `${between(next, 0, 9)}.${between(next, 0, 999)} ${between(next, 0, 9)}.${between(next, 0, 999)} ${between(next, 0, 9)}.${between(next, 0, 999)}.`,
      ])(),
    ),
};

/** Noise as a page dump: lines in blocks, blank lines between (as the dumps print paragraphs). */
function noisePage(generator: Generator, seed: number, lines = 600): string {
  const next = random(seed);
  return generator(next, lines)
    .map((line) => (next() < 0.4 ? `${line}\n` : line))
    .join('\n');
}

const SHORT_POST = [
  'A Christmas note from our team',
  'Thank you for praying for the families we walked with this year! We will be back in January with their stories.',
].join('\n\n');

describe('the archive parser refuses pages without prose', () => {
  describe.each(Object.keys(noise))('%s', (kind) => {
    it.each([1, 2, 3])('seed %i: no posts, the page refused by name', (seed) => {
      const text = noisePage(noise[kind]!, seed);
      const parse = () => parseArchivePage(text, { name: 'dumps/noise.txt' });
      expect(parse).toThrow(InputError);
      expect(parse).toThrow(/^archive: dumps\/noise\.txt: no posts: the text has no prose \(\d+ lines, \d+ words? a line, .*with a sentence\)$/);
    });
  });

  it('says what the noise looks like', () => {
    expect(() => parseArchivePage(noisePage(noise['random short lines']!, 7, 2000), { name: 'noise.txt' })).toThrow(
      /^archive: noise\.txt: no posts: the text has no prose \(2000 lines, \d+ words? a line, no lines with a sentence\)$/,
    );
  });

  it('keeps a real post of two short sentences, alone or among noise-free posts', () => {
    expect(parseArchivePage(SHORT_POST, { name: 'short.txt' }).posts.map((post) => post.title)).toEqual(['A Christmas note from our team']);
    const single = parseArchivePage(SHORT_POST, { name: 'short.txt', url: 'https://crossingbordersnk.org/blog/a-christmas-note/2021/12/24' });
    expect(single.posts).toHaveLength(1);
  });

  it('keeps the real post of a page and makes no post of the noise after it', () => {
    const text = `${SHORT_POST}\n\n${noisePage(noise['random short lines']!, 5, 300)}`;
    expect(parseArchivePage(text, { name: 'mixed.txt' }).posts.map((post) => post.title)).toEqual(['A Christmas note from our team']);
  });

  it('counts the words of sentences, not of lines, numbers, links or noise', () => {
    expect(sentences('Thank you for praying for the families we walked with this year!')).toEqual([12]);
    expect(sentences('We will be back. Soon. Thank you.')).toEqual([4, 2]);
    expect(sentences('Since 1978, Canadians have sponsored around 280,000 refugees.')).toEqual([6]);
    expect(sentences('Kim Jong Un met Moon Jae-in at the U.S. embassy in Seoul.')).toEqual([12]);
    expect(sentences('탈북자들은 중국을 거쳐 한국에 도착했다.')).toEqual([5]);
    expect(sentences('river north border family night house winter letter')).toEqual([]);
    expect(sentences('See https://www.example.org/a/b and https://www.example.org/c.')).toEqual([]);
    expect(sentences('1.5 2.25 3.125 4.0625 5.03125.')).toEqual([]);
    expect(sentences('eSIa8NuL ;-Z.0 pIB3J:2J,BO qWx zzTop Xq.')).toEqual([]);
  });

  it.each([
    [['Merry Christmas to all!', 'We are back in January.'], true],
    [['Thank you all.', 'We will be back in January.'], true],
    [['Please pray for the families who crossed the river this week.'], true],
    [['Thank you all.', 'Home', 'Contact us'], false],
    [['Thank you. See you soon. Bye now.'], false], // eight words, no sentence of four
    [['Arrivals by year', '2019-10-12 4 7.', '1,234.56'], false],
  ])('%j has prose: %s', (paragraphs, prose) => {
    expect(hasProse(paragraphs)).toBe(prose);
  });

  it('asks less of a post the page cut off: one run of four words, the cut one included', () => {
    expect(hasProse(['The Arch of Reunification lo'])).toBe(false);
    expect(hasProse(['The Arch of Reunification lo'], { cut: true })).toBe(true);
    expect(hasProse(['Kim Yo Jong visits Seoul…'], { cut: true })).toBe(true);
    expect(hasProse(['R5o5ohzwpvv3M', 'qk3 Zx9 l;a', 'pIB3J:2J,BO G'], { cut: true })).toBe(false);
    expect(hasProse(['river north border family'], { cut: true })).toBe(true); // words are words: the page must have prose too
  });
});

describe('an archive folder with a page of noise', () => {
  it('reports the page by name and still reads the other pages', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-prose-'));
    const sample = 'familycare-monthly-2016-04.txt';
    copyFileSync(path.join('samples/archive', sample), path.join(folder, sample));
    writeFileSync(path.join(folder, 'noise.txt'), noisePage(noise['random words without sentences']!, 11, 5000));
    writeFileSync(path.join(folder, 'short.txt'), SHORT_POST);
    const source = { id: 'archive', kind: 'archive', location: folder, settings: {} } as unknown as SourceRow;

    const content = await readArchiveSource(source, { outletAliases: {} });
    expect(content.problems).toEqual([{ where: 'noise.txt', message: expect.stringMatching(/^archive: noise\.txt: no posts: the text has no prose \(/) }]);
    expect(content.documents).toBe(2);
    const alone = parseArchivePage(readFileSync(path.join(folder, sample), 'utf8'), { name: sample }).posts.length;
    expect(content.items.map((item) => item.title)).toContain('A Christmas note from our team');
    expect(content.items).toHaveLength(alone + 1);
  });
});
