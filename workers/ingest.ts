/**
 * ingest job: read one Source, parse what it gave, normalize to Items, store
 * them with their Appearances, and queue the changed Items for processing.
 * A bad page is reported by name; the rest of the Source is still stored.
 */
import { UnrecoverableError } from 'bullmq';
import { errorMessage } from '../src/errors.js';
import { readArchiveFolder } from '../src/ingest/archive.js';
import { archivePageToItems, mergeArchiveItems } from '../src/ingest/archive-item.js';
import { parseArchivePage } from '../src/ingest/archive-parse.js';
import type { Appearance, Item } from '../src/ingest/item.js';
import type { JobDeps, JobPayloads } from '../src/queue/jobs.js';
import { upsertAppearance, upsertItem, type UpsertOutcome } from '../src/store/items.js';
import type { RunProblem } from '../src/store/runs.js';
import { getSource, type SourceRow } from '../src/store/sources.js';

export interface IngestResult {
  sourceId: string;
  pages: number;
  posts: number;
  items: Record<UpsertOutcome, number>;
  appearances: { new: number; total: number };
  problems: RunProblem[];
}

export async function ingestSource({ sourceId }: JobPayloads['ingest'], deps: JobDeps): Promise<IngestResult> {
  const log = deps.log.child({ job: 'ingest', sourceId });

  const source = await getSource(deps.db, sourceId);
  if (!source) throw new UnrecoverableError(`ingest: unknown Source "${sourceId}" (not in the store; is it in the config?)`);

  const { items, appearances, pages, problems } = await readArchiveSource(source, deps);
  for (const problem of problems) log.warn({ where: problem.where }, problem.message);

  const outcome: IngestResult['items'] = { new: 0, updated: 0, unchanged: 0 };
  const changed: string[] = [];
  let newAppearances = 0;
  await deps.db.transaction(async (tx) => {
    for (const item of items) {
      const result = await upsertItem(tx, item);
      outcome[result] += 1;
      if (result !== 'unchanged') changed.push(item.id);
    }
    for (const appearance of appearances) {
      if (await upsertAppearance(tx, appearance)) newAppearances += 1;
    }
  });

  if (changed.length > 0) await deps.jobs.add('process', { itemIds: changed });

  log.info({ pages, items: outcome, newAppearances }, 'ingested');
  return {
    sourceId,
    pages,
    posts: appearances.length,
    items: outcome,
    appearances: { new: newAppearances, total: appearances.length },
    problems,
  };
}

interface SourceContent {
  items: Item[];
  appearances: Appearance[];
  pages: number;
  problems: RunProblem[];
}

/** The local archive: every page dump in the folder, each parsed on its own. */
async function readArchiveSource(source: SourceRow, deps: JobDeps): Promise<SourceContent> {
  const maxFileBytes = Number(source.settings.maxFileBytes ?? 2 * 1024 * 1024);
  const parseOptions = {
    siteNames: (source.settings.siteNames as string[] | undefined) ?? [],
    aliases: Object.fromEntries(
      Object.entries(deps.config.outlets.aliases).map(([spelling, outlet]) => [spelling.toLowerCase(), outlet]),
    ),
  };
  const folder = await readArchiveFolder(source.location, { maxFileBytes });
  const problems: RunProblem[] = folder.errors.map((error) => ({ where: error.input, message: error.message }));
  const items: Item[] = [];
  const appearances: Appearance[] = [];
  let pages = 0;
  for (const file of folder.files) {
    try {
      const page = parseArchivePage(file.text, { name: file.name }, parseOptions);
      const found = archivePageToItems(page, source.id, file.name);
      items.push(...found.items);
      appearances.push(...found.appearances);
      pages += 1;
    } catch (error) {
      problems.push({ where: file.name, message: errorMessage(error) });
    }
  }
  return { items: mergeArchiveItems(items), appearances, pages, problems };
}
