import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/digest/summary.js';

describe('summarize', () => {
  it('takes the first sentences, cut at a sentence end', () => {
    const text = 'Mr. Kim crossed the river at night. He reached Seoul in May. Officials confirmed it on Friday. A fourth sentence follows.';
    expect(summarize(text, { maxChars: 420, sentences: 3 })).toBe('Mr. Kim crossed the river at night. He reached Seoul in May. Officials confirmed it on Friday.');
    expect(summarize(text, { maxChars: 80, sentences: 3 })).toBe('Mr. Kim crossed the river at night. He reached Seoul in May.');
  });

  it('skips short furniture lines (credits, captions) before the prose', () => {
    const text = 'By Jane Doe\nPhoto: Reuters\nThe ministry said arrivals rose to 196 last year, nearly three times the 2022 figure. Most were women.';
    expect(summarize(text)).toBe('The ministry said arrivals rose to 196 last year, nearly three times the 2022 figure. Most were women.');
  });

  it('cuts one overlong sentence at a word, with an ellipsis', () => {
    const summary = summarize(`${'word '.repeat(200)}end.`, { maxChars: 100, sentences: 3 });
    expect(summary.length).toBeLessThanOrEqual(100);
    expect(summary.endsWith('word…')).toBe(true);
  });

  it('keeps Japanese sentences whole', () => {
    expect(summarize('北朝鮮から脱出した。韓国に着いた。家族と再会した。四つ目の文。', { maxChars: 420, sentences: 2 })).toBe('北朝鮮から脱出した。韓国に着いた。');
  });

  it('gives nothing for an empty text', () => {
    expect(summarize('')).toBe('');
  });
});
