/**
 * `newsdesk editors add | list | remove | password`: who may log in to the
 * editor pages of `newsdesk serve`. A password never appears on the command
 * line (where `ps` and shell history would keep it): it is typed at a prompt
 * that does not echo, or piped in on standard input.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { withRuntime } from '../runtime.js';
import { addEditor, listEditors, normalizeEmail, removeEditor, setEditorPassword } from '../store/editors.js';
import { checkPassword, hashPassword, MIN_PASSWORD_LENGTH } from '../web/editor/password.js';
import { printer, type CliOutput } from './output.js';
import { formatTable } from './table.js';

/** Reads one line from the terminal without showing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        // Ctrl-C, or Ctrl-D on an empty line.
        if (char === '\u0003' || (char === '\u0004' && value === '')) return finish(new NewsdeskError('usage', 'editors: cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    process.stderr.write(question);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  // The line's end is not part of the password (`echo pw | newsdesk editors add ...`).
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The new password: typed twice at a terminal, else (or with --password-stdin) read from standard input. */
async function newPassword(fromStdin: boolean, input: NonNullable<CliOutput['input']>): Promise<string> {
  if (fromStdin || !input.isTTY) {
    const password = await readAll(input);
    checkPassword(password);
    return password;
  }
  const password = await promptHidden(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  checkPassword(password);
  if ((await promptHidden('Again: ')) !== password) throw new NewsdeskError('usage', 'editors: the two passwords differ');
  return password;
}

const day = (date: Date | null) => (date ? new Date(date).toISOString().slice(0, 16).replace('T', ' ') : '-');

export function addEditorCommands(program: Command, context: () => { config: Config; log: Logger }, io: CliOutput): void {
  const print = printer(io);
  const editors = program.command('editors').description('who may log in to the editor pages of `newsdesk serve`');
  editors
    .command('add')
    .description('add an editor; the password is prompted for (not echoed), or read from standard input')
    .argument('<email>', 'their email address, the login name (also recorded with each change they make)')
    .requiredOption('--name <name>', 'their name, as the pages show it')
    .option('--password-stdin', 'read the password from standard input', false)
    .action(async (email: string, options: { name: string; passwordStdin: boolean }) => {
      const { config, log } = context();
      normalizeEmail(email);
      const passwordHash = await hashPassword(await newPassword(options.passwordStdin, io.input ?? process.stdin));
      const added = await withRuntime(config, log, ({ db }) => addEditor(db, { email, name: options.name, passwordHash }));
      print(`editors: added ${added.name} <${added.email}>; they log in at ${config.site.url.replace(/\/+$/, '')}/login`);
    });
  editors
    .command('list')
    .description('the editors, with their open sessions')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const { config, log } = context();
      const all = await withRuntime(config, log, ({ db }) => listEditors(db));
      if (options.json) return print(JSON.stringify(all, null, 2));
      const rows = all.map((e) => [e.email, e.name, day(e.createdAt), String(e.sessions), day(e.lastSeenAt)]);
      print(`${formatTable(['email', 'name', 'added', 'sessions', 'last seen'], rows)}\n${all.length} editors`);
    });
  editors
    .command('remove')
    .description('remove an editor and end their sessions (their name stays in the history of what they changed)')
    .argument('<email>')
    .action(async (email: string) => {
      const { config, log } = context();
      const removed = await withRuntime(config, log, ({ db }) => removeEditor(db, email));
      if (!removed) throw new NewsdeskError('usage', `editors remove: no editor ${normalizeEmail(email)} (see newsdesk editors list)`);
      print(`editors: removed ${normalizeEmail(email)}`);
    });
  editors
    .command('password')
    .description("set an editor's password and end their sessions")
    .argument('<email>')
    .option('--password-stdin', 'read the password from standard input', false)
    .action(async (email: string, options: { passwordStdin: boolean }) => {
      const { config, log } = context();
      normalizeEmail(email);
      const passwordHash = await hashPassword(await newPassword(options.passwordStdin, io.input ?? process.stdin));
      const changed = await withRuntime(config, log, ({ db }) => setEditorPassword(db, email, passwordHash));
      if (!changed) throw new NewsdeskError('usage', `editors password: no editor ${normalizeEmail(email)} (see newsdesk editors list)`);
      print(`editors: new password for ${normalizeEmail(email)}; their sessions ended`);
    });
}
