/**
 * One command line, run in this process: parse, run the command, and turn how
 * it ended into the exit code the README promises. src/cli/main.ts calls it
 * with the process's arguments; tests call it with their own and read the
 * code and the output, without starting a process.
 */
import { CommanderError } from 'commander';
import { ConfigError, errorMessage, NewsdeskError, NotFoundError } from '../errors.js';
import { hint } from './hint.js';
import type { CliOutput } from './output.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 done, 1 failed, 2 bad configuration or usage, 3 done but some input was refused. */
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs `newsdesk <argv...>`; resolves to the exit code. */
export async function main(argv: string[], io: CliOutput = processOutput): Promise<number> {
  let refused = false;
  const program = buildProgram(io, () => {
    refused = true;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return refused ? EXIT.partial : EXIT.ok;
  } catch (error) {
    // Commander has printed its own message (unknown option or command, missing or invalid argument) and the help line.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const commands = program.commands.map((command) => command.name());
    io.err(`newsdesk: ${runnableHints(forTheCommandLine(error), commands, program.opts<{ config: string }>().config)}\n`);
    if (error instanceof ConfigError || (error instanceof NewsdeskError && error.code === 'usage')) return EXIT.usage;
    return EXIT.failed;
  }
}

/** An error as the command line says it: what is not found comes with the command that lists what there is. */
function forTheCommandLine(error: unknown): string {
  if (error instanceof NotFoundError) return `${error.message} (see newsdesk ${error.what === 'Edition' ? 'edition list' : 'stories list'})`;
  return errorMessage(error);
}

/**
 * Messages from below the CLI (the store, sending) name the command that helps
 * plainly, `newsdesk edition list`; printed here, they become the command line
 * that runs it as shown (src/cli/hint.ts).
 */
function runnableHints(message: string, commands: string[], configFile: string): string {
  const mention = new RegExp(`(?<![\\w-]|npx )newsdesk (?=(?:${commands.join('|')})\\b)`, 'g');
  return message.replace(mention, hint(configFile, ''));
}
