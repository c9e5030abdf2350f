#!/usr/bin/env node
// Runs the compiled command (dist/, built by `npm ci` through the prepare script): no compiler at run time.
// `npm run dev -- <command>` runs the TypeScript as it is, for development.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('newsdesk: dist/src/cli/main.js is missing: run `npm run build` (npm ci runs it) first\n');
  process.exit(2);
}
await import(compiled.href);
