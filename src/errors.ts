/**
 * Error types. Every message starts with where it happened and what input it
 * concerns (`archive: samples/archive/x.txt: empty file`), and keeps its cause,
 * so a log line alone tells an operator what to fix.
 */

export class NewsdeskError extends Error {
  /** Machine-readable code (`config_invalid`, `not_found`, `send_failed`, ...), stable across versions: scripts may match it. */
  readonly code: string;
  /**
   * No retry can help: a missing setting, an unknown Source, a refused SMTP
   * login. A job that throws it fails at once (workers/main.ts makes it BullMQ's
   * UnrecoverableError; InlineJobs records it as permanent); any other error is retried.
   */
  readonly permanent: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.permanent = options?.permanent ?? false;
  }
}

/**
 * An Edition or a Story asked for by id is not in the store. The message names
 * it and no more; each reader's side says what helps (the command line adds the
 * command that lists them, src/cli/cli.ts).
 */
export class NotFoundError extends NewsdeskError {
  constructor(
    readonly what: 'Edition' | 'Story',
    readonly id: string,
  ) {
    super('not_found', `${what === 'Edition' ? 'edition' : 'story'} ${id}: no such ${what}`);
  }
}

/** Whether retrying what threw `error` cannot help (NewsdeskError's `permanent`). */
export function isPermanent(error: unknown): boolean {
  return error instanceof NewsdeskError && error.permanent;
}

/** The configuration file is missing, unreadable or invalid. */
export class ConfigError extends NewsdeskError {
  constructor(
    readonly file: string,
    /** `env`: the value came from this environment variable, which overrides the key of the file. */
    readonly problems: { key: string; message: string; env?: string }[],
    options?: { cause?: unknown },
  ) {
    const lines = problems.map((p) =>
      p.env ? `config: environment ${p.env} (${p.key}): ${p.message}` : `config: ${file}: ${p.key ? `${p.key}: ` : ''}${p.message}`,
    );
    // A configuration is fixed by an operator, never by trying again.
    super('config_invalid', lines.join('\n'), { ...options, permanent: true });
  }
}

/** One input (an archive file, a fetched document) cannot be used; the others still can. */
export class InputError extends NewsdeskError {
  constructor(
    readonly stage: string,
    readonly input: string,
    readonly problem: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(options?.code ?? 'input_invalid', `${stage}: ${input}: ${problem}`, options);
  }
}

/** Message of any thrown value, for logs and the run log. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An Edition cannot become an email as it stands (skipped, no postal address,
 * a link a mail client cannot follow, too big for Gmail): every problem found,
 * so an editor fixes them in one go.
 */
export class RenderError extends NewsdeskError {
  constructor(
    readonly editionId: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super('render_invalid', `render: edition ${editionId}: ${problems.join('; ')}`, options);
  }
}

/** A problem a run met and went on past (a page that did not parse, a Source that could not be read): where, and what. */
export interface RunProblem {
  where: string;
  message: string;
}
