import { describe, expect, it } from 'vitest';
import { SHORT_SUMMARY, summarize, summaryIn } from '../../../src/digest/summary.js';

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

describe('summaryIn: the summary as the email shows it', () => {
  const stored =
    'A North Korean soldier crossed the demilitarized zone on Thursday. Guards on both sides fired shots, and the soldier was wounded. ' +
    'He is being treated in a hospital near Seoul. Officials said he had served near the border for years.';

  it('short: the first whole sentences within about 200 characters', () => {
    expect(summaryIn('short', stored)).toBe('A North Korean soldier crossed the demilitarized zone on Thursday. Guards on both sides fired shots, and the soldier was wounded.');
    expect(summaryIn('short', stored).length).toBeLessThanOrEqual(SHORT_SUMMARY.maxChars);
  });

  it('full: the stored summary whole, on one line', () => {
    expect(summaryIn('full', stored.replace('. ', '.\n\n'))).toBe(stored);
  });

  it('short: one sentence longer than the limit is cut at a word, never inside one', () => {
    const long = `${'Witnesses described the crossing in detail '.repeat(8)}today.`;
    const short = summaryIn('short', long);
    expect(short.length).toBeLessThanOrEqual(SHORT_SUMMARY.maxChars);
    expect(short.endsWith('…')).toBe(true);
    expect(long.startsWith(short.slice(0, -1))).toBe(true);
    expect(long[short.length - 1]).toBe(' ');
  });

  it("short: an editor's summary without a full stop is kept, not taken for furniture", () => {
    expect(summaryIn('short', 'Kim reaches Seoul')).toBe('Kim reaches Seoul');
  });
});
