/**
 * The labelled archive-parsing split on disk (eval README, task B):
 * `archive-pages.jsonl` (one page per line) and `archive-expected.json`.
 * Our own hand-written sets (tests/fixtures/archive/adversarial) keep each page
 * as a text file instead, named by the label's `file` (relative to the set's
 * folder), so a page can be read and edited as the page it is.
 */
import { access, readFile } from 'node:fs/promises';
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
  /** Our extension: the page text is this file (relative to the dataset folder), not a line of archive-pages.jsonl. */
  file?: string;
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

/** Reads DIR/archive-pages.jsonl (or, without it, each label's `file`) and DIR/archive-expected.json. */
export async function loadArchiveDataset(dir: string): Promise<{ pages: ArchiveEvalPage[]; expected: ExpectedPage[] }> {
  const pagesFile = path.join(dir, 'archive-pages.jsonl');
  const expectedFile = path.join(dir, 'archive-expected.json');
  if (!(await exists(pagesFile))) {
    const labels = await readLabels(expectedFile).catch(() => null);
    if (labels && labels.every((label) => typeof label.file === 'string')) return { pages: await readPageFiles(dir, labels), expected: labels };
  }
  // Without either, the error names the pages file, as for any split.
  const pages = await readPagesJsonl(pagesFile);
  return { pages, expected: await readLabels(expectedFile) };
}

async function readLabels(file: string): Promise<ExpectedPage[]> {
  const expected = await readJson(file);
  if (!Array.isArray(expected)) throw new InputError('eval', file, 'expected a JSON list of pages');
  return expected as ExpectedPage[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function readPageFiles(dir: string, labels: ExpectedPage[]): Promise<ArchiveEvalPage[]> {
  return Promise.all(
    labels.map(async (label) => {
      const file = path.join(dir, label.file as string);
      try {
        return { pageId: label.pageId, page: label.page, site: label.site, text: await readFile(file, 'utf8') };
      } catch (error) {
        throw new InputError('eval', file, `cannot read the page of ${label.pageId}: ${errorMessage(error)}`, { cause: error });
      }
    }),
  );
}

async function readPagesJsonl(pagesFile: string): Promise<ArchiveEvalPage[]> {
  let text: string;
  try {
    text = await readFile(pagesFile, 'utf8');
  } catch (error) {
    throw new InputError('eval', pagesFile, `cannot read: ${errorMessage(error)}`, { cause: error });
  }
  return text
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
}
