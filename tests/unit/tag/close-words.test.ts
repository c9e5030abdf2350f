import { describe, expect, it } from 'vitest';
import { scoreRules } from '../../../src/tag/rules.js';
import { parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { withWordVectors, type VectorSettings } from '../../../src/tag/topic-vectors.js';
import { tagDocument } from '../../../src/tag/words.js';
import { testWordVectors } from '../../helpers/word-vectors.js';

const words = await testWordVectors([
  ['the', [0.99, 0.1, 0, 0]],
  ['repatriation', [1, 0, 0, 0]],
  ['deported', [0.8, 0.6, 0, 0]],
  ['expelled', [0.75, 0, 0.66, 0]],
  ['deport', [0.85, 0.5, 0, 0]],
  ['weather', [0, 0, 0, 1]],
  ['church', [0, 0.1, 0, 1]],
]);

const yaml = (repatriation: string) => `
topics:
  - slug: china-repatriation
    label: Repatriation
    phrases: { ${repatriation} }
  - slug: faith
    label: Faith
    phrases: { church: 3 }
`;
const settings: VectorSettings = { closeFrom: 0.7, closeWeight: 0.5, closeMinRank: 0, closeMinWeight: 0, aboutFrom: 0, aboutWeight: 0 };
const taxonomy = withWordVectors(parseTaxonomy(yaml('repatriation: 3'), 'topics.yaml'), words, settings);

const scores = (text: string, tagged = taxonomy) => Object.fromEntries(scoreRules(tagDocument([{ title: 'A story', text }]), tagged).map((s) => [s.slug, s]));

describe('close words (scoreRules with word vectors)', () => {
  it('credits a word close to a one-word phrase as a weaker match, and says which word and how close', () => {
    const close = scores('Three were deported and two expelled.')['china-repatriation']!;
    expect(close.matches.map((m) => m.phrase)).toEqual(["close to 'repatriation': deported (0.80), expelled (0.75)"]);
    const exact = scores('Three faced repatriation and two repatriation.')['china-repatriation']!;
    // Two close mentions in the lead weigh half of two mentions of the phrase itself.
    expect(close.raw).toBeCloseTo(exact.raw * settings.closeWeight, 5);
  });

  it('credits nothing below the threshold, nothing for stop words, and nothing without vectors', () => {
    expect(scores('It was a matter of weather in the church.')['china-repatriation']!.matches).toEqual([]);
    const plain = parseTaxonomy(yaml('repatriation: 3'), 'topics.yaml');
    expect(scores('Three were deported.', plain)['china-repatriation']!.matches).toEqual([]);
    const strict = withWordVectors(plain, words, { ...settings, closeFrom: 0.81 });
    expect(scores('Three were deported.', strict)['china-repatriation']!.matches).toEqual([]);
  });

  it('credits a word once per Topic: not as close when it matches one of the Topic\'s phrases itself', () => {
    const both = withWordVectors(parseTaxonomy(yaml('repatriation: 3, deport: 2'), 'topics.yaml'), words, settings);
    const repatriation = scores('Three were deported.', both)['china-repatriation']!;
    expect(repatriation.matches.map((m) => m.phrase)).toEqual(['deport']);
  });

  it('changes the taxonomy version, so every Story is tagged again when vectors come or go', () => {
    const plain = parseTaxonomy(yaml('repatriation: 3'), 'topics.yaml');
    expect(taxonomy.version).not.toBe(plain.version);
    expect(withWordVectors(plain, words, { ...settings, closeFrom: 0.8 }).version).not.toBe(taxonomy.version);
  });

  it("gives a Topic points when the Story's words sit nearer its prototype than the average Topic's", () => {
    const prototypes = withWordVectors(parseTaxonomy(yaml('repatriation: 3'), 'topics.yaml'), words, { ...settings, closeWeight: 0, aboutWeight: 2 });
    const near = scores('Talk of weather, and more weather.', prototypes);
    // weather sits by church (faith's only phrase), far from repatriation: 0.5 above the mean of the two Topics.
    expect(near.faith!.matches.map((m) => m.phrase)).toEqual(["about 'Faith': its words 0.50 nearer than to the average Topic"]);
    expect(near.faith!.raw).toBeGreaterThan(9.9); // 2 points per 0.1: about 10
    expect(near.faith!.raw).toBeLessThan(10);
    expect(near['china-repatriation']!.matches).toEqual([]);
  });
});
