/** Test Items built the way the archive normalizer builds them. */
import { contentHash, itemId, type Item } from '../../src/ingest/item.js';

export function makeItem(overrides: Partial<Item> & { key: string; sourceId?: string }): Item {
  const sourceId = overrides.sourceId ?? 'archive';
  const contentText = overrides.contentText ?? `Body of ${overrides.key}.`;
  return {
    id: itemId(sourceId, overrides.key),
    sourceId,
    title: `Title ${overrides.key}`,
    url: null,
    attribution: null,
    outlets: [],
    author: null,
    publishedAt: null,
    archiveMonth: null,
    categories: [],
    tags: [],
    contentHtml: `<p>${contentText}</p>`,
    summary: contentText,
    truncated: false,
    contentHash: contentHash(contentText),
    ...overrides,
    contentText,
  };
}
