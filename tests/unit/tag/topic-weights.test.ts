import { describe, expect, it } from 'vitest';
import { trainModel } from '../../../src/tag/model.js';
import { tagStory } from '../../../src/tag/tag.js';
import { parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { groupedFolds, trainTagger, type GroupedExample } from '../../../src/tag/topic-weights.js';
import { tagDocument } from '../../../src/tag/words.js';

// `sea` has phrases the rules find; `rescue` has one the stories never use: only the labels can teach it.
const taxonomy = parseTaxonomy(
  `
topics:
  - { slug: sea, label: Sea, phrases: { boat: 3, harbour: 3 } }
  - { slug: rescue, label: Rescue, phrases: { lifeboat: 3 } }
`,
  'topics.yaml',
);
const doc = (title: string, text: string) => tagDocument([{ title, text }]);

/** Stories from `sites` sites: even ones by sea, every third one a rescue (said in words the rules do not know). */
function examples(n: number, sites: number): GroupedExample[] {
  return Array.from({ length: n }, (_, i) => {
    const bySea = i % 2 === 0;
    const rescue = i % 3 === 0;
    const text = [
      bySea ? `The boat left the harbour on day ${i}.` : `They walked through the hills on day ${i}.`,
      rescue ? 'Coastguard volunteers pulled the survivors aboard and saved them.' : 'Officials said little else about it.',
      'Neighbours spoke of the weather and the prices at the market.',
    ].join(' ');
    return { document: doc(`Story ${i}`, text), topics: new Map([['sea', bySea], ['rescue', rescue]]), group: `site${i % sites}` };
  });
}

describe('groupedFolds', () => {
  it('keeps each group on one side, and balances the folds', () => {
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'd', 'e'];
    const fold = groupedFolds(groups, 3);
    for (const group of new Set(groups)) expect(new Set(fold.filter((_, i) => groups[i] === group)).size).toBe(1);
    const sizes = [0, 1, 2].map((f) => fold.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });

  it('leaves one group out per fold when there are no more folds than groups', () => {
    const groups = ['a', 'b', 'a', 'c'];
    const fold = groupedFolds(groups, groups.length);
    expect(new Set(fold).size).toBe(3);
    expect(fold[0]).toBe(fold[2]);
  });
});

describe('trainTagger', () => {
  it('gives the model a share where it beats the rules on held-out sites, and none where the rules already do', () => {
    const model = trainTagger(examples(60, 6), taxonomy);
    const rescue = model.topics.find((t) => t.slug === 'rescue')!;
    const sea = model.topics.find((t) => t.slug === 'sea')!;
    expect(rescue.share).toBeGreaterThan(0);
    expect(rescue.outOfFold!.combined).toBeGreaterThan(rescue.outOfFold!.rules);
    expect(sea.share).toBe(0);
    expect(sea.outOfFold!.rules).toBe(1);

    const story = doc('A night at sea', 'Coastguard volunteers pulled the survivors aboard and saved them.');
    const scored = tagStory(story, taxonomy, model).scores.find((s) => s.slug === 'rescue')!;
    expect(scored.source).toBe('rules+model');
    expect(scored.explanation).toMatchObject({ modelShare: rescue.share, modelShareFrom: 'measured' });
    expect(tagStory(story, taxonomy, model).topics.map((t) => t.slug)).toContain('rescue');
  });

  it('keeps the model quiet when every label comes from one site (nothing to measure it on)', () => {
    const model = trainTagger(examples(60, 1), taxonomy);
    expect(model.topics.map((t) => t.share)).toEqual([0, 0]);
    const story = doc('A night at sea', 'Coastguard volunteers pulled the survivors aboard and saved them.');
    const rescue = tagStory(story, taxonomy, model).scores.find((s) => s.slug === 'rescue')!;
    expect(rescue.source).toBe('rules');
    expect(rescue.score).toBe(rescue.explanation.rulesScore);
  });

  it('gives a model stored before shares were measured no say until it is trained again', () => {
    const old = trainModel(examples(60, 6), ['sea', 'rescue']);
    const stored = JSON.parse(JSON.stringify(old)) as typeof old;
    expect(stored.topics[1]!.share).toBeUndefined();
    const story = doc('A night at sea', 'Coastguard volunteers pulled the survivors aboard and saved them.');
    const rescue = tagStory(story, taxonomy, stored).scores.find((s) => s.slug === 'rescue')!;
    expect(rescue.explanation).toMatchObject({ modelShareFrom: 'unmeasured', modelShare: 0, modelLabels: 20 });
    expect(rescue.explanation.modelScore).toBeGreaterThan(0.5);
    expect(rescue.source).toBe('rules');
    expect(rescue.score).toBe(rescue.explanation.rulesScore);
  });
});
