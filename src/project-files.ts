/**
 * The project's own files that are not code (templates, migrations, the
 * derived word vectors, package.json), found from the running code: the
 * TypeScript in src/ (tests, the bench, `npm run dev`) and the compiled
 * JavaScript in dist/src/ (the `newsdesk` command, the Docker image) read the
 * same files, so there is one copy of each and nothing to copy at build time.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// src/ -> the project; dist/src/ -> dist -> the project.
const parent = path.dirname(here);
export const PROJECT_ROOT = path.basename(parent) === 'dist' ? path.dirname(parent) : parent;

/** A path inside the project, `projectFile('templates', 'email')`. */
export function projectFile(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
