/**
 * About, not mentioned: adversarial Stories (tests/fixtures/tags/, written
 * for these tests) tagged with the sample taxonomy. A Story about one thing
 * that names another in passing must not get the other's Topic; a Story
 * truly about that Topic must.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreRules } from '../../../src/tag/rules.js';
import { tagStory } from '../../../src/tag/tag.js';
import { loadTaxonomy, parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { tagDocument } from '../../../src/tag/words.js';

const taxonomy = loadTaxonomy('samples/topics.yaml');

/** A fixture: its first line is the title, the rest the text. */
function fixture(name: string) {
  const [title, ...rest] = readFileSync(`tests/fixtures/tags/${name}.txt`, 'utf8').split('\n');
  return tagDocument([{ title: title!, text: rest.join('\n').trim() }]);
}

const given = (name: string) => tagStory(fixture(name), taxonomy, null).topics.map((t) => t.slug);

describe('about, not mentioned', () => {
  it('gives a food history story that mentions a war and an army no Topic (none of the taxonomy is its subject)', () => {
    // Before: nuclear-diplomacy scored 0.34 and resettlement ("noodle houses" stems like "housing") 0.35, and the
    // strongest was given for coming within 60% of its threshold. No Topic reaches its threshold now.
    const { topics, scores } = tagStory(fixture('history-mentions-war'), taxonomy, null);
    expect(topics).toEqual([]);
    expect(scores.find((s) => s.slug === 'nuclear-diplomacy')!.score).toBeLessThan(0.5);
  });

  it('gives a story about missile talks and sanctions military diplomacy', () => {
    expect(given('about-nuclear-talks')).toContain('nuclear-diplomacy');
  });

  it("does not give a defector's bakery story faith for going to church on Sundays", () => {
    const topics = given('bakery-mentions-church');
    expect(topics).toContain('work-enterprise');
    expect(topics).not.toContain('faith');
  });

  it('gives a story about underground believers faith', () => {
    expect(given('about-faith')).toContain('faith');
  });

  it('keeps tail mentions in full when they sit densely, and shrinks sparse ones', () => {
    const small = parseTaxonomy('topics:\n  - { slug: faith, label: Faith, phrases: { church: 3 } }\n', 'topics.yaml');
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    const raw = (text: string) => scoreRules(tagDocument([{ title: 'A story', text }]), small)[0]!.raw;
    const dense = raw(`${filler(70)} the church ${filler(20)}`);
    const sparse = raw(`${filler(70)} the church ${filler(600)}`);
    const lead = raw(`The church ${filler(700)}`);
    expect(dense).toBeCloseTo(3);
    expect(sparse).toBeLessThan(dense / 2);
    // In the lead it says what the story is about, however long the rest.
    expect(lead).toBeCloseTo(3 * Math.sqrt(2));
  });
});
