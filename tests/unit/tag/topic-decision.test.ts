import { describe, expect, it } from 'vitest';
import { combine } from '../../../src/tag/tag.js';
import { topicDecision } from '../../../src/tag/topic-decision.js';

/** A Topic's score as the tagger makes it: the rules', moved toward the model's probability by its share. */
const scored = (rules: number, model?: { probability: number; share: number }) =>
  combine({ slug: 'repatriation', raw: rules, score: rules, matches: [], negative: [], missingRequired: false }, model && { ...model, from: 'measured', positives: 10 }, 0.5);

describe('topicDecision', () => {
  it('says the rules decided when no model counts, with the distance to the threshold', () => {
    expect(topicDecision(scored(0.62), true)).toEqual({ by: 'rules', margin: 0.12, words: '' });
    expect(topicDecision(scored(0.3), false)).toEqual({ by: 'rules', margin: -0.2, words: '' });
  });

  it('says the model decided when it moved the score across the threshold', () => {
    const lifted = topicDecision(scored(0.41, { probability: 0.9, share: 0.5 }), true);
    expect(lifted).toEqual({ by: 'model', margin: 0.155, words: 'lifted it over; rules alone 0.41' });
    const held = topicDecision(scored(0.58, { probability: 0.1, share: 0.5 }), false);
    expect(held).toEqual({ by: 'model', margin: -0.16, words: 'held it under; rules alone 0.58' });
  });

  it('says the rules decided when the model agreed, or was against too weakly to matter', () => {
    expect(topicDecision(scored(0.7, { probability: 0.8, share: 0.3 }), true).words).toBe('the model agreeing');
    expect(topicDecision(scored(0.9, { probability: 0.2, share: 0.2 }), true)).toMatchObject({ by: 'rules', words: 'the model against, too weakly' });
  });

  it("says an editor's label decided, whatever the score", () => {
    expect(topicDecision(scored(0.1), true, true)).toEqual({ by: 'editor', margin: 0, words: 'label: carries it' });
    expect(topicDecision(scored(0.9), false, false)).toEqual({ by: 'editor', margin: 0, words: 'label: does not carry it' });
  });

  it('says why a Topic over its threshold is not given, and one under it is', () => {
    expect(topicDecision(scored(0.45, { probability: 0.9, share: 0.05 }), true).words).toBe('the model against, too weakly; given as the strongest Topic, close to its threshold');
    expect(topicDecision(scored(0.6), false).words).toBe('not given: stronger Topics were');
    expect(topicDecision(scored(0.45), true).words).toBe('given as the strongest Topic, close to its threshold');
  });
});
