import { describe, expect, it } from 'vitest';
import { predictTopics, trainModel, type TrainingExample } from '../../../src/tag/model.js';
import { tagDocument } from '../../../src/tag/words.js';

const doc = (text: string) => tagDocument([{ title: 'Story', text }]);
const sea = ['boat', 'harbour crew', 'fishing vessel', 'coast guard', 'sea voyage'];
const land = ['mountain pass', 'river crossing', 'forest trail', 'border fence', 'night walk'];
const sentence = (words: string[], i: number) => `They spoke of the ${words[i % 5]} and the ${words[(i + 2) % 5]} on day ${i}.`;

function examples(n: number): TrainingExample[] {
  return Array.from({ length: n }, (_, i) => {
    const bySea = i % 2 === 0;
    return {
      document: doc(`${sentence(bySea ? sea : land, i)} ${sentence(bySea ? sea : land, i + 1)} Officials said little else.`),
      topics: new Map([['sea', bySea], ['land', !bySea], ['rare', i === 0]]),
    };
  });
}

describe('trainModel and predictTopics', () => {
  const model = trainModel(examples(40), ['sea', 'land', 'rare']);

  it('learns what tells the Topics apart', () => {
    const bySea = new Map(predictTopics(model, doc('The fishing vessel met the coast guard near the harbour crew.')).map((p) => [p.slug, p.probability]));
    expect(bySea.get('sea')).toBeGreaterThan(0.7);
    expect(bySea.get('land')).toBeLessThan(0.3);
  });

  it('explains a prediction by the terms that weigh most', () => {
    const sea = predictTopics(model, doc('The coast guard stopped the boat.')).find((p) => p.slug === 'sea')!;
    expect(sea.features.map((f) => f.term)).toEqual(expect.arrayContaining(['coast guard']));
    expect(sea.features.every((f) => f.weight > 0)).toBe(true);
  });

  it('learns no Topic that has too few examples either way', () => {
    expect(model.topics.map((t) => t.slug)).toEqual(['sea', 'land']);
    expect(model.topics[0]).toMatchObject({ positives: 20, negatives: 20 });
  });

  it('gives the same model for the same labels (and survives JSON)', () => {
    expect(trainModel(examples(40), ['sea', 'land', 'rare'])).toEqual(model);
    const stored = JSON.parse(JSON.stringify(model));
    expect(predictTopics(stored, doc('the boat'))).toEqual(predictTopics(model, doc('the boat')));
  });

  it('moves when a label changes', () => {
    const flipped = examples(40).map((e, i) => (i < 6 ? { ...e, topics: new Map([['sea', !e.topics.get('sea')], ['land', !e.topics.get('land')]]) } : e));
    const other = trainModel(flipped, ['sea', 'land']);
    const text = examples(40)[0]!.document;
    const before = predictTopics(model, text).find((p) => p.slug === 'sea')!.probability;
    const after = predictTopics(other, text).find((p) => p.slug === 'sea')!.probability;
    expect(after).toBeLessThan(before - 0.05);
  });
});
