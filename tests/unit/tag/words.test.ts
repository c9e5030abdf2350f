import { describe, expect, it } from 'vitest';
import { foldWords } from '../../../src/dedupe/prepare.js';
import { termOf } from '../../../src/tag/features.js';
import { phraseStems, stem, tagDocument, wordRun } from '../../../src/tag/words.js';

describe('wordRun', () => {
  it.each([
    ['plain English', 'North Korean defectors crossed the Tumen River in 2023.'],
    ['curly quotes, dashes and apostrophes', '“They didn’t know,” she said — the brokers’ fees rose to $8,000.'],
    ['compatibility forms and accents', 'ＳＥＯＵＬ: ﬁnal report; Việt Nam detained 13 in café raids.'],
    ['Korean and Japanese', '탈북민이 중국을 떠났다. 北朝鮮では、脱北した。'],
    ['British spellings and hyphens', 'The organisation’s labour-camp programme was criticised.'],
  ])('gives the same words as folding the whole text (%s)', (_, text) => {
    const folded = foldWords(text);
    const { words } = wordRun(text);
    expect(words.map((w) => w.folded)).toEqual(folded);
    expect(words.map((w) => w.stem)).toEqual(folded.map(stem));
    expect(words.map((w) => w.term)).toEqual(folded.map(stem).map(termOf));
  });
});

describe('phraseStems', () => {
  it('stems phrase words and keeps a trailing * as a prefix of the folded word', () => {
    expect(phraseStems('forced repatriation')).toEqual(['forc', 'repatri']);
    expect(phraseStems('Flüchtling*')).toEqual(['flüchtling*']);
    expect(phraseStems('hồi hương')).toEqual(foldWords('hồi hương'));
  });
});

describe('tagDocument', () => {
  it('reads each member and counts the longest one', () => {
    const document = tagDocument([
      { title: 'Short', text: 'One two three.' },
      { title: 'Long', text: 'One two three four five six.' },
    ]);
    expect(document.members).toHaveLength(2);
    expect(document.words).toBe(6);
  });
});
