import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadTaxonomy, parseTaxonomy } from '../../../src/tag/taxonomy.js';

const valid = `
topics:
  - slug: escape
    label: Escape and defection
    description: Crossings out of North Korea.
    phrases:
      cross the border: 3
      defection: 2
      defections: 1
      "탈북*": 1.5
    negative:
      hanawon: 1
    requires: [border]
    threshold: 0.6
  - slug: faith
    label: Faith
    phrases: { church: 3 }
`;

function problems(text: string): string {
  try {
    parseTaxonomy(text, 'topics.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the taxonomy to be refused');
}

describe('parseTaxonomy', () => {
  it('compiles phrases to stems, in taxonomy order, with defaults', () => {
    const taxonomy = parseTaxonomy(valid, 'topics.yaml');
    expect(taxonomy.topics.map((t) => t.slug)).toEqual(['escape', 'faith']);
    const [escape, faith] = taxonomy.topics;
    expect(escape!.phrases.find((p) => p.text === 'cross the border')!.stems).toEqual(['cross', 'the', 'border']);
    expect(escape!.phrases.find((p) => p.text === '탈북*')!.stems).toEqual(['탈북*']);
    expect(escape!.threshold).toBe(0.6);
    expect(escape!.requires.map((p) => p.text)).toEqual(['border']);
    expect(faith!.threshold).toBe(0.5);
    expect(faith!.description).toBe('');
  });

  it('counts phrases that stem alike once, with the larger weight', () => {
    const escape = parseTaxonomy(valid, 'topics.yaml').topics[0]!;
    const defection = escape.phrases.filter((p) => p.stems.join(' ') === 'defect');
    expect(defection).toEqual([{ text: 'defection', stems: ['defect'], weight: 2 }]);
  });

  it('has a version that changes with the rules, not with comments or layout', () => {
    const a = parseTaxonomy(valid, 'topics.yaml').version;
    expect(parseTaxonomy(`# editors' notes\n${valid}`, 'topics.yaml').version).toBe(a);
    expect(parseTaxonomy(valid.replace('church: 3', 'church: 2'), 'topics.yaml').version).not.toBe(a);
  });

  it.each([
    ['a weight that is not a positive number', valid.replace('church: 3', 'church: -1'), /topic "faith": phrases: "church": expected a weight/],
    ['a missing label', valid.replace('    label: Faith\n', ''), /topic "faith": label: /],
    ['a bad slug', valid.replace('slug: faith', 'slug: Faith Matters'), /topic "Faith Matters": slug: expected lower-case words/],
    ['a duplicate slug', valid.replace('slug: faith', 'slug: escape'), /topic "escape": slug: duplicate slug "escape"/],
    ['an unknown field', valid.replace('    threshold: 0.6', '    treshold: 0.6'), /topic "escape": .*treshold/],
    ['no phrases', valid.replace('    phrases: { church: 3 }', '    phrases: {}'), /topic "faith": phrases: list at least one phrase/],
    ['a threshold above 1', valid.replace('threshold: 0.6', 'threshold: 2'), /topic "escape": threshold: expected a score of at most 1/],
    ['a phrase with no letters', valid.replace('church: 3', '"***": 3'), /topic "faith": phrases: "\*\*\*": no letters or digits/],
    ['YAML that does not parse', 'topics: [\n  - slug: x', /topics\.yaml: line \d+: not valid YAML/],
    ['no topics', 'topics: []', /topics: list at least one topic/],
  ])('refuses %s, naming the topic and field', (_, text, message) => {
    expect(problems(text)).toMatch(message);
    expect(problems(text)).toMatch(/^config: topics\.yaml: /);
  });

  it('names the file it cannot read', () => {
    expect(() => loadTaxonomy('/nonexistent/topics.yaml')).toThrow(/config: \/nonexistent\/topics\.yaml: cannot read the topic taxonomy/);
  });

  it('loads the bundled sample taxonomy: the 12 topics of the eval set, each with phrases', () => {
    const taxonomy = loadTaxonomy('samples/topics.yaml');
    expect(taxonomy.topics.map((t) => t.slug)).toEqual([
      'escape', 'china-repatriation', 'resettlement', 'work-enterprise', 'refugees-abroad', 'overseas-labor',
      'human-rights', 'regime', 'nuclear-diplomacy', 'women', 'family', 'faith',
    ]);
    for (const topic of taxonomy.topics) expect(topic.phrases.length).toBeGreaterThan(10);
    expect(readFileSync('samples/topics.yaml', 'utf8')).toContain('description:');
  });
});
