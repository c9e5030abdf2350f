import { describe, expect, it } from 'vitest';
import { parseAttribution } from '../../../../src/ingest/archive/attribution.js';

describe('parseAttribution', () => {
  it.each([
    ['[NK News]', 'NK News', ['NK News']],
    ['[VoA/South China Morning Post]', 'VoA/South China Morning Post', ['VoA', 'South China Morning Post']],
    [
      '[From the testimony of Ms. Moon Mi Hwa, as published in The Daily NK]',
      'From the testimony of Ms. Moon Mi Hwa, as published in The Daily NK',
      ['Daily NK'],
    ],
    ['[Read full article at The Daily Beast]', 'Read full article at The Daily Beast', ['The Daily Beast']],
    ['[Source: Yonhap]', 'Source: Yonhap', ['Yonhap']],
    ['[via Reuters]', 'via Reuters', ['Reuters']],
    ['[The Daily NK]', 'The Daily NK', ['Daily NK']],
    ['[Source: https://www.nknews.org/2020/01/some-story/]', 'Source: https://www.nknews.org/2020/01/some-story/', ['NK News']],
    ['USA Today', 'USA Today', ['USA Today']],
  ])('%s', (line, attribution, outlets) => {
    expect(parseAttribution(line)).toEqual({ attribution, outlets });
  });

  it('takes extra aliases from the caller', () => {
    expect(parseAttribution('[Chosun]', { chosun: 'Chosun Ilbo' }).outlets).toEqual(['Chosun Ilbo']);
  });

  it('keeps the verbatim line and drops the brackets and surrounding space', () => {
    expect(parseAttribution('[\u00a0The Sun ]').attribution).toBe('The Sun');
  });
});
