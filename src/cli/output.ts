/** Where a command's output goes: stdout and stderr, or a test's buffers (src/cli/cli.ts). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Writes one line (or block) of a command's result. */
export const printer = (io: CliOutput) => (text: string) => io.out(`${text}\n`);
