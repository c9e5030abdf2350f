import { describe, expect, it } from 'vitest';
import { datedRange } from '../../../src/dedupe/print.js';
import { DEFAULT_DEDUPE, comparePrints, daysApart, dedupeSettings } from '../../../src/dedupe/rules.js';
import {
  ARRIVALS,
  ARRIVALS_TITLE,
  BOAT,
  BOAT_TITLE,
  REPATRIATION,
  REPATRIATION_TITLE,
  ROUNDUP,
  ROUNDUP_TITLE,
  UN_APPEAL,
  UN_APPEAL_TITLE,
  UN_REBUFF,
  UN_REBUFF_TITLE,
  firstParagraphs,
  printOf,
  replaceParagraph,
} from '../../helpers/articles.js';
import { summarize } from '../../../src/html/text.js';
import * as t from '../../fixtures/dedupe/texts.js';
import { spin } from '../../helpers/spinner.js';

const compare = (a: ReturnType<typeof printOf>, b: ReturnType<typeof printOf>) => comparePrints(a, b, DEFAULT_DEDUPE);
const original = printOf('orig', ARRIVALS_TITLE, ARRIVALS);
const excerpt = printOf('exc', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2));
const edited = replaceParagraph(
  ARRIVALS,
  5,
  'The ministry plans to spend more on job training and housing for new arrivals at the Hanawon centre in 2024.',
);
const day = (iso: string) => new Date(`${iso}T09:00:00Z`);

describe('comparePrints series-parts', () => {
  it('keeps two parts apart even with identical text', () => {
    const part1 = printOf('p1', 'Extortion with an axe – Part 1', ARRIVALS);
    const part2 = printOf('p2', 'Extortion with an axe – Part 2', ARRIVALS);
    expect(compare(part2, part1)).toEqual({ verdict: 'apart', rule: 'series-parts', scores: null, series: true });
  });

  it('says whether the parts are of one series', () => {
    const part1 = printOf('p1', 'Extortion with an axe – Part 1', ARRIVALS);
    const other = printOf('p2', 'Life after the border – Part 2', ARRIVALS);
    expect(compare(other, part1)).toMatchObject({ verdict: 'apart', rule: 'series-parts', series: false });
  });

  it('lets the same part reposted match by its text', () => {
    const part1 = printOf('p1', 'Extortion with an axe – Part 1', ARRIVALS);
    const again = printOf('p1b', 'Extortion with an axe – Part 1', ARRIVALS);
    expect(compare(again, part1)).toMatchObject({ verdict: 'same', rule: 'exact-text' });
  });

  it('does not apply when one title names no part', () => {
    const part1 = printOf('p1', 'Extortion with an axe – Part 1', ARRIVALS);
    const plain = printOf('p0', 'Extortion with an axe', ARRIVALS);
    expect(compare(plain, part1)).toMatchObject({ verdict: 'same', rule: 'exact-text' });
  });
});

describe('comparePrints exact-text and same-url', () => {
  it('merges the same body under another title', () => {
    expect(compare(printOf('b', 'Defector numbers rise', ARRIVALS), original)).toEqual({
      verdict: 'same', rule: 'exact-text', scores: null, passage: null,
    });
  });

  it('does not merge two very short identical stubs by their text', () => {
    const stub = 'Defector family reaches Seoul after eight years in hiding.';
    const a = printOf('a', 'Family reaches Seoul', stub);
    const b = printOf('b', 'Family reaches Seoul', stub);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.wordCount).toBeLessThan(DEFAULT_DEDUPE.minShared);
    expect(compare(a, b)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('merges different texts at the same address', () => {
    const url = 'https://www.nknews.org/2024/01/defector-arrivals-climb/';
    const a = printOf('a', ARRIVALS_TITLE, ARRIVALS, { url });
    const b = printOf('b', BOAT_TITLE, BOAT, { url });
    expect(compare(b, a)).toEqual({ verdict: 'same', rule: 'same-url', scores: null, passage: null });
  });

  it('does not treat two missing addresses as the same', () => {
    expect(compare(printOf('b', BOAT_TITLE, BOAT), original)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('prefers exact-text over the time window', () => {
    const a = printOf('a', ARRIVALS_TITLE, ARRIVALS, { publishedAt: day('2019-01-10') });
    const b = printOf('b', ARRIVALS_TITLE, ARRIVALS, { publishedAt: day('2024-01-10') });
    expect(compare(b, a)).toMatchObject({ verdict: 'same', rule: 'exact-text' });
  });
});

describe('comparePrints time-window', () => {
  it('keeps an excerpt apart from an original dated more than 120 days before', () => {
    const a = printOf('a', ARRIVALS_TITLE, ARRIVALS, { publishedAt: day('2024-01-10') });
    const b = printOf('b', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2), { publishedAt: day('2024-05-10') });
    expect(daysApart(a.dated!, b.dated!)).toBe(121);
    expect(compare(b, a)).toEqual({ verdict: 'apart', rule: 'time-window', scores: null, series: false });
  });

  it('compares texts dated exactly 120 days apart', () => {
    const a = printOf('a', ARRIVALS_TITLE, ARRIVALS, { publishedAt: day('2024-01-10') });
    const b = printOf('b', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2), { publishedAt: day('2024-05-09') });
    expect(compare(b, a)).toMatchObject({ verdict: 'same', rule: 'containment' });
  });

  it('measures from the nearest day of an archive month', () => {
    const may = printOf('a', ARRIVALS_TITLE, ARRIVALS, { archiveMonth: '2019-05' });
    const september = printOf('b', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2), { publishedAt: day('2019-09-20') });
    const october = printOf('c', ARRIVALS_TITLE, firstParagraphs(ARRIVALS, 2), { publishedAt: day('2019-10-05') });
    expect(compare(september, may)).toMatchObject({ verdict: 'same', rule: 'containment' });
    expect(compare(october, may)).toMatchObject({ verdict: 'apart', rule: 'time-window' });
  });

  it('does not apply when one side is undated', () => {
    const dated = printOf('a', ARRIVALS_TITLE, ARRIVALS, { publishedAt: day('2015-03-01') });
    expect(compare(excerpt, dated)).toMatchObject({ verdict: 'same', rule: 'containment' });
  });
});

describe('comparePrints text rules', () => {
  it('merges an excerpt by containment', () => {
    const verdict = compare(excerpt, original);
    expect(verdict).toMatchObject({ verdict: 'same', rule: 'containment' });
    if (verdict.verdict !== 'same') return;
    expect(verdict.scores).toMatchObject({ containment: 1, narrativeContainment: 1 });
    expect(verdict.scores!.resemblance).toBeLessThan(DEFAULT_DEDUPE.copyResemblance);
    expect(verdict.passage).toMatch(/^the number of north korean defectors who reached south korea last year rose to 196 .* …$/);
  });

  it('merges a copy with a changed paragraph as a near-copy', () => {
    const verdict = compare(printOf('copy', ARRIVALS_TITLE, edited), original);
    expect(verdict).toMatchObject({ verdict: 'same', rule: 'near-copy' });
    expect(verdict.scores!.resemblance).toBeGreaterThanOrEqual(DEFAULT_DEDUPE.copyResemblance);
    expect(verdict.scores!.resemblance).toBeLessThan(1);
  });

  it('merges a copy-edited version with other spellings and curly quotes as a near-copy', () => {
    const restyled = ARRIVALS.replace('labour', 'labor').replace(/"/g, (_, at: number) => (at === ARRIVALS.indexOf('"') ? '“' : '”'));
    const copy = printOf('copy', ARRIVALS_TITLE, restyled);
    expect(copy.contentHash).not.toBe(original.contentHash);
    expect(compare(copy, original)).toMatchObject({ verdict: 'same', rule: 'near-copy', scores: { resemblance: 1 } });
  });

  it('queues a roundup that borrows two separate sentences for review', () => {
    const verdict = compare(printOf('round', ROUNDUP_TITLE, ROUNDUP), original);
    expect(verdict).toMatchObject({ verdict: 'review', rule: 'uncertain' });
    expect(verdict.scores!.narrativeContainment).toBeGreaterThanOrEqual(DEFAULT_DEDUPE.reviewFrom);
    expect(verdict.scores!.narrativeContainment).toBeLessThan(DEFAULT_DEDUPE.containment);
    expect(verdict.scores!.passageWords).toBe(24);
  });

  it('keeps apart a roundup that borrows only one sentence', () => {
    const oneSentence = ROUNDUP.replace('Most of the new arrivals were women, and many had lived in China for a decade or longer before making the journey south.', 'Women again made up most of the total.');
    expect(compare(printOf('round', ROUNDUP_TITLE, oneSentence), original)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('keeps apart two reports that share only a quote', () => {
    const verdict = compare(printOf('b', UN_REBUFF_TITLE, UN_REBUFF), printOf('a', UN_APPEAL_TITLE, UN_APPEAL));
    expect(verdict).toMatchObject({ verdict: 'apart', rule: 'below-threshold', series: false });
    expect(verdict.scores!.sharedShingles).toBeGreaterThanOrEqual(DEFAULT_DEDUPE.minShared);
    expect(verdict.scores!.sharedNarrative).toBe(0);
  });

  it('keeps apart reports of different events', () => {
    expect(compare(printOf('r', REPATRIATION_TITLE, REPATRIATION), original)).toMatchObject({ verdict: 'apart', rule: 'below-threshold' });
  });

  it('judges a text made of quotes on all its shingles', () => {
    const quotes = firstParagraphs(ARRIVALS, 3).split('\n\n').map((p) => `"${p.replace(/"/g, '')}"`).join('\n\n');
    const a = printOf('a', ARRIVALS_TITLE, quotes);
    const b = printOf('b', ARRIVALS_TITLE, `${quotes}\n\nThe shelter in Incheon now houses twelve families.`);
    expect(compare(b, a)).toMatchObject({ verdict: 'same', rule: 'near-copy', scores: { narrativeContainment: 0 } });
  });
});

describe('dates and settings', () => {
  it('spans an archive month from its first to its last day', () => {
    expect(datedRange({ publishedAt: null, archiveMonth: '2020-02' })).toEqual({ from: '2020-02-01', to: '2020-02-29' });
    expect(datedRange({ publishedAt: null, archiveMonth: '2019-12' })).toEqual({ from: '2019-12-01', to: '2019-12-31' });
    expect(datedRange({ publishedAt: null, archiveMonth: null })).toBeNull();
  });

  it('counts no days between overlapping ranges', () => {
    expect(daysApart({ from: '2020-02-01', to: '2020-02-29' }, { from: '2020-02-10', to: '2020-02-10' })).toBe(0);
    expect(daysApart({ from: '2020-03-05', to: '2020-03-05' }, { from: '2020-02-01', to: '2020-02-29' })).toBe(5);
  });

  it('lays configured thresholds over the defaults', () => {
    expect(dedupeSettings({ windowDays: 30 })).toEqual({ ...DEFAULT_DEDUPE, windowDays: 30 });
    expect(dedupeSettings()).toEqual(DEFAULT_DEDUPE);
  });
});

describe('comparePrints facts-differ and rewritten (issue 17)', () => {
  it('keeps two fillings of one release template apart, naming the facts that differ', () => {
    const busan = printOf('busan', t.RELEASE_BUSAN.title, t.RELEASE_BUSAN.text);
    const mokpo = printOf('mokpo', t.RELEASE_MOKPO.title, t.RELEASE_MOKPO.text);
    const verdict = compare(mokpo, busan);
    expect(verdict).toMatchObject({ verdict: 'apart', rule: 'facts-differ' });
    expect(verdict.scores?.narrativeContainment).toBeGreaterThan(DEFAULT_DEDUPE.containment); // the wording alone would merge them
    expect(verdict.scores?.facts).toEqual(expect.arrayContaining(['Mokpo ≠ Busan', '12 June ≠ 3 May']));
  });

  it('merges the copy-edited reprint whose facts are the same in other forms', () => {
    const busan = printOf('busan', t.RELEASE_BUSAN.title, t.RELEASE_BUSAN.text);
    expect(compare(printOf('reprint', t.RELEASE_BUSAN_REPRINT.title, t.RELEASE_BUSAN_REPRINT.text), busan)).toMatchObject({ verdict: 'same', rule: 'containment' });
  });

  it('sends a pair with one conflicting name in a template slot to the editors', () => {
    const a = printOf('a', 'Release', `${t.RELEASE_BUSAN.text}\n\nThe delegation will be led by Director Kang Min-ho.`);
    const b = printOf('b', 'Release', `${t.RELEASE_BUSAN.text}\n\nThe delegation will be led by Director Yoon Tae-ri.`);
    expect(compare(b, a)).toMatchObject({ verdict: 'review', rule: 'facts-differ', scores: { facts: ['Director Yoon Tae-ri ≠ Director Kang Min-ho'] } });
  });

  it('brings a synonym-spun copy to its original by its skeleton and facts, at spin rates the shingles do not survive', () => {
    const original = printOf('o', t.RESCUE.title, t.RESCUE.text);
    for (const rate of [0.8, 1]) {
      const spun = printOf(`s${rate}`, t.RESCUE.title, spin(t.RESCUE.text, rate, 11));
      const verdict = compare(spun, original);
      expect(verdict.scores!.narrativeContainment).toBeLessThan(DEFAULT_DEDUPE.containment);
      expect(verdict).toMatchObject({ verdict: 'same', rule: 'rewritten' });
    }
  });

  it('keeps other outlets\' reports of one event apart: the same names and numbers, not the same skeleton', () => {
    const original = printOf('o', t.RESCUE.title, t.RESCUE.text);
    for (const other of [t.RESCUE_OTHER_REPORT, t.RESCUE_FOLLOW_UP, t.RESCUE_COLUMN]) {
      expect(compare(printOf('r', other.title, other.text), original)).toMatchObject({ verdict: 'apart' });
      expect(compare(printOf('r', other.title, other.text), printOf('s', t.RESCUE.title, spin(t.RESCUE.text, 1, 4)))).toMatchObject({ verdict: 'apart' });
    }
    expect(compare(printOf('b', t.BAKERY_OTHER_REPORT.title, t.BAKERY_OTHER_REPORT.text), printOf('a', t.BAKERY.title, t.BAKERY.text))).toMatchObject({ verdict: 'apart' });
  });

  it('reads no part number, title key or headline from an untitled page\'s opening words', () => {
    const text = `Part 2 of the inquiry opened on Monday in Seoul. ${ARRIVALS}`;
    const print = printOf('u', summarize(text, 100), text);
    expect(print.series).toBeNull();
    expect(print.titleKey).toBeNull();
    expect(printOf('t', ARRIVALS_TITLE, ARRIVALS).titleKey).toBe('north korean defector arrivals in south korea climb to 196');
  });
});
