/**
 * The process job on a test store, as the dedupe tests drive it: three Sources
 * (the blog archive and two Outlets' feeds), Items stored and processed into
 * Stories with no Topics and no follow-up jobs, and where an Item ended up.
 */
import { dedupeSettings } from '../../src/dedupe/rules.js';
import type { Item } from '../../src/ingest/item.js';
import { createLogger } from '../../src/log.js';
import type { Db } from '../../src/store/db.js';
import { upsertItem } from '../../src/store/items.js';
import { syncSources } from '../../src/store/sources.js';
import { EMPTY_TAXONOMY } from '../../src/tag/taxonomy.js';
import type { ProcessResult } from '../../src/queue/results.js';
import { processItems, type ProcessDeps } from '../../src/dedupe/process-items.js';

export const testSources = [
  { id: 'archive', kind: 'archive' as const, name: 'Blog archive', enabled: true, path: '/tmp/archive', maxFileBytes: 1000, siteNames: [] },
  { id: 'nk-news', kind: 'feed' as const, name: 'NK News', enabled: true, url: 'https://nknews.example/feed', role: 'outlet' as const, allowAddresses: [] },
  { id: 'wire', kind: 'feed' as const, name: 'Wire', enabled: true, url: 'https://wire.example/feed', role: 'outlet' as const, allowAddresses: [] },
];

export interface ProcessHarness {
  deps: ProcessDeps;
  /** Stores the Items and runs the process job on them. */
  ingest(...items: Item[]): Promise<ProcessResult>;
  /** The Story an Item is in now; undefined when it is in none. */
  storyOf(item: Item): Promise<string | undefined>;
}

/** The test Sources synced into `db` (migrated already), and the process job on it. */
export async function processHarness(db: Db): Promise<ProcessHarness> {
  await syncSources(db, testSources);
  const deps: ProcessDeps = {
    db,
    config: { dedupe: dedupeSettings() },
    log: createLogger({ level: 'silent' }),
    taxonomy: EMPTY_TAXONOMY,
    jobs: { add: async () => undefined },
    now: () => new Date(),
  };
  return {
    deps,
    async ingest(...items) {
      for (const item of items) await upsertItem(db, item);
      return processItems({ itemIds: items.map((item) => item.id) }, deps);
    },
    async storyOf(item) {
      const rows = await db.query<{ storyId: string }>('select story_id as "storyId" from story_items where item_id = $1', [item.id]);
      return rows[0]?.storyId;
    },
  };
}
