import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, readArchiveFolder } from '../../../../src/ingest/archive/folder.js';

function folderWith(files: Record<string, string | Buffer>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-archive-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), content);
  }
  return folder;
}

describe('readArchiveFolder', () => {
  it('reads every page and reports each bad file by name, keeping the others', async () => {
    const folder = folderWith({
      'a-good.txt': 'Title\n\nPosted on by\n\nBody.\n',
      'b-empty.txt': '',
      'c-blank.txt': ' \n\u00a0\n',
      'd-binary.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'e-huge.txt': 'x'.repeat(2000),
      'nested/f-good.txt': 'Another\n',
      '.hidden': 'editor backup',
    });
    const { files, errors } = await readArchiveFolder(folder, { maxFileBytes: 1000 });
    expect(files.map((file) => file.name)).toEqual(['a-good.txt', path.join('nested', 'f-good.txt')]);
    expect(errors.map((error) => error.message)).toEqual([
      `archive: ${path.join(folder, 'b-empty.txt')}: empty file`,
      `archive: ${path.join(folder, 'c-blank.txt')}: empty file`,
      `archive: ${path.join(folder, 'd-binary.txt')}: binary file, not a text page dump`,
      `archive: ${path.join(folder, 'e-huge.txt')}: file is 2000 bytes, over the limit of 1000 (sources[].maxFileBytes)`,
    ]);
  });

  it('names a missing folder', async () => {
    await expect(readArchiveFolder('/nonexistent/archive', { maxFileBytes: 10 })).rejects.toThrow(
      /^archive: \/nonexistent\/archive: cannot read the archive folder/,
    );
  });
});

describe('decodeText', () => {
  it('reads UTF-8, drops a BOM and normalises line ends', () => {
    expect(decodeText('f', Buffer.from('\uFEFFKim’s day\r\nnext\r', 'utf8'))).toBe('Kim’s day\nnext\n');
  });

  it('reads windows-1252 exports that are not UTF-8', () => {
    expect(decodeText('f', Buffer.from([0x4b, 0x69, 0x6d, 0x92, 0x73, 0x20, 0x93, 0x64, 0x61, 0x79, 0x94]))).toBe('Kim’s “day”');
  });
});
