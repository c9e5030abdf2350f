/**
 * "A Story's id and its Feed entry id never change" (DESIGN.md), held by
 * literal values: the Item, Story and Feed entry ids the bundled samples get,
 * and the samples' Atom Feed, are files under tests/fixtures/golden/ written
 * once and compared on every run. Changing how any id is derived (or what the
 * Atom Feed says) fails here; when the change is meant, `npx vitest run
 * tests/integration/golden-ids.test.ts -u` writes the files again, and the
 * diff shows every subscriber-visible id that moved.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { createLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Each Story of the samples: its members' Item ids and the id of its entry in the published Atom Feed. */
interface GoldenStory {
  title: string;
  items: string[];
  entry: string;
}

/** The times a run stamps (when Stories were made and changed) are the only parts of the Atom Feed that may differ. */
const withoutRunTimes = (atom: string) => atom.replace(/<updated>[^<]+<\/updated>/g, '<updated>(the run)</updated>');

const entries = (atom: string) =>
  [...atom.matchAll(/<entry>[\s\S]*?<id>([^<]+)<\/id>\s*<link href="[^"]*\/stories\/([^"/]+)"/g)].map(([, entry, story]) => ({ entry: entry!, story: story! }));

describe.each(['pglite', 'postgres'] as const)('the ids of the samples (%s)', (store) => {
  it('are the same literal Item, Story and Feed entry ids, and the same Atom Feed, as the golden files', async () => {
    const config = await sampleConfig(store, cleanups, { processed: true });
    const run = await runPipeline(config, log, { command: 'publish', queues: ['publish'] });
    expect(run.problems).toEqual([]);
    const atom = readFileSync(path.join(config.output, 'atom.xml'), 'utf8');
    const entryOf = new Map(entries(atom).map(({ entry, story }) => [story, entry]));

    const db = await openDatabase(config.database);
    const rows = await db
      .query<{ story: string; item: string; title: string }>(
        `select s.id as story, si.item_id as item, rep.title
           from stories s join story_items si on si.story_id = s.id join items rep on rep.id = s.representative_item_id
          order by s.id, si.item_id`,
      )
      .finally(() => db.close());
    const stories: Record<string, GoldenStory> = {};
    for (const row of rows) {
      const story = (stories[row.story] ??= { title: row.title, items: [], entry: entryOf.get(row.story) ?? '(not in the Atom Feed)' });
      story.items.push(row.item);
    }
    expect(Object.keys(stories)).toHaveLength(45);
    expect(entryOf.size).toBe(45);

    await expect(`${JSON.stringify(stories, null, 2)}\n`).toMatchFileSnapshot('../fixtures/golden/sample-ids.json');
    await expect(withoutRunTimes(atom)).toMatchFileSnapshot('../fixtures/golden/samples-atom.xml');
  });
});
