/**
 * Adapter: an Edition rendered as its email, written as `<name>.html` and
 * `<name>.txt` for a person to open (`newsdesk edition preview`, and
 * `out/edition.html` after `npm start`). Generic footer links: a preview is
 * nobody's own email.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { RenderError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { getEdition } from '../store/editions.js';
import { renderContext, renderEdition, type RenderedEmail } from './render.js';

export interface EmailFiles {
  html: string;
  text: string;
  htmlBytes: number;
  textBytes: number;
}

export async function writeEmailFiles(folder: string, name: string, email: RenderedEmail): Promise<EmailFiles> {
  await mkdir(folder, { recursive: true });
  const files = { html: path.join(folder, `${name}.html`), text: path.join(folder, `${name}.txt`) };
  await writeFile(files.html, email.html);
  await writeFile(files.text, email.text);
  return { ...files, htmlBytes: Buffer.byteLength(email.html), textBytes: Buffer.byteLength(email.text) };
}

export type EditionPreview =
  | ({ status: 'written'; editionId: string } & EmailFiles)
  | { status: 'skipped'; editionId: string; reason: string }
  | { status: 'refused'; editionId: string; message: string };

/**
 * The Edition as `<folder>/<name>.html` and `.txt`. A skipped week, or one render
 * refuses, writes nothing and removes the files of an earlier run, so nobody
 * opens last week's email thinking it is this one.
 */
export async function previewEdition(db: Queryable, config: Config, editionId: string, folder: string, name: string): Promise<EditionPreview> {
  const edition = await getEdition(db, editionId);
  if (!edition) throw new RenderError(editionId, ['no such Edition (see newsdesk edition list)']);
  const stale = async () => {
    for (const extension of ['html', 'txt']) await rm(path.join(folder, `${name}.${extension}`), { force: true });
  };
  if (edition.status === 'skipped') {
    await stale();
    return { status: 'skipped', editionId, reason: edition.skippedReason ?? '' };
  }
  try {
    const email = await renderEdition(edition, renderContext(config));
    return { status: 'written', editionId, ...(await writeEmailFiles(folder, name, email)) };
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    await stale();
    return { status: 'refused', editionId, message: error.message };
  }
}
