import { describe, expect, it } from 'vitest';
import { scoreTagging } from '../../../src/eval/tags-score.js';

const slugs = ['escape', 'faith', 'women', 'regime'];
const gold = new Map([
  ['s1', ['escape']],
  ['s2', ['escape', 'women']],
  ['s3', ['faith']],
  ['s4', ['women']],
]);

describe('scoreTagging', () => {
  it('scores a perfect prediction 1', () => {
    const score = scoreTagging(gold, gold, slugs);
    expect(score).toMatchObject({ stories: 4, microPrecision: 1, microRecall: 1, microF1: 1, macroF1: 1, macroTopics: 3 });
  });

  it('pools decisions for micro F1 and averages Topics for macro F1', () => {
    const predicted = new Map([
      ['s1', ['escape']],
      ['s2', ['escape']],
      ['s3', ['faith', 'regime']],
      ['s4', []],
    ]);
    const score = scoreTagging(gold, predicted, slugs);
    // 3 right of 4 given; 3 found of 5 labelled.
    expect(score.microPrecision).toBeCloseTo(3 / 4);
    expect(score.microRecall).toBeCloseTo(3 / 5);
    const byTopic = Object.fromEntries(score.perTopic.map((t) => [t.slug, t]));
    expect(byTopic.escape).toMatchObject({ truePositives: 2, falsePositives: 0, falseNegatives: 0, f1: 1 });
    expect(byTopic.women).toMatchObject({ truePositives: 0, falseNegatives: 2, support: 2, f1: 0 });
    expect(byTopic.regime).toMatchObject({ falsePositives: 1, support: 0, f1: 0 });
    // escape 1, faith 1, women 0, regime 0 (predicted but never labelled: it counts).
    expect(score.macroTopics).toBe(4);
    expect(score.macroF1).toBeCloseTo(0.5);
  });

  it('scores only the labelled Stories', () => {
    const predicted = new Map([...gold, ['unlabelled', ['regime']]]);
    expect(scoreTagging(gold, predicted, slugs).microPrecision).toBe(1);
  });
});
