/**
 * Property tests (fast-check): the parsers and measures hold their promises
 * for any input, not only the fixtures. Iterations are bounded so `npm test`
 * stays quick; NEWSDESK_FUZZ_RUNS raises them for a longer hunt.
 *
 * - the feed parser throws nothing but our own errors (which name the input);
 * - the archive parser throws only our own errors, naming the page;
 * - normalising text twice changes nothing;
 * - the dedupe overlap is symmetric and its ratios stay within [0, 1].
 *
 * The normaliser's Items, sanitising and addresses are in normalize.test.ts,
 * shingles, fingerprints, prints and the pair rules in dedupe.test.ts; the
 * generators they share and the iteration budget in arbitraries.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlap } from '../../src/dedupe/containment.js';
import { NewsdeskError } from '../../src/errors.js';
import { parseArchivePage } from '../../src/ingest/archive/parse.js';
import { parseFeed } from '../../src/ingest/feed/parse.js';
import { normalizeText } from '../../src/html/text.js';
import { runs, shingled } from './arbitraries.js';

/** Feed-shaped text: real tags and entities in random order, so the parser goes past its first check. */
const feedish = fc
  .array(
    fc.oneof(
      fc.constantFrom('<?xml version="1.0"?>', '<rss version="2.0">', '<channel>', '<item>', '</item>', '<title>', '</title>', '<link>', '</link>',
        '<feed xmlns="http://www.w3.org/2005/Atom">', '<entry>', '</entry>', '<content type="html">', '</content>', '<![CDATA[', ']]>',
        '&amp;', '&lt;', '&#x41;', '&bogus;', '<description>', '</description>', '{"version":"https://jsonfeed.org/version/1.1","items":[', ']}'),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('properties', () => {
  it('the feed parser throws only our own errors, whatever it is given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(feedish, fc.string({ maxLength: 200 })), async (body) => {
        try {
          await parseFeed(body, { url: 'https://fuzz.example/feed', contentType: null, name: 'fuzz' });
        } catch (error) {
          expect(error).toBeInstanceOf(NewsdeskError);
          expect((error as Error).message).toContain('fuzz');
        }
      }),
      { numRuns: runs },
    );
  });

  it('the archive parser throws only our own errors, naming the page', () => {
    const line = fc.oneof(fc.constantFrom('Posted on by', '[NK News]', 'Category: Escape', 'Monthly Archives: April 2016', '~', ''), fc.string({ maxLength: 80 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        try {
          parseArchivePage(lines.join('\n'), { name: 'fuzz.txt' });
        } catch (error) {
          expect(error).toBeInstanceOf(NewsdeskError);
          expect((error as Error).message).toContain('fuzz.txt');
        }
      }),
      { numRuns: runs },
    );
  });

  it('normalising text twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const once = normalizeText(text);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: runs * 5 },
    );
  });

  it('the dedupe overlap is symmetric and its ratios stay within [0, 1]', () => {
    fc.assert(
      fc.property(shingled, shingled, (a, b) => {
        const ab = overlap(a, b);
        const ba = overlap(b, a);
        expect(ab.shared).toBe(ba.shared);
        expect(ab.containment).toBe(ba.containment);
        expect(ab.resemblance).toBe(ba.resemblance);
        expect(ab.narrativeContainment).toBe(ba.narrativeContainment);
        for (const ratio of [ab.containment, ab.resemblance, ab.narrativeContainment]) {
          expect(ratio).toBeGreaterThanOrEqual(0);
          expect(ratio).toBeLessThanOrEqual(1);
        }
        // The passage is a run of A's shingles that B has somewhere (Overlap.passage), not necessarily
        // in one piece: A = [5, 5] against B = [5] runs for 2. So it is bounded by A alone.
        expect(ab.passage.shingles).toBeLessThanOrEqual(a.shingles.length);
        if (ab.shared === 0) expect(ab.passage.shingles).toBe(0);
      }),
      { numRuns: runs * 5 },
    );
  });
});
