import { describe, expect, it } from 'vitest';
import { trainModel } from '../../../src/tag/model.js';
import { CLOSE_TO_THRESHOLD, MAX_TOPICS, pickTopics, tagStory } from '../../../src/tag/tag.js';
import { parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { tagDocument } from '../../../src/tag/words.js';

const taxonomy = parseTaxonomy(
  `
topics:
  - { slug: escape, label: Escape, phrases: { broker: 3, escape: 3, fled: 3 } }
  - { slug: faith, label: Faith, phrases: { church: 3, missionary: 3 } }
  - { slug: women, label: Women, phrases: { women: 3, trafficking: 4 } }
  - { slug: family, label: Family, phrases: { mother: 3, daughter: 3 } }
  - { slug: labor, label: Labor, phrases: { restaurant: 3, logging: 3 } }
`,
  'topics.yaml',
);
const doc = (title: string, text: string) => tagDocument([{ title, text }]);
const escapeStory = doc('She fled with a broker', 'She fled across the river. The broker asked for money before the escape.');

describe('tagStory', () => {
  it('gives the Topics the rules find, with score and why', () => {
    const { topics } = tagStory(escapeStory, taxonomy, null);
    expect(topics.map((t) => t.slug)).toEqual(['escape']);
    expect(topics[0]!.source).toBe('rules');
    expect(topics[0]!.explanation.phrases.map((p) => p.phrase)).toEqual(expect.arrayContaining(['broker', 'fled']));
    expect(topics[0]!.score).toBeGreaterThanOrEqual(topics[0]!.explanation.threshold);
  });

  it('lets editors win: a + label adds a Topic, a - label removes one', () => {
    const { topics } = tagStory(escapeStory, taxonomy, null, new Map([['escape', false], ['faith', true]]));
    expect(topics.map((t) => [t.slug, t.source])).toEqual([['faith', 'editor']]);
  });

  it(`gives at most ${MAX_TOPICS} Topics of its own`, () => {
    const busy = doc('Church, broker, women, mother, restaurant', 'The church, the broker, the women, the mother and the restaurant.');
    expect(tagStory(busy, taxonomy, null).topics.length).toBeLessThanOrEqual(MAX_TOPICS);
  });

  it('gives no Topic below its threshold (CLOSE_TO_THRESHOLD 1), and the strongest close one when told to', () => {
    // One mention in the tail: 3 points, a score of 3 / (3 + 4) = 0.43 (threshold 0.5).
    const faint = tagStory(doc('A day', `${'Nothing much happened in the town that day, they said. '.repeat(7)}A missionary visited.`), taxonomy, null);
    const faith = faint.scores.find((s) => s.slug === 'faith')!;
    expect(faith.score).toBeLessThan(faith.explanation.threshold);
    expect(CLOSE_TO_THRESHOLD).toBe(1);
    expect(faint.topics).toEqual([]);
    expect(pickTopics(faint.scores, new Map(), 0.6).map((t) => t.slug)).toEqual(['faith']);
    expect(pickTopics(tagStory(doc('A day', 'Nothing happened.'), taxonomy, null).scores, new Map(), 0.6)).toEqual([]);
  });

  it('combines rules and model by the share training measured for the Topic', () => {
    // A model that learned "restaurant" stories are about family (the editors say so) lifts family for one.
    const examples = Array.from({ length: 12 }, (_, i) => ({
      document: doc(`Story ${i}`, i % 2 ? `The restaurant staff left on day ${i}.` : `The church choir sang on day ${i}.`),
      topics: new Map([['family', i % 2 === 1]]),
    }));
    const model = trainModel(examples, ['family']);
    model.topics[0]!.share = 0.5; // as trainTagger stores it (topic-weights.ts)
    const story = doc('Staff', 'The restaurant staff left.');
    const withModel = tagStory(story, taxonomy, model).scores.find((s) => s.slug === 'family')!;
    const rulesOnly = tagStory(story, taxonomy, null).scores.find((s) => s.slug === 'family')!;
    expect(withModel.source).toBe('rules+model');
    expect(withModel.explanation).toMatchObject({ modelShare: 0.5, modelShareFrom: 'measured' });
    expect(withModel.explanation.modelScore).toBeGreaterThan(0.5);
    expect(withModel.score).toBeCloseTo(0.5 * rulesOnly.score + 0.5 * withModel.explanation.modelScore!, 2);
    expect(withModel.score).toBeGreaterThan(rulesOnly.score);
  });
});
