import { describe, expect, it } from 'vitest';
import { describeExplanation } from '../../../src/tag/describe.js';
import type { TopicExplanation } from '../../../src/tag/tag.js';

const base: TopicExplanation = {
  phrases: [{ phrase: 'broker', title: 1, lead: 0, tail: 0 }],
  negative: [],
  rulesScore: 0.6,
  modelScore: 0.9,
  features: [{ term: 'river', weight: 0.4 }],
  modelShare: 0.5,
  modelShareFrom: 'measured',
  modelLabels: 12,
  threshold: 0.5,
};

describe('describeExplanation', () => {
  it("says how much the model counted and where that share comes from", () => {
    expect(describeExplanation(base)).toBe('rules 0.6: broker (title); model 0.9 (river; share 0.5, measured on held-out folds)');
    expect(describeExplanation({ ...base, modelShare: 0 })).toContain('share 0, no gain over the rules on held-out folds');
    expect(describeExplanation({ ...base, modelShare: 0, modelShareFrom: 'unmeasured' })).toContain('share 0, trained before shares were measured: run tags train');
  });
});
