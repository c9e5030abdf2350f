/**
 * The adversarial dedupe cases of issue 17 through the process job on both
 * stores: releases from one template with different facts stay apart (linked,
 * with the facts that differ), a copy-edited reprint with the same facts joins;
 * synonym-spun copies join their original (one found by its title alone),
 * other outlets' reports of the same event stay apart; untitled copies of one
 * page become one Story.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePrint } from '../../src/dedupe/print.js';
import { DEFAULT_DEDUPE } from '../../src/dedupe/rules.js';
import { summarize } from '../../src/html/text.js';
import type { Db } from '../../src/store/db.js';
import { lookupCandidates } from '../../src/store/dedupe-index.js';
import { pendingReviews } from '../../src/store/dedupe-decisions.js';
import { migrate } from '../../src/store/migrate.js';
import { storyDetail } from '../../src/store/story-detail.js';
import { formatStoryDetail } from '../../src/cli/stories.js';
import * as t from '../fixtures/dedupe/texts.js';
import { mojibake } from '../fixtures/dedupe/adversarial.js';
import { storeTargets } from '../helpers/databases.js';
import { makeItem } from '../helpers/items.js';
import { processHarness, type ProcessHarness } from '../helpers/process-items.js';
import { spin } from '../helpers/spinner.js';

/** A page from an Outlet's feed (untitled pages are shown by their opening words, as normalizeEntry shows them). */
const page = (key: string, title: string | null, text: string, sourceId = 'wire') =>
  makeItem({ key: `https://${sourceId}.example/${key}`, sourceId, url: `https://${sourceId}.example/${key}`, title: title ?? summarize(text, 100), contentText: text });

describe.each(storeTargets)('adversarial dedupe cases through the process job on $name', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  let ingest: ProcessHarness['ingest'];
  let storyOf: ProcessHarness['storyOf'];

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    ({ ingest, storyOf } = await processHarness(db));
  });
  afterAll(async () => drop());

  it('keeps releases from one template with other facts apart, linked with the facts that differ, and lets the reprint join', async () => {
    const busan = page('busan', t.RELEASE_BUSAN.title, t.RELEASE_BUSAN.text);
    const mokpo = page('mokpo', t.RELEASE_MOKPO.title, t.RELEASE_MOKPO.text);
    const vice = page('vice', t.RELEASE_BUSAN_VICE.title, t.RELEASE_BUSAN_VICE.text);
    const reprint = page('reprint', t.RELEASE_BUSAN_REPRINT.title, t.RELEASE_BUSAN_REPRINT.text, 'nk-news');
    await ingest(busan);
    await ingest(mokpo, vice);
    await ingest(reprint);
    const stories = await Promise.all([busan, mokpo, vice, reprint].map((item) => storyOf(item)));
    expect(new Set(stories.slice(0, 3)).size).toBe(3);
    expect(stories[3]).toBe(stories[0]);

    const detail = await storyDetail(db, stories[1]!);
    expect(detail.templates.map((other) => other.storyId).sort()).toEqual([stories[0], stories[2]].sort());
    const withBusan = detail.templates.find((other) => other.storyId === stories[0])!;
    // From whichever Item of the Busan Story was compared (the release or its reprint, which writes `May 3`).
    expect(withBusan.facts).toEqual(expect.arrayContaining(['Busan ≠ Mokpo', expect.stringMatching(/^(?:3 May|May 3) ≠ 12 June$/)]));
    expect(formatStoryDetail(detail)).toMatch(/kept apart, same template with different facts:\n[\s\S]*\n {6}Busan ≠ Mokpo, (?:3 May|May 3) ≠ 12 June/);
    expect(await pendingReviews(db, 50)).toEqual([]);
  });

  it('keeps two fillings of a template apart when a page of only its standard paragraphs matches both', async () => {
    const busan = page('busan-2', t.RELEASE_BUSAN.title, t.RELEASE_BUSAN.text, 'nk-news');
    const mokpo = page('mokpo-2', t.RELEASE_MOKPO.title, t.RELEASE_MOKPO.text, 'nk-news');
    await ingest(busan, mokpo);
    const standard = page('about', 'About the ministry and its press office', t.RELEASE_BUSAN.text.split('\n\n').slice(2).join('\n\n'), 'nk-news');
    await ingest(standard);
    expect(await storyOf(standard)).toBeDefined();
    expect(await storyOf(busan)).not.toBe(await storyOf(mokpo));
  });

  it('brings synonym-spun copies to their original and keeps another outlet\'s report of the event apart', async () => {
    const original = page('rescue', t.RESCUE.title, t.RESCUE.text);
    const other = page('rescue-other', t.RESCUE_OTHER_REPORT.title, t.RESCUE_OTHER_REPORT.text, 'nk-news');
    await ingest(original, other);
    const spunSameTitle = page('rescue-spun', t.RESCUE.title, spin(t.RESCUE.text, 1, 2), 'nk-news');
    const spunNewTitle = page('rescue-spun-2', spin(t.RESCUE.title, 1, 3), spin(t.RESCUE.text, 0.9, 3), 'nk-news');
    await ingest(spunSameTitle);
    await ingest(spunNewTitle);
    expect(await storyOf(spunSameTitle)).toBe(await storyOf(original));
    expect(await storyOf(spunNewTitle)).toBe(await storyOf(original));
    expect(await storyOf(other)).not.toBe(await storyOf(original));
    const reason = (await storyDetail(db, (await storyOf(original))!)).members.find((m) => m.itemId === spunSameTitle.id)!.reason;
    expect(reason).toMatchObject({ rule: 'rewritten', matched: original.id });
  });

  it('finds a stored Item by its title alone', async () => {
    const original = page('bakery', t.BAKERY.title, t.BAKERY.text);
    await ingest(original);
    // A copy that shares no fingerprint at all: only the title can bring the original up as a candidate.
    const copy = { ...makePrint(page('bakery-copy', t.BAKERY.title, spin(t.BAKERY.text, 1, 9), 'nk-news'), DEFAULT_DEDUPE), fingerprints: [] };
    const found = await lookupCandidates(db, [copy], DEFAULT_DEDUPE);
    expect(found.candidates.get(copy.itemId)).toEqual([original.id]);
    const untitled = { ...copy, titleKey: null };
    expect((await lookupCandidates(db, [untitled], DEFAULT_DEDUPE)).candidates.get(copy.itemId)).toEqual([]);
  });

  it('makes one Story of an untitled page stored three times (whitespace and page chrome, mojibake)', async () => {
    const text = t.UNTITLED.text;
    const copies = [
      page('vigil-1', null, text),
      page('vigil-2', null, `${text.replace(/\n\n/g, '\n')}\nShare this article\nRelated stories`, 'nk-news'),
      page('vigil-3', null, mojibake(text.replace(/"([^"]*)"/g, '“$1”').replace(/'/g, '’'))),
    ];
    for (const copy of copies) await ingest(copy);
    const stories = await Promise.all(copies.map((copy) => storyOf(copy)));
    expect(new Set(stories).size).toBe(1);
  });

  it('makes one Story of a Vietnamese page and its copy read with the wrong encoding (nearly every word mis-read)', async () => {
    const page1 = page('vi-1', null, t.UNTITLED_VI.text);
    const page2 = page('vi-2', null, mojibake(t.UNTITLED_VI.text), 'nk-news');
    expect(page2.contentText).toContain('HÃ');
    await ingest(page1);
    await ingest(page2);
    expect(await storyOf(page2)).toBe(await storyOf(page1));
  });
});
