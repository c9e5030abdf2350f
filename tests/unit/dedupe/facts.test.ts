import { describe, expect, it } from 'vitest';
import { commonSubsequence, alignRuns, slotsBetween } from '../../../src/dedupe/alignment.js';
import { extractFacts, mentioned, sameFact, type Fact } from '../../../src/dedupe/facts.js';
import { bodyLines, prepareText } from '../../../src/dedupe/prepare.js';
import { shingleHashes } from '../../../src/dedupe/shingles.js';
import { checkFacts, judgeFacts } from '../../../src/dedupe/template.js';

const factsOf = (text: string) => extractFacts(bodyLines('', text));
const shown = (text: string) => factsOf(text).map((fact) => `${fact.kind}:${fact.shown}`);
const fact = (kind: Fact['kind'], value: string): Fact => ({ at: 0, words: 1, kind, shown: value, value });

describe('extractFacts', () => {
  it('reads names mid-sentence, dates, weekdays and numbers, and not a capital that starts a sentence', () => {
    expect(shown('Officials said the minister will visit Busan on 3 May 2018 with Mayor Park Jae-hoon. The trip takes five days and costs 1,416 dollars.')).toEqual([
      'name:Busan', 'date:3 May 2018', 'name:Mayor Park Jae-hoon', 'number:five', 'number:1,416',
    ]);
    expect(shown('It will happen on Tuesday, May 3, in Seoul.')).toEqual(['weekday:Tuesday', 'date:May 3', 'name:Seoul']);
  });

  it('positions each fact among the words the shingles are made of', () => {
    const text = 'A group of 11 North Koreans reached Seoul on Sunday.';
    const words = prepareText('', text).words;
    for (const f of factsOf(text)) expect(words.slice(f.at, f.at + f.words).join(' ')).toBe(f.shown.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
  });

  it('keeps initials with full stops as one name, and `may` as a verb out', () => {
    expect(shown('He met U.S. envoys, who may return in June.')).toEqual(['name:U.S', 'date:June']);
    expect(factsOf('He met U.S. envoys.')[0]!.value).toBe('us');
  });

  it('takes no word for a number because an object has a property of that name', () => {
    expect(shown('He wrote toString and valueOf there.')).toEqual([]);
  });

  it('reads no names from a line in title case (a headline or subheading)', () => {
    expect(shown('How Two Sisters Crossed The River At Night')).toEqual(['number:Two']);
  });
});

describe('sameFact and mentioned', () => {
  it('takes the forms copy-editing gives one fact as the same', () => {
    expect(sameFact(fact('number', '5'), fact('number', '5'))).toBe(true);
    expect(sameFact(fact('date', '5-3-'), fact('date', '5-3-2018'))).toBe(true);
    expect(sameFact(fact('date', '5-3-'), fact('date', '6-12-'))).toBe(false);
    expect(sameFact(fact('name', 'us'), fact('name', 'united states'))).toBe(true);
    expect(sameFact(fact('name', 'moon'), fact('name', 'president moon jae in'))).toBe(true);
    expect(sameFact(fact('name', 'thaad defense'), fact('name', 'thaad defence'))).toBe(true);
    expect(sameFact(fact('name', 'busan'), fact('name', 'daegu'))).toBe(false);
  });

  it('finds a name that a copy prints apart from its title, but not another person with the same title', () => {
    const text = factsOf('Reporters met the Minister of Maritime Affairs, Han Seo-yeon, in Sejong.');
    expect(mentioned(fact('name', 'maritime affairs han seo yeon'), text)).toBe(true);
    expect(mentioned(fact('name', 'maritime affairs oh dong wook'), text)).toBe(false);
  });
});

describe('alignment', () => {
  const words = (text: string) => prepareText('', text).words;
  it('aligns shared runs in order and finds the slot where two fillings of one frame differ', () => {
    const a = words('Officials said the minister will visit Busan on 3 May to meet fishermen and tour the port.');
    const b = words('Officials said the minister will visit Daegu on 12 June to meet fishermen and tour the port.');
    const runs = alignRuns(shingleHashes(a, 4), shingleHashes(b, 4));
    const slots = slotsBetween(runs, 4, 8, [a.length - 3, b.length - 3]);
    expect(slots.map((slot) => [a.slice(slot.a.start, slot.a.end + 1).join(' '), b.slice(slot.b.start, slot.b.end + 1).join(' ')])).toEqual([
      ['busan on 3 may', 'daegu on 12 june'],
    ]);
  });

  it('counts the longest common subsequence', () => {
    expect(commonSubsequence([1, 2, 3, 4, 5], [1, 3, 9, 5], (x, y) => x === y)).toBe(3);
    expect(commonSubsequence([], [1], (x, y) => x === y)).toBe(0);
  });
});

describe('checkFacts', () => {
  const print = (text: string) => {
    const prepared = prepareText('', text);
    return { shingles: shingleHashes(prepared.words, 4), facts: factsOf(text) };
  };
  const frame = (city: string, date: string, mayor: string) =>
    `The minister will visit ${city} on ${date} to meet representatives of the fishing industry, the ministry announced today. ` +
    `During the visit she will hold talks with Mayor ${mayor} on the recovery of coastal fishing after the storms.`;

  it('finds two fillings of one template: each side has a city, a date and a mayor the other never mentions', () => {
    const check = checkFacts(print(frame('Busan', '3 May', 'Park Jae-hoon')), print(frame('Mokpo', '12 June', 'Choi Min-su')), 4);
    expect(check.conflicts.map((c) => `${c.a} ≠ ${c.b}`)).toEqual(['Busan ≠ Mokpo', '3 May ≠ 12 June', 'Mayor Park Jae-hoon ≠ Mayor Choi Min-su']);
    expect(check.conflictWeight).toBe(3);
    expect(judgeFacts(check, null, { factConflicts: 2, templateShare: 0.5 })).toBe('differ');
  });

  it('finds no conflict in copy-edits: another form of the date, a weekday for a date, a number spelled out, initials', () => {
    const a = 'The minister will visit Busan on 3 May with five officials from the United States to meet fishermen at the harbour, the ministry said.';
    for (const b of [
      'The minister will visit Busan on May 3 with 5 officials from the United States to meet fishermen at the harbour, the ministry said.',
      'The minister will visit Busan on Tuesday with five officials from the US to meet fishermen at the harbour, the ministry said.',
    ]) {
      const check = checkFacts(print(a), print(b), 4);
      expect(check.conflicts).toEqual([]);
      expect(judgeFacts(check, null, { factConflicts: 2, templateShare: 0.5 })).toBe('agree');
    }
  });

  it('does not count a swap of two names both texts use (Pyongyang for North Korea)', () => {
    const a = 'Officials in Seoul said North Korea had closed the border. Pyongyang gave no reason for the move, which surprised traders in the city.';
    const b = 'Officials in Seoul said Pyongyang had closed the border. North Korea gave no reason for the move, which surprised traders in the city.';
    expect(checkFacts(print(a), print(b), 4).conflicts).toEqual([]);
  });

  it('sends a single conflicting name to the editors, and lets a single updated number through', () => {
    const unsure = { conflicts: [{ kind: 'name' as const, a: 'Busan', b: 'Daegu' }], conflictWeight: 1, agreements: 0, templateShare: 1 };
    expect(judgeFacts(unsure, null, { factConflicts: 2, templateShare: 0.5 })).toBe('unsure');
    expect(judgeFacts({ ...unsure, conflictWeight: 0.5 }, null, { factConflicts: 2, templateShare: 0.5 })).toBe('agree');
    // Where the rarity counts say the shared text is common, the facts must agree even when this pair shows no template.
    expect(judgeFacts({ ...unsure, conflictWeight: 2, templateShare: 0.3 }, null, { factConflicts: 2, templateShare: 0.5 })).toBe('agree');
    expect(judgeFacts({ ...unsure, conflictWeight: 2, templateShare: 0.3 }, 0.8, { factConflicts: 2, templateShare: 0.5 })).toBe('differ');
  });
});
