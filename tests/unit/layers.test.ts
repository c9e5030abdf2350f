/**
 * Layers point down (DESIGN.md, Layout): `cli` above `web` and `workers`,
 * above the services, above the store and queue adapters, above the stages.
 * Every import of src/ and workers/ (types included, dynamic ones too) is read
 * here, and an arrow that points up fails the test, naming the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceFiles = ['src', 'workers'].flatMap((root) =>
  readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(root, file)),
);

/** The project files a file imports, as paths from the project root (`src/store/db.ts`); packages left out. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => path.normalize(path.join(path.dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

const imports = new Map(sourceFiles.map((file) => [file, importsOf(file)]));

/** Every import from a file matching `from` to a file matching `to`, as `from -> to`. */
function arrows(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  return [...imports].flatMap(([file, targets]) => (from(file) ? targets.filter(to).map((target) => `${file} -> ${target}`) : []));
}

const under = (...folders: string[]) => (file: string) => folders.some((folder) => file.startsWith(`${folder}/`));

/** The pipeline's stages (pure functions and the domain types they own) live in these folders, beside some services. */
const STAGE_FOLDERS = ['src/dedupe', 'src/tag', 'src/ingest', 'src/digest', 'src/mail', 'src/publish'];

/**
 * Files in the stage folders that still import the store: the services among
 * them (processing Items, tagging, publishing, sending) are to move above the
 * store, and the stages to take their types from their own step. The list only
 * shrinks: a new file here fails the test, and so does one that stopped
 * importing the store while still listed.
 */
const STILL_IMPORTING_THE_STORE = [
  'src/dedupe/process-items.ts',
  'src/digest/preview.ts',
  'src/ingest/source-content.ts',
  'src/mail/confirm-email.ts',
  'src/mail/sending.ts',
  'src/mail/subscriber-csv.ts',
  'src/mail/subscription.ts',
  'src/publish/changes.ts',
  'src/publish/editions.ts',
  'src/publish/entries.ts',
  'src/publish/story-page.ts',
  'src/tag/review.ts',
  'src/tag/tag-stories.ts',
];

describe('layers', () => {
  it('reads the imports (the check can see an arrow)', () => {
    expect(sourceFiles.length).toBeGreaterThan(200);
    expect(imports.get('workers/main.ts')).toContain('src/runtime.ts');
  });

  it('src/ never imports workers/, but for the command line at the top', () => {
    expect(arrows((file) => file.startsWith('src/') && !file.startsWith('src/cli/'), under('workers'))).toEqual([]);
  });

  it('web/ never imports cli/, and workers/ neither cli/ nor web/', () => {
    expect(arrows(under('src/web'), under('src/cli'))).toEqual([]);
    expect(arrows(under('workers'), under('src/cli', 'src/web'))).toEqual([]);
  });

  it('the services and stages never import the command line, the web pages or the workers', () => {
    expect(arrows(under(...STAGE_FOLDERS, 'src/store', 'src/queue'), under('src/cli', 'src/web', 'workers'))).toEqual([]);
  });

  it('publishing, the Edition and mail take sanitising from src/html/, never from ingest/', () => {
    expect(arrows(under('src/publish', 'src/digest', 'src/mail'), under('src/ingest'))).toEqual([]);
  });

  it('the store and queue adapters never import a service or a worker', () => {
    expect(arrows(under('src/store', 'src/queue'), (target) => target === 'src/runtime.ts' || under('workers', 'src/eval')(target))).toEqual([]);
  });

  it('no stage imports the store beyond the files listed to move (the list only shrinks)', () => {
    const importing = [...new Set(arrows(under(...STAGE_FOLDERS), under('src/store')).map((arrow) => arrow.split(' -> ')[0]!))].sort();
    expect(importing).toEqual(STILL_IMPORTING_THE_STORE);
  });
});
