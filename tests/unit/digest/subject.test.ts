/**
 * The default subject: at most 70 characters, never a word cut and never an
 * ellipsis, whatever the titles (adversarial ones included): whole clauses or
 * the whole title are dropped instead.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSubject, SUBJECT_CHARS } from '../../../src/digest/compose.js';
import { runs } from '../../fuzz/arbitraries.js';

const SITE = 'North Korean Refugees News Desk';
const WEEK = '30 November – 6 December 2026';

/** Every word of the subject is a whole word of the site's name, the title or the week: none was cut. */
function wordsAreWhole(subject: string, ...sources: string[]): boolean {
  const whole = new Set(sources.flatMap((source) => source.split(/\s+/)).flatMap((word) => [word, word.replace(/[:;,]$/, '')]));
  return subject.split(/\s+/).every((word) => whole.has(word) || whole.has(word.replace(/:$/, '')));
}

describe('defaultSubject', () => {
  it("puts the site's name before the lead title when both fit", () => {
    expect(defaultSubject('Newsdesk', 'Defector crosses the DMZ', WEEK)).toBe('Newsdesk: Defector crosses the DMZ');
  });

  it("drops the site's name rather than cut the title", () => {
    const title = 'Further mass North Korean defections to follow – Part 1';
    expect(defaultSubject(SITE, title, WEEK)).toBe(title);
  });

  it('keeps the longest run of whole clauses that fits when the title does not', () => {
    const title = 'UN rapporteur tells the Security Council of forced labour camps: a report on eleven years of testimony from defectors in Seoul';
    expect(defaultSubject(SITE, title, WEEK)).toBe('UN rapporteur tells the Security Council of forced labour camps');
    const dashes = 'Families divided for 70 years meet – in a hotel near the border – for two hours only, then part again';
    expect(defaultSubject(SITE, dashes, WEEK)).toBe('Families divided for 70 years meet – in a hotel near the border');
    const question = 'Will China send them back? Hundreds of North Korean women held in Jilin wait to learn where they are going next';
    expect(defaultSubject(SITE, question, WEEK)).toBe('Will China send them back?');
  });

  it("names the week when no whole clause fits: no word cut, no ellipsis", () => {
    const noClause = 'Defectors who reached South Korea after crossing three borders on foot describe the journey and the brokers who led them';
    expect(defaultSubject(SITE, noClause, WEEK)).toBe(`${SITE}: ${WEEK}`);
    const oneWord = 'A'.repeat(120);
    expect(defaultSubject(SITE, oneWord, WEEK)).toBe(`${SITE}: ${WEEK}`);
    // A clause too short to stand for the Story is not used either.
    expect(defaultSubject(SITE, `Exclusive: ${noClause}`, WEEK)).toBe(`${SITE}: ${WEEK}`);
    // "Dr." is not a clause end.
    expect(defaultSubject(SITE, `Interview with Dr. Lee Ae-ran. ${noClause}`, WEEK)).toBe(`${SITE}: ${WEEK}`);
  });

  it("says only the week when even the site's name does not fit beside it", () => {
    const longSite = 'The Very Long Name of a Coalition of Organisations for North Korean Refugees';
    expect(defaultSubject(longSite, 'B'.repeat(100), WEEK)).toBe(`Weekly email, ${WEEK}`);
  });

  it('is at most 70 characters, one line, no ellipsis and no cut word, for any title', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9'’.-]{1,30}$/);
    const separator = fc.constantFrom(' ', ' ', ' ', ': ', ', ', '; ', ' – ', ' — ', ' - ', ' | ', '? ', '! ', '\n', '  ');
    const title = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 40 }).map((parts) => parts.map(([w, s]) => w + s).join('').trim());
    fc.assert(
      fc.property(title, fc.constantFrom('Newsdesk', SITE), (lead, site) => {
        const subject = defaultSubject(site, lead, WEEK);
        expect(subject.length).toBeLessThanOrEqual(SUBJECT_CHARS);
        expect(subject).not.toMatch(/…|\n/);
        expect(wordsAreWhole(subject, site, lead.replace(/\s+/g, ' '), WEEK, 'Weekly email,')).toBe(true);
      }),
      { numRuns: runs },
    );
  });
});
