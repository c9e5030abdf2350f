/**
 * The local archive Source: every page dump in the folder, each parsed on its
 * own (a bad page is reported by name, the others still count), the same post
 * on several pages merged into one Item.
 */
import { errorMessage } from '../errors.js';
import type { SourceRow } from './source.js';
import { readArchiveFolder } from './archive/folder.js';
import { aliasTable } from './archive/attribution.js';
import { archivePageToItems, mergeArchiveItems } from './archive/item.js';
import { parseArchivePage } from './archive/parse.js';
import type { Appearance, Item } from './item.js';
import type { SourceContent } from './source-content.js';

export async function readArchiveSource(
  source: SourceRow,
  options: { outletAliases: Readonly<Record<string, string>> },
): Promise<SourceContent> {
  const maxFileBytes = Number(source.settings.maxFileBytes ?? 2 * 1024 * 1024);
  const parseOptions = {
    siteNames: (source.settings.siteNames as string[] | undefined) ?? [],
    aliases: aliasTable(options.outletAliases),
  };
  const folder = await readArchiveFolder(source.location, { maxFileBytes });
  const problems = folder.errors.map((error) => ({ where: error.input, message: error.message }));
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
  return { items: mergeArchiveItems(items), appearances, documents: pages, problems };
}
