/**
 * Editors' changes to a composed Edition, on the embedded store and on
 * PostgreSQL: subject, order, removal, a Story added and one moved to another
 * section, a summary; an approved Edition edited goes back to draft; a sent one
 * cannot change; every change is in the history with who made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { editEdition } from '../../src/store/edition-edits.js';
import { editionEvents, getEdition, moveEdition } from '../../src/store/editions.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.each(['pglite', 'postgres'] as const)("editors' changes to an Edition (%s)", (store) => {
  let runtime: Runtime;
  let id: string;
  const entries = async () => (await getEdition(runtime.db, id))!.entries;

  beforeAll(async () => {
    const base = await sampleConfig(store, cleanups, { processed: true });
    const config: Config = { ...base, digest: { ...base.digest, maxStories: 8, maxPerSection: 3 } };
    const summary = await runPipeline(config, log, { command: 'compose', queues: ['compose'] });
    id = summary.edition!.editionId;
    runtime = await openRuntime(config, log);
    cleanups.push(() => runtime.close());
  });

  it('changes the subject, the order and a summary, and removes a Story', async () => {
    // Composed: the subject is derived (each reader's email names its own first Story); an editor's is kept as written.
    expect((await getEdition(runtime.db, id))!.subjectEdited).toBe(false);
    await editEdition(runtime.db, id, 'ed', { kind: 'subject', subject: '  This week:\n defectors  ' });
    const composed = await entries();
    const before = composed.map((e) => e.storyId);
    const firstSection = composed.filter((e) => e.section === composed[0]!.section).map((e) => e.storyId);
    expect(firstSection.length).toBeGreaterThanOrEqual(2);
    const swapped = [firstSection[1]!, firstSection[0]!, ...before.filter((s) => s !== firstSection[0] && s !== firstSection[1])];
    await editEdition(runtime.db, id, 'ed', { kind: 'order', storyIds: swapped });
    await editEdition(runtime.db, id, 'ed', { kind: 'summary', storyId: swapped[0]!, summary: 'Written by an editor.' });
    await editEdition(runtime.db, id, 'ed', { kind: 'remove', storyId: swapped[2]! });

    const edition = (await getEdition(runtime.db, id))!;
    expect(edition.subject).toBe('This week: defectors');
    expect(edition.subjectEdited).toBe(true);
    expect(edition.entries.map((e) => e.storyId)).toEqual(swapped.filter((s) => s !== swapped[2]));
    expect(edition.entries[0]!.summary).toBe('Written by an editor.');
    expect(edition.editedAt).not.toBeNull();
  });

  it('adds a recent Story and moves one to another section, keeping each section together', async () => {
    const [outside] = await runtime.db.query<{ id: string }>(
      'select id from stories where merged_into is null and id not in (select story_id from edition_stories where edition_id = $1) order by id limit 1',
      [id],
    );
    const first = (await entries())[0]!;
    await editEdition(runtime.db, id, 'ed', { kind: 'add', storyId: outside!.id, section: { slug: first.section, label: first.sectionLabel } });
    let now = await entries();
    const sectionOf = now.filter((e) => e.section === first.section).map((e) => e.storyId);
    expect(sectionOf[sectionOf.length - 1]).toBe(outside!.id);
    expect(now.find((e) => e.storyId === outside!.id)!.summary.length).toBeGreaterThan(20);

    const last = now[now.length - 1]!;
    await editEdition(runtime.db, id, 'ed', { kind: 'move', storyId: first.storyId, section: { slug: last.section, label: last.sectionLabel } });
    now = await entries();
    expect(now.find((e) => e.storyId === first.storyId)).toMatchObject({ section: last.section, sectionLabel: last.sectionLabel });
    // Sections are contiguous: each label appears as one run.
    const runs = now.map((e) => e.section).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    expect(new Set(runs).size).toBe(runs.length);

    await expect(editEdition(runtime.db, id, 'ed', { kind: 'add', storyId: outside!.id, section: { slug: null, label: 'Other news' } })).rejects.toThrow(
      `edition ${id}: Story ${outside!.id} is already in this Edition`,
    );
    await expect(editEdition(runtime.db, id, 'ed', { kind: 'order', storyIds: [now[0]!.storyId] })).rejects.toThrow('order: give every Story of the Edition exactly once');
    await expect(editEdition(runtime.db, id, 'ed', { kind: 'subject', subject: ' ' })).rejects.toThrow('subject: expected 1 to 150 characters');
  });

  it('returns an approved Edition to draft when it is edited, and refuses changes once it is sent', async () => {
    await moveEdition(runtime.db, id, 'approved', 'chief');
    expect(await editEdition(runtime.db, id, 'ed', { kind: 'intro', intro: 'Hello.' })).toBe('draft');
    expect((await getEdition(runtime.db, id))!.status).toBe('draft');

    await moveEdition(runtime.db, id, 'approved', 'chief');
    await moveEdition(runtime.db, id, 'sending', null);
    await moveEdition(runtime.db, id, 'sent', null);
    await expect(editEdition(runtime.db, id, 'ed', { kind: 'intro', intro: 'Too late.' })).rejects.toThrow(`edition ${id}: is sent; only a draft or an approved Edition can be changed`);

    const history = await editionEvents(runtime.db, id);
    expect(history.map((e) => [e.editor, e.action])).toEqual([
      [null, 'composed'],
      ['ed', 'subject'],
      ['ed', 'order'],
      ['ed', 'summary'],
      ['ed', 'remove'],
      ['ed', 'add'],
      ['ed', 'move'],
      ['chief', 'approved'],
      ['ed', 'intro'],
      ['chief', 'approved'],
      [null, 'sending'],
      [null, 'sent'],
    ]);
    expect(history.find((e) => e.action === 'intro')!.detail).toMatchObject({ intro: 'Hello.', reopened: true });
  });
});
