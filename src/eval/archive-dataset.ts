/**
 * The labelled archive-parsing split on disk (eval README, task B):
 * `archive-pages.jsonl` (one page per line) and `archive-expected.json`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.js';

export interface ArchiveEvalPage {
  pageId: string;
  /** Dump file name or page address. */
  page: string;
  site: string;
  text: string;
}

export interface ExpectedPost {
  title: string;
  outlet: string | null;
  firstWords: string;
  truncated: boolean;
  note?: string;
}

export interface ExpectedMeta {
  footerVisible: boolean;
  categories: string[] | null;
  emptyCategorySlots?: number;
  tags: string[] | null;
  author: string | null;
  footerTruncated?: boolean;
}

export interface ExpectedPage {
  pageId: string;
  page: string;
  site: string;
  kind: 'seed-listing' | 'listing' | 'single-post';
  heading: string | null;
  posts: ExpectedPost[];
  meta?: ExpectedMeta;
  ambiguous?: boolean;
  note?: string;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError('eval', file, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
}

/** Reads DIR/archive-pages.jsonl (one page per line) and DIR/archive-expected.json. */
export async function loadArchiveDataset(dir: string): Promise<{ pages: ArchiveEvalPage[]; expected: ExpectedPage[] }> {
  const pagesFile = path.join(dir, 'archive-pages.jsonl');
  let text: string;
  try {
    text = await readFile(pagesFile, 'utf8');
  } catch (error) {
    throw new InputError('eval', pagesFile, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  const pages = text
    .split('\n')
    .map((line, at) => ({ line, at }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, at }) => {
      let page: Partial<ArchiveEvalPage>;
      try {
        page = JSON.parse(line) as Partial<ArchiveEvalPage>;
      } catch (error) {
        throw new InputError('eval', pagesFile, `line ${at + 1}: not JSON: ${errorMessage(error)}`, { cause: error });
      }
      if (typeof page.pageId !== 'string' || typeof page.text !== 'string') {
        throw new InputError('eval', pagesFile, `line ${at + 1}: needs string fields pageId and text`);
      }
      return { pageId: page.pageId, page: page.page ?? '', site: page.site ?? '', text: page.text };
    });
  const expectedFile = path.join(dir, 'archive-expected.json');
  const expected = await readJson(expectedFile);
  if (!Array.isArray(expected)) throw new InputError('eval', expectedFile, 'expected a JSON list of pages');
  return { pages, expected: expected as ExpectedPage[] };
}
