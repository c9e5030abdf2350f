/**
 * The one logger (pino). Stages receive a child logger carrying the ids they
 * work on; nothing else writes diagnostics. Logs go to stderr so that command
 * output on stdout (summaries, --json) stays clean for pipes.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: undefined,
      // Secrets never belong in logs; these paths catch the usual carriers.
      redact: { paths: ['password', '*.password', 'databaseUrl', 'redisUrl', 'smtpUrl', '*.smtpUrl', 'secret', '*.secret', 'token', '*.token', 'auth', '*.auth'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
