import { describe, expect, it } from 'vitest';
import { scoreRules } from '../../../src/tag/rules.js';
import { parseTaxonomy } from '../../../src/tag/taxonomy.js';
import { tagDocument } from '../../../src/tag/words.js';

const taxonomy = parseTaxonomy(
  `
topics:
  - slug: escape
    label: Escape
    phrases: { broker: 3, cross the border: 3, "탈북*": 2 }
    negative: { hanawon: 3 }
  - slug: faith
    label: Faith
    phrases: { church: 3, missionary: 3 }
    requires: [church]
`,
  'topics.yaml',
);

const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const score = (title: string, ...texts: string[]) => {
  const members = texts.map((text) => ({ title, text }));
  return Object.fromEntries(scoreRules(tagDocument(members), taxonomy).map((s) => [s.slug, s]));
};

describe('scoreRules', () => {
  it('finds phrases by their stems, multi-word phrases included', () => {
    const { escape } = score('A story', 'She paid brokers before they crossed the border near the river.');
    expect(escape!.matches.map((m) => m.phrase).sort()).toEqual(['broker', 'cross the border']);
    // The words must come in order and next to each other.
    const apart = score('A story', 'They cross a border at night with the border guard.').escape!;
    expect(apart.matches).toEqual([]);
  });

  it('counts a phrase in the title more than in the lead, and the lead more than the tail', () => {
    const title = score('The broker', `${filler(100)} end.`).escape!.raw;
    const lead = score('A story', `The broker said so. ${filler(100)} end.`).escape!.raw;
    const tail = score('A story', `${filler(100)} the broker said so.`).escape!.raw;
    expect(title).toBeGreaterThan(lead);
    expect(lead).toBeGreaterThan(tail);
    expect(tail).toBeGreaterThan(0);
  });

  it('gives repeated mentions less and less', () => {
    const once = score('A story', `${filler(100)} a broker.`).escape!.raw;
    const four = score('A story', `${filler(100)} a broker, a broker, a broker, a broker.`).escape!.raw;
    expect(four).toBeGreaterThan(once);
    expect(four).toBeLessThan(4 * once);
  });

  it('subtracts negative phrases', () => {
    const plain = score('A story', 'The broker helped her.').escape!.raw;
    const negated = score('A story', 'The broker helped her before Hanawon.').escape!;
    expect(negated.raw).toBeLessThan(plain);
    expect(negated.negative.map((m) => m.phrase)).toEqual(['hanawon']);
  });

  it('gives nothing to a Topic whose required phrase is absent', () => {
    const faith = score('A story', 'A missionary helped them.').faith!;
    expect(faith.raw).toBe(0);
    expect(faith.missingRequired).toBe(true);
    expect(score('A story', 'A missionary from a church helped them.').faith!.raw).toBeGreaterThan(0);
  });

  it('matches a prefix phrase against any ending (words the stemmer does not know)', () => {
    expect(score('기사', '탈북민이 중국을 떠났다.').escape!.matches.map((m) => m.phrase)).toEqual(['탈북*']);
  });

  it('counts what one member says, not copies of it, twice', () => {
    const one = score('A story', 'The broker helped her.').escape!.raw;
    const copies = score('A story', 'The broker helped her.', 'The broker helped her.').escape!.raw;
    expect(copies).toBe(one);
  });

  it('scores a Topic far behind the strongest one as a passing mention', () => {
    const text = `The church and its missionary and the church again. ${filler(80)} A broker.`;
    const scores = score('A church story', text);
    expect(scores.faith!.score).toBeGreaterThan(0.5);
    expect(scores.escape!.raw).toBeGreaterThan(0);
    expect(scores.escape!.score).toBeLessThan(0.5 * (scores.escape!.raw / (scores.escape!.raw + 6)));
  });

  it('scores within [0, 1)', () => {
    for (const s of Object.values(score('church church', 'church '.repeat(200)))) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThan(1);
    }
  });
});
