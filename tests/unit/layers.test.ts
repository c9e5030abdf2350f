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

/** The pipeline's steps: their stages (pure functions and the domain types they own) and their services. */
const STEP_FOLDERS = ['src/dedupe', 'src/tag', 'src/ingest', 'src/digest', 'src/mail', 'src/publish'];

/**
 * The services: the steps that read and write (the store, the job queues), one
 * per job and per editor action, called by the workers, the web pages, the
 * command line and eval. Every other file of the step folders is a stage.
 */
const SERVICES = [
  'src/dedupe/process-items.ts',
  'src/digest/compose-week.ts',
  'src/digest/preview.ts',
  'src/ingest/ingest-source.ts',
  'src/mail/send-batch.ts',
  'src/mail/sending.ts',
  'src/mail/subscription.ts',
  'src/publish/changes.ts',
  'src/publish/publish-feeds.ts',
  'src/tag/review.ts',
  'src/tag/tag-stories.ts',
];

const isService = (file: string) => SERVICES.includes(file);
const isStage = (file: string) => under(...STEP_FOLDERS)(file) && !isService(file);

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
    expect(arrows(under(...STEP_FOLDERS, 'src/store', 'src/queue'), under('src/cli', 'src/web', 'workers'))).toEqual([]);
  });

  it('a stage never imports the store, the queues or a service', () => {
    expect(arrows(isStage, (target) => under('src/store', 'src/queue')(target) || isService(target))).toEqual([]);
  });

  it('every file listed as a service reads or writes: a file that does neither is a stage', () => {
    for (const service of SERVICES) expect(imports.has(service), `${service} is listed but does not exist`).toBe(true);
    const reading = (file: string) => imports.get(file)!.some((target) => under('src/store', 'src/queue')(target) || isService(target));
    expect(SERVICES.filter((file) => !reading(file))).toEqual([]);
  });

  it('publishing, the Edition and mail take sanitising from src/html/, never from ingest/', () => {
    expect(arrows(under('src/publish', 'src/digest', 'src/mail'), under('src/ingest'))).toEqual([]);
  });

  it('a queue\'s worker is thin: it imports services and the queue\'s types, nothing else', () => {
    const queues = ['ingest', 'process', 'publish', 'compose', 'send'].map((queue) => `workers/${queue}.ts`);
    expect(arrows((file) => queues.includes(file), (target) => !isService(target) && !under('src/queue')(target))).toEqual([]);
  });

  it('the store and queue adapters never import a service or a worker', () => {
    expect(arrows(under('src/store', 'src/queue'), (target) => isService(target) || target === 'src/runtime.ts' || under('workers', 'src/eval')(target))).toEqual([]);
  });
});
