/**
 * Adapter: reads the page dumps of a local archive folder. Each file is checked
 * on its own, so one unreadable, empty, binary or oversized file is reported by
 * name and the others are still ingested.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../../errors.js';
import { decodeWindows1252 } from '../feed/encoding.js';

export interface ArchiveFile {
  /** Path relative to the archive folder: the page's name in Appearances and errors. */
  name: string;
  text: string;
}

export interface ArchiveFolder {
  files: ArchiveFile[];
  errors: InputError[];
}

export async function readArchiveFolder(folder: string, limits: { maxFileBytes: number }): Promise<ArchiveFolder> {
  let names: string[];
  try {
    names = (await readdir(folder, { recursive: true })).map(String).sort();
  } catch (error) {
    throw new InputError('archive', folder, `cannot read the archive folder: ${errorMessage(error)}`, { cause: error });
  }
  const files: ArchiveFile[] = [];
  const errors: InputError[] = [];
  for (const name of names) {
    if (name.split(path.sep).some((part) => part.startsWith('.'))) continue;
    const file = path.join(folder, name);
    try {
      const info = await stat(file);
      if (!info.isFile()) continue;
      if (info.size > limits.maxFileBytes) {
        throw new InputError('archive', file, `file is ${info.size} bytes, over the limit of ${limits.maxFileBytes} (sources[].maxFileBytes)`);
      }
      files.push({ name, text: decodeText(file, await readFile(file)) });
    } catch (error) {
      errors.push(error instanceof InputError ? error : new InputError('archive', file, `cannot read: ${errorMessage(error)}`, { cause: error }));
    }
  }
  return { files, errors };
}

/**
 * Page dumps are text. UTF-8 is expected; a file that is not UTF-8 but has no
 * binary control bytes is read as windows-1252, the usual encoding of old
 * exports. NUL or other control bytes mean a binary file.
 */
export function decodeText(file: string, bytes: Buffer): string {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    throw new InputError('archive', file, 'empty file');
  }
  const sample = bytes.subarray(0, 8192);
  const controls = sample.filter((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20)).length;
  if (sample.includes(0) || controls > sample.length / 100) {
    throw new InputError('archive', file, 'binary file, not a text page dump');
  }
  const text = (() => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return decodeWindows1252(bytes);
    }
  })();
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
