/**
 * The one logger (pino). Stages receive a child logger carrying the ids they
 * work on; nothing else writes diagnostics. Logs go to stderr so that command
 * output on stdout (summaries, --json) stays clean for pipes.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values are secrets wherever they sit in a log line (case-insensitive). */
const SECRET_KEYS = new Set(
  ['password', 'secret', 'token', 'auth', 'authorization', 'cookie', 'set-cookie', 'smtpUrl', 'databaseUrl', 'redisUrl', 'webhookSecret', 'apiKey', 'privateKey']
    .map((k) => k.toLowerCase()),
);
/** `scheme://user:password@host`: the user information of any address in a string. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** A PEM private key (the DKIM key) anywhere in a string, say a message quoting a config value; cut off at its end marker or the string's end. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

function redactString(value: string): string {
  const withoutKeys = value.includes('PRIVATE KEY-----') ? value.replace(PEM_PRIVATE_KEY, '[redacted private key]') : value;
  return withoutKeys.includes('@') ? withoutKeys.replace(URL_CREDENTIALS, '$1[redacted]@') : withoutKeys;
}
const MAX_DEPTH = 8;

/**
 * Secrets out of a log line, at any depth: values under secret keys become
 * `[redacted]` (the DKIM key's `privateKey` too), user:password in any address
 * (a database or SMTP URL in an error message or a config object) is cut out,
 * and so is a PEM private key in any string. pino's own `redact` matches
 * fixed paths only, and `{ config: { database: { url } } }` would slip by.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) {
    // Still an Error for pino's serializer (its type, stack, code, cause), with the message and stack scrubbed.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const [key, item] of Object.entries(value)) (copy as unknown as Record<string, unknown>)[key] = redactSecrets(item, depth + 1);
    copy.message = redactSecrets(value.message) as string;
    copy.stack = redactSecrets(value.stack) as string | undefined;
    return copy;
  }
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEYS.has(key.toLowerCase()) && item != null ? '[redacted]' : redactSecrets(item, depth + 1);
  return out;
}

export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: undefined,
      // Every line's fields. (A child logger's bindings are not formatted by pino: they carry ids only.)
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    },
    pino.destination(2),
  );
}
