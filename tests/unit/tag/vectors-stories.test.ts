/**
 * The installed word vectors (npm ci's prepare step) with the shipped
 * settings, on short stories written to trip them: one about a Topic in none of
 * its phrases' words, one with a word close to a Topic's phrase used in another
 * sense (a place name).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tagStory } from '../../../src/tag/tag.js';
import { loadTaxonomy, type Taxonomy } from '../../../src/tag/taxonomy.js';
import { tagDocument } from '../../../src/tag/words.js';

const withVectors = loadTaxonomy('samples/topics.yaml');
const withoutVectors = loadTaxonomy('samples/topics.yaml', { vectors: false });

function story(name: string) {
  const [title, ...body] = readFileSync(`tests/fixtures/tags/${name}.txt`, 'utf8').split('\n');
  return tagDocument([{ title: title!, text: body.join('\n') }]);
}

const given = (name: string, taxonomy: Taxonomy) => tagStory(story(name), taxonomy, null).topics.map((t) => t.slug);
const why = (name: string, taxonomy: Taxonomy, slug: string) =>
  tagStory(story(name), taxonomy, null, new Map(), { explainAll: true }).scores.find((s) => s.slug === slug)!.explanation.phrases.map((p) => p.phrase);

describe('word vectors on adversarial stories', () => {
  it('are installed (npm run vectors derives them when install scripts were off)', () => {
    expect(withVectors.vectors, 'generated/word-vectors.bin is missing: run npm run vectors').toBeDefined();
  });

  it('find a Topic told in none of its phrases through words close to them, and say which', () => {
    expect(given('faith-synonyms', withoutVectors)).not.toContain('faith');
    expect(given('faith-synonyms', withVectors)).toContain('faith');
    expect(why('faith-synonyms', withVectors, 'faith')).toContainEqual(expect.stringMatching(/^close to 'church': chapel \(0\.\d\d\), parish \(0\.\d\d\)/));
  });

  it('do not give a Topic for a close word used in another sense', () => {
    // Chapel Hill is a town: `chapel` is close to `church`, and the faith Topic gets a weak match, never the Topic.
    expect(why('chapel-hill-other-sense', withVectors, 'faith')).toContainEqual(expect.stringMatching(/^close to 'church': chapel/));
    expect(given('chapel-hill-other-sense', withVectors)).not.toContain('faith');
    expect(given('chapel-hill-other-sense', withVectors)).toContain('refugees-abroad');
  });
});
