import { describe, expect, it } from 'vitest';
import { foldWords } from '../../../src/dedupe/prepare.js';
import { differentParts, sameSeries, seriesPart } from '../../../src/dedupe/series.js';

const axe1 = seriesPart('Extortion with an axe – Part 1');
const axe2 = seriesPart('Extortion with an axe – Part 2');

describe('seriesPart', () => {
  it('reads a numbered part and the title around it', () => {
    expect(axe1).toEqual({ part: 1, baseWords: ['extortion', 'with', 'an', 'axe'] });
    expect(axe2).toEqual({ part: 2, baseWords: ['extortion', 'with', 'an', 'axe'] });
  });

  it('drops a leading "More on" from the base words', () => {
    const base = 'further mass North Korean defections to follow';
    expect(seriesPart(`More on ${base} – Part 2`)).toEqual({ part: 2, baseWords: foldWords(base) });
  });

  it.each([
    ['a fraction in parentheses', 'Escape through the mountains (2/3)', 2],
    ['a fraction in brackets', 'Escape through the mountains [3/3]', 3],
    ['a part number in words', 'Part two: the long road to Bangkok', 2],
    ['an ordinal part', 'Second part of the interview with Lee Hyun-seung', 2],
    ['a Roman chapter number', 'Life in Hyesan, chapter IV', 4],
    ['an episode number', 'Voices from the border, episode 12', 12],
    ['a part with its total', 'Part 3 of 5: the safe house in Shenyang', 3],
  ])('reads %s', (_, title, part) => {
    expect(seriesPart(title)?.part).toBe(part);
  });

  it('leaves the marker out of the base words', () => {
    expect(seriesPart('Escape through the mountains (2/3)')?.baseWords).toEqual(['escape', 'through', 'the', 'mountains']);
    expect(seriesPart('Part two: the long road to Bangkok')?.baseWords).toEqual(['the', 'long', 'road', 'to', 'bangkok']);
  });

  it.each([
    'North Korean defector arrivals in South Korea climb to 196',
    'North Korea takes part in talks on family reunions',
    'Defectors mark 20 years of the Yeomyung School',
  ])('finds no part in %s', (title) => {
    expect(seriesPart(title)).toBeNull();
  });
});

describe('differentParts', () => {
  it('holds for two different parts of one series', () => {
    expect(differentParts(axe1, axe2)).toBe(true);
  });

  it('does not hold for the same part', () => {
    expect(differentParts(axe1, seriesPart('Extortion with an axe – Part 1'))).toBe(false);
  });

  it('does not hold when a title names no part', () => {
    const plain = seriesPart('Extortion with an axe');
    expect(differentParts(axe1, plain)).toBe(false);
    expect(differentParts(plain, axe2)).toBe(false);
    expect(differentParts(null, null)).toBe(false);
  });

  it('compares a part named in words with one named in digits', () => {
    expect(differentParts(seriesPart('Part two: the long road'), seriesPart('The long road (2/3)'))).toBe(false);
    expect(differentParts(seriesPart('Part two: the long road'), seriesPart('The long road (3/3)'))).toBe(true);
  });
});

describe('sameSeries', () => {
  it('holds for parts whose titles share their words', () => {
    expect(sameSeries(axe1, axe2)).toBe(true);
  });

  it('holds for a "More on" follow-up of the same title', () => {
    const title = 'further mass North Korean defections to follow';
    expect(sameSeries(seriesPart(`More on ${title} – Part 2`), seriesPart(`${title} – Part 1`))).toBe(true);
  });

  it('does not hold for parts of different series', () => {
    expect(sameSeries(axe1, seriesPart('Life after the border – Part 2'))).toBe(false);
  });

  it('does not hold without two parts', () => {
    expect(sameSeries(axe1, null)).toBe(false);
    expect(sameSeries(null, axe2)).toBe(false);
  });
});
