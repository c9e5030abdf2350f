import { describe, expect, it } from 'vitest';
import { foldWords, prepareText } from '../../../src/dedupe/prepare.js';
import { ARRIVALS, ARRIVALS_TITLE, firstParagraphs } from '../../helpers/articles.js';

const page = (...lines: string[]) => lines.join('\n\n');
const body = firstParagraphs(ARRIVALS, 2);

describe('prepareText furniture', () => {
  it.each([
    ['an outlet credit in brackets', '[NK News]'],
    ['a WordPress posted-on line', 'Posted on by'],
    ['a byline', 'By Jane Kim'],
    ['an image file name', 'Screen Shot 2023-11-02 at 9.20.11 PM.png'],
    ['a photo file name', 'defectors-incheon-2023.jpg'],
    ['a share prompt', 'Share this article'],
    ['a menu word', 'World'],
    ['a short section name', 'North Korea'],
  ])('drops %s', (_, line) => {
    const withLine = prepareText(ARRIVALS_TITLE, page(line, body, line));
    expect(withLine.words).toEqual(prepareText(ARRIVALS_TITLE, body).words);
  });

  it('drops the headline printed again above the body', () => {
    const text = prepareText(ARRIVALS_TITLE, page(ARRIVALS_TITLE, body));
    expect(text.words).toEqual(foldWords(body));
  });

  it('drops the headline with a source suffix', () => {
    const text = prepareText(ARRIVALS_TITLE, page(`${ARRIVALS_TITLE}: ministry`, body));
    expect(text.words).toEqual(foldWords(body));
  });

  it('keeps every word of running prose', () => {
    const text = prepareText(ARRIVALS_TITLE, page('[NK News]', 'Posted on by', 'By Jane Kim', body, 'World'));
    expect(text.words).toEqual(foldWords(body));
    expect(text.quoted).toHaveLength(text.words.length);
  });

  it('keeps a short line that ends a sentence', () => {
    const text = prepareText('t', 'Nobody answered.');
    expect(text.words).toEqual(['nobody', 'answered']);
  });

  it('keeps prose lines that begin like page chrome', () => {
    const prose = [
      'Closed borders since 2020 have cut the number of arrivals to a trickle, officials said.',
      'Commentators in Seoul expect the number of arrivals to keep rising next year.',
      'Printed leaflets carried by balloons still reach towns near the border.',
    ];
    const text = prepareText(ARRIVALS_TITLE, page(body, ...prose));
    expect(text.words).toEqual(foldWords([body, ...prose].join(' ')));
  });

  it('keeps numbers and names', () => {
    const text = prepareText('t', 'The number of defectors rose to 196 in 2023, said Kim Young-ho in Incheon.');
    expect(text.words).toEqual(expect.arrayContaining(['196', '2023', 'kim', 'young', 'ho', 'incheon']));
  });

  it('gives the folded title words', () => {
    expect(prepareText(ARRIVALS_TITLE, body).titleWords).toEqual(['north', 'korean', 'defector', 'arrivals', 'in', 'south', 'korea', 'climb', 'to', '196']);
  });

  it('keeps Japanese prose, which has no spaces, and drops a short subheading', () => {
    const prose = '北朝鮮では、一家全員が行方をくらますと、脱北したものとみなされる。';
    const text = prepareText('t', page('恐喝ビジネスも', prose));
    expect(text.words).toEqual(foldWords(prose));
  });

  it('keeps a paragraph glued to the headline above it (not a doubled caption)', () => {
    const glued = `${ARRIVALS_TITLE}Seoul (AFP) - ${body}`;
    const text = prepareText(ARRIVALS_TITLE, page(ARRIVALS_TITLE, glued));
    expect(text.words.length).toBeGreaterThan(foldWords(body).length);
  });

  it('gives nothing for an empty text', () => {
    expect(prepareText('t', '')).toEqual({ words: [], titleWords: ['t'], quoted: [], lineEnds: [] });
  });
});

describe('foldWords', () => {
  it('folds quotes, dashes, case and compatibility forms', () => {
    expect(foldWords('“Kim’s” ＳＥＯＵＬ — ﬁnal ２０２３')).toEqual(foldWords('"kims" seoul - final 2023'));
  });

  it('drops apostrophes and splits hyphens', () => {
    expect(foldWords("Don't return Lee Hyun-seung")).toEqual(['dont', 'return', 'lee', 'hyun', 'seung']);
  });

  it('folds British spellings to American ones', () => {
    expect(foldWords('organisations recognised labour travelled colours')).toEqual(
      foldWords('organizations recognized labor traveled colors'),
    );
  });

  it('leaves short words alone', () => {
    expect(foldWords('rise hour tour')).toEqual(['rise', 'hour', 'tour']);
  });

  it('is stable when applied to its own output', () => {
    for (const text of [ARRIVALS, 'The organisation’s labour camps — “travelling” colours']) {
      const once = foldWords(text);
      expect(foldWords(once.join(' '))).toEqual(once);
    }
  });

  it('makes each character of an unspaced script a word', () => {
    expect(foldWords('脱北者')).toEqual(['脱', '北', '者']);
  });
});

describe('prepareText quotes', () => {
  it('marks the words between quotation marks', () => {
    const text = prepareText('t', 'Lee said "we crossed at night" and left.');
    expect(text.words).toEqual(['lee', 'said', 'we', 'crossed', 'at', 'night', 'and', 'left']);
    expect(text.quoted).toEqual([false, false, true, true, true, true, false, false]);
  });

  it('marks words inside curly quotes', () => {
    const text = prepareText('t', 'She said “nobody helped us” at the river.');
    expect(text.quoted).toEqual([false, false, true, true, true, false, false, false]);
  });

  it('runs a quote left open to the end of its line only', () => {
    const text = prepareText('t', page('"We walked for three days without food, Lee said', 'He was taken to a shelter in Incheon.'));
    const open = foldWords('We walked for three days without food, Lee said').length;
    expect(text.quoted.slice(0, open).every(Boolean)).toBe(true);
    expect(text.quoted.slice(open).some(Boolean)).toBe(false);
  });

  it('does not treat apostrophes as quotes', () => {
    expect(prepareText('t', "The ministry's figures don't include 2024.").quoted.some(Boolean)).toBe(false);
  });
});
