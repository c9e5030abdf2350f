/** Where a command's output goes: stdout and stderr, or a test's buffers (src/cli/cli.ts). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** What a command reads (a piped password): standard input unless a test gives its own. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Writes one line (or block) of a command's result. */
export const printer = (io: CliOutput) => (text: string) => io.out(`${text}\n`);
