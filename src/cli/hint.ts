/**
 * Commands the CLI prints as hints ("npx newsdesk edition show 2026-W51"), so
 * that each runs as shown, pasted into the shell in the folder it was printed
 * in: `npx newsdesk` runs the project's own bin from the project folder (the
 * `newsdesk` name alone is on no PATH unless the package was linked), and a
 * configuration named with `--config` is named again, since without it the
 * hint would read another file and another store.
 */
import path from 'node:path';

/** The command that runs the CLI from the project folder. */
export const CLI = 'npx newsdesk';

/** The file read when neither --config nor NEWSDESK_CONFIG names one. */
export const DEFAULT_CONFIG = 'newsdesk.yaml';

/** `npx newsdesk [-c <file>] <args>`: `-c` when `configFile` is not the file read without it. */
export function hint(configFile: string | undefined, args: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const implied = path.resolve(cwd, env.NEWSDESK_CONFIG || DEFAULT_CONFIG);
  if (configFile === undefined || path.resolve(cwd, configFile) === implied) return `${CLI} ${args}`;
  return `${CLI} -c ${shellWord(path.relative(cwd, path.resolve(cwd, configFile)))} ${args}`;
}

/** A file name as one shell word: quoted when it holds anything but the usual path characters. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
