/**
 * The W3C Feed Validator's test feeds: every one the validator finds free of
 * errors must parse without error. Its suite also holds documents that are not
 * feeds at all (KML, OpenSearch descriptions, OPML, AtomPub service documents): for those the right answer
 * is a `not_a_feed` InputError, counted apart. Every other file (the ones with
 * errors) must end in a result or an InputError: never a crash.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import { parseFeed } from '../../src/ingest/feed/parse.js';

interface IndexEntry {
  file: string;
  errors: string[];
}

export interface W3cTally {
  /** Error-free feeds that parsed without error. */
  feedsParsed: number;
  feeds: number;
  /** Error-free documents that are not feeds (KML, OpenSearch descriptions, OPML, AtomPub service documents), refused as `not_a_feed`. */
  nonFeedsRefused: number;
  nonFeeds: number;
  /** Files with validator errors: how many ended in a result or an InputError (no crash). */
  invalidHandled: number;
  invalid: number;
  failures: { file: string; problem: string }[];
}

/**
 * The suite's documents that are feeds, told by their root element (read with a
 * regular expression, not with the parser under test): RSS, RDF, RSS 1.1, Atom.
 */
function isFeedDocument(body: Buffer): boolean {
  const text = body.subarray(0, 8192).toString('latin1').replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/g, '');
  const root = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text)?.[2];
  return root === 'rss' || root === 'RDF' || root === 'Channel' || root === 'feed' || root === 'entry';
}

export async function runW3c(dir: string): Promise<W3cTally> {
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as IndexEntry[];
  const tally: W3cTally = { feedsParsed: 0, feeds: 0, nonFeedsRefused: 0, nonFeeds: 0, invalidHandled: 0, invalid: 0, failures: [] };
  for (const entry of index) {
    const body = await readFile(path.join(dir, entry.file));
    let outcome: 'parsed' | 'refused' | 'input-error' | 'crash' = 'parsed';
    let message = '';
    try {
      await parseFeed(body, { url: `http://www.feedvalidator.org/testcases/${entry.file}`, name: entry.file });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
      outcome = error instanceof InputError ? (error.code === 'not_a_feed' ? 'refused' : 'input-error') : 'crash';
    }
    if (entry.errors.length > 0) {
      tally.invalid += 1;
      if (outcome !== 'crash') tally.invalidHandled += 1;
      else tally.failures.push({ file: entry.file, problem: `crash: ${message}` });
    } else if (!isFeedDocument(body)) {
      tally.nonFeeds += 1;
      if (outcome === 'refused') tally.nonFeedsRefused += 1;
      else tally.failures.push({ file: entry.file, problem: outcome === 'parsed' ? 'a non-feed parsed as a feed' : message });
    } else {
      tally.feeds += 1;
      if (outcome === 'parsed') tally.feedsParsed += 1;
      else tally.failures.push({ file: entry.file, problem: message });
    }
  }
  return tally;
}
