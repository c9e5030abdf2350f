/**
 * Configuration: one YAML file, environment overrides on top, validated once
 * with zod and passed down as a plain object. No stage reads the environment or
 * the file itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { alignmentProblem, dkimSchema, readDkimKeyFile } from './config-dkim.js';
import { allowAddresses, resolveSourcePaths, sourceList } from './config-sources.js';
import { DEFAULT_DEDUPE } from './dedupe/rules.js';
import { DEFAULT_COMPOSE } from './digest/compose.js';
import { ConfigError, errorMessage } from './errors.js';
import { parseAddress } from './mail/address.js';
import { MAILBOX_TOKEN_LENGTH } from './mail/tokens.js';
import { isTimeZone, WEEKDAYS } from './week.js';

export type { ArchiveSourceConfig, FeedSourceConfig, SourceConfig } from './config-sources.js';

/** Longest name of mail.unsubscribeMailbox: `<name>+<token>` must fit the 64 characters of a local part (RFC 5321 4.5.3.1.1). */
const MAX_MAILBOX_NAME = 64 - 1 - MAILBOX_TOKEN_LENGTH;

const configSchema = z
  .object({
    site: z
      .object({
        title: z.string().min(1),
        /** Public address of the site; Feed links and self links are built from it. */
        url: z.url({ protocol: /^https?$/ }),
        description: z.string().default(''),
        language: z.string().default('en'),
      })
      .strict(),
    /** Where Feed files are written, relative to the config file. */
    output: z.string().default('out'),
    /** The editor-maintained Topic taxonomy (YAML), relative to the config file. */
    topics: z.string().optional(),
    database: z
      .object({
        /** postgres://... for PostgreSQL; empty for the embedded PGlite store. Env: DATABASE_URL. */
        url: z.string().default(''),
        /** PGlite data folder (embedded store), relative to the config file. Env: NEWSDESK_DATA_DIR. */
        dataDir: z.string().default('.newsdesk/pglite'),
      })
      .strict()
      .default({ url: '', dataDir: '.newsdesk/pglite' }),
    redis: z
      .object({
        /** redis://... to run jobs on BullMQ queues; empty to run them in-process. Env: REDIS_URL. */
        url: z.string().default(''),
        /** Key prefix of the queues: several deployments (or tests) can share one Redis. Env: NEWSDESK_QUEUE_PREFIX. */
        prefix: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').default('newsdesk'),
        /** How long a worker's hold on a job lasts without renewal: a killed worker's jobs go to another after about this long. */
        lockSeconds: z.number().positive().default(30),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        /** How often each Source is read when running deployed, in minutes: the fastest a Source is read. */
        ingestEveryMinutes: z.number().int().positive().default(60),
        /** The slowest a quiet feed Source is read: the interval follows its posting rate up to this (src/ingest/fetch/pace.ts). */
        maxIdleMinutes: z.number().int().positive().default(24 * 60),
        /** When the weekly Edition is composed: a weekday, a local time and an IANA time zone. */
        compose: z
          .object({
            day: z.enum(WEEKDAYS).default('monday'),
            time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)').default('07:00'),
            timezone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/London)').default('UTC'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Who sends the Edition: named in every email's footer with the postal address anti-spam laws (CAN-SPAM, PECR) ask for. */
    organisation: z
      .object({
        /** Default: site.title. */
        name: z.string().min(1).optional(),
        /** One or more lines; required before an Edition can be rendered. */
        postalAddress: z.string().default(''),
      })
      .strict()
      .prefault({}),
    /**
     * The key that signs the links in emails (at least 32 characters). Absent: one is made at random and kept in
     * the store. Env: NEWSDESK_SECRET. Changing it makes the links in emails already sent stop working.
     */
    secret: z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 48)').optional(),
    /** Sending the Edition (src/mail/). */
    mail: z
      .object({
        /** The From header, e.g. "News Desk <weekly@news.example.org>". Default: the site title at the site's host. */
        from: z.string().optional(),
        /** SMTP server as a URL: smtp://user:pass@host:587 (STARTTLS) or smtps://...:465. Env: NEWSDESK_SMTP_URL. */
        smtpUrl: z.string().default(''),
        /** Most messages per second (the provider's limit); slowed down further on 421/454 replies. */
        ratePerSecond: z.number().positive().default(20),
        /** SMTP connections kept open at once. */
        connections: z.number().int().positive().max(50).default(4),
        /** Deliveries per send job. */
        batchSize: z.number().int().positive().default(200),
        /**
         * The mailbox of List-Unsubscribe's mailto:, e.g. unsubscribe@news.example.org, whose mail the provider
         * posts to POST /webhooks/inbound (so it needs webhookSecret). None: the emails offer no mailto:, since
         * nothing would read the mail. Each email names `<box>+<48-character token>@<host>`, within the 64
         * characters a local part may have: at most 15 for `<box>`.
         */
        unsubscribeMailbox: z
          .string()
          .refine((box) => {
            try {
              parseAddress(box, 'mail.unsubscribeMailbox');
              return true;
            } catch {
              return false;
            }
          }, 'not an email address')
          .refine((box) => !box.slice(0, box.lastIndexOf('@')).includes('+'), 'no "+" in it: the token is added after one')
          .refine((box) => box.lastIndexOf('@') <= MAX_MAILBOX_NAME, `at most ${MAX_MAILBOX_NAME} characters before the "@" (the token takes the rest of the 64)`)
          .optional(),
        /** Shared secret of the bounce and complaint webhook (POST /webhooks/mail); none: the webhook is off. Env: NEWSDESK_WEBHOOK_SECRET. */
        webhookSecret: z.string().min(16).optional(),
        /** DKIM signing of every email (src/config-dkim.ts); none: emails go out unsigned. */
        dkim: dkimSchema.optional(),
      })
      .strict()
      .refine((mail) => !mail.unsubscribeMailbox || mail.webhookSecret, {
        message: 'needs mail.webhookSecret (NEWSDESK_WEBHOOK_SECRET): it authenticates the inbound route that reads this mailbox',
        path: ['unsubscribeMailbox'],
      })
      .prefault({}),
    /** The weekly Edition (src/digest/compose.ts). */
    digest: z
      .object({
        /** Most Stories in one Edition. */
        maxStories: z.number().int().positive().default(DEFAULT_COMPOSE.maxStories),
        /** Most Stories in one Topic section. */
        maxPerSection: z.number().int().positive().default(DEFAULT_COMPOSE.maxPerSection),
        /** A week with fewer Stories is skipped (no email), with the reason shown to editors. */
        minStories: z.number().int().nonnegative().default(DEFAULT_COMPOSE.minStories),
        /** Longest Story summary, in characters (cut at a sentence end). */
        summaryChars: z.number().int().min(80).default(DEFAULT_COMPOSE.summary.maxChars),
      })
      .strict()
      .prefault({}),
    /** Outlet spellings and the name editors want for them, e.g. { "The Daily NK": "Daily NK" }. */
    outlets: z.object({ aliases: z.record(z.string(), z.string()).default({}) }).strict().default({ aliases: {} }),
    /** How feed Sources are fetched. */
    fetch: z
      .object({
        /** Sent as User-Agent, with the site address so publishers can reach us. Default: newsdesk/<version> (+site.url). */
        userAgent: z.string().optional(),
        connectTimeoutSeconds: z.number().positive().default(10),
        totalTimeoutSeconds: z.number().positive().default(30),
        /** Largest feed accepted, after decompression. Default 10 MiB. */
        maxBytes: z.number().int().positive().default(10 * 1024 * 1024),
        /** Least time between two requests to the same host. */
        hostGapSeconds: z.number().nonnegative().default(2),
        /** Longest wait between reads of a failing Source (backoff cap). */
        maxBackoffMinutes: z.number().int().positive().default(24 * 60),
        /**
         * Private or loopback addresses every feed Source may reach (IPs or CIDRs, each with an optional port;
         * without one, each Source's own port); none by default.
         */
        allowAddresses,
      })
      .strict()
      .prefault({}),
    /** Repost detection (src/dedupe/rules.ts): when two Items are one Story. */
    dedupe: z
      .object({
        /** Dated Items further apart than this are never merged by their text (yearly stories look alike). */
        windowDays: z.number().nonnegative().default(DEFAULT_DEDUPE.windowDays),
        /** Share of the shorter text's own sentences (outside quotes) found in the longer one that makes one Story. */
        containment: z.number().gt(0).max(1).default(DEFAULT_DEDUPE.containment),
        /** From this share up to `containment`, the pair is queued for editors instead. */
        reviewFrom: z.number().gt(0).max(1).default(DEFAULT_DEDUPE.reviewFrom),
        /** Fewest shared 4-word shingles for any text rule. */
        minShared: z.number().int().positive().default(DEFAULT_DEDUPE.minShared),
        /** Weight of facts that differ in a shared template's slots from which two Items stay apart. */
        factConflicts: z.number().positive().default(DEFAULT_DEDUPE.factConflicts),
        /** Share of the smaller function-word skeleton shared from which a text is a rewritten copy. */
        rewriteSkeleton: z.number().gt(0).max(1).default(DEFAULT_DEDUPE.rewriteSkeleton),
        /** Other pages of a site holding a paragraph, from which it is the site's furniture. */
        furniturePages: z.number().int().positive().default(DEFAULT_DEDUPE.furniturePages),
        /** The same for a paragraph among the first or last two of the text. */
        furnitureEdgePages: z.number().int().positive().default(DEFAULT_DEDUPE.furnitureEdgePages),
      })
      .strict()
      .refine((dedupe) => dedupe.reviewFrom <= dedupe.containment, { message: 'reviewFrom must not exceed containment', path: ['reviewFrom'] })
      .prefault({}),
    /** The editor pages of `newsdesk serve` (src/web/editor/). */
    web: z
      .object({
        /**
         * The Secure flag of the editor session cookie: true, false, or 'auto' (when site.url is https). Set false
         * only to log in over plain http from another machine (browsers accept Secure cookies from localhost).
         */
        secureCookies: z.union([z.literal('auto'), z.boolean()]).default('auto'),
        /** Behind a reverse proxy: take the client's address from X-Forwarded-For, so login limits count per client. */
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * The queue dashboard (/admin/queues in `newsdesk serve`, with Redis): open to logged-in editors, and to
     * scripts with HTTP Basic auth, any user name, this token as the password. Env: NEWSDESK_ADMIN_TOKEN.
     */
    admin: z
      .object({ token: z.string().min(16, 'at least 16 characters (e.g. openssl rand -hex 32)').optional() })
      .strict()
      .prefault({}),
    sources: sourceList,
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mail.dkim) {
      // The From address's domain as src/mail/smtp.ts makes it: mail.from's, else the site's host.
      const from = config.mail.from ? /@([^\s<>@"]+)>?\s*$/.exec(config.mail.from)?.[1] : new URL(config.site.url).hostname;
      const problem = from ? alignmentProblem(from, config.mail.dkim.domain) : null;
      if (problem) ctx.addIssue({ code: 'custom', path: ['mail', 'dkim', 'domain'], message: problem });
    }
  });

export type Config = z.infer<typeof configSchema> & {
  /** Absolute path of the file the configuration came from. */
  file: string;
};

/** Environment variables that override a key of the file, applied before validation; `replaces`: siblings they take the place of. */
const envOverrides: { env: string; key: string[]; replaces?: string }[] = [
  { env: 'DATABASE_URL', key: ['database', 'url'] },
  { env: 'NEWSDESK_DATA_DIR', key: ['database', 'dataDir'] },
  { env: 'REDIS_URL', key: ['redis', 'url'] },
  { env: 'NEWSDESK_QUEUE_PREFIX', key: ['redis', 'prefix'] },
  { env: 'NEWSDESK_OUTPUT', key: ['output'] },
  { env: 'NEWSDESK_SITE_URL', key: ['site', 'url'] },
  { env: 'NEWSDESK_ADMIN_TOKEN', key: ['admin', 'token'] },
  { env: 'NEWSDESK_SECRET', key: ['secret'] },
  { env: 'NEWSDESK_SMTP_URL', key: ['mail', 'smtpUrl'] },
  { env: 'NEWSDESK_WEBHOOK_SECRET', key: ['mail', 'webhookSecret'] },
  { env: 'NEWSDESK_DKIM_DOMAIN', key: ['mail', 'dkim', 'domain'] },
  { env: 'NEWSDESK_DKIM_SELECTOR', key: ['mail', 'dkim', 'selector'] },
  // The key from the environment wins over the file's, whichever way each gives it.
  { env: 'NEWSDESK_DKIM_PRIVATE_KEY', key: ['mail', 'dkim', 'privateKey'], replaces: 'privateKeyFile' },
  { env: 'NEWSDESK_DKIM_PRIVATE_KEY_FILE', key: ['mail', 'dkim', 'privateKeyFile'], replaces: 'privateKey' },
];

/** YAML text as data, or a ConfigError naming the file and the line (the config file, the taxonomy). */
export function parseYamlText(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : '';
    throw new ConfigError(file, [{ key: where, message: `not valid YAML: ${errorMessage(error)}` }], { cause: error });
  }
}

/** Reads, overrides and validates the configuration; throws ConfigError naming the file and key. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ key: '', message: `cannot read the file: ${errorMessage(error)}` }], { cause: error });
  }
  const raw = parseYamlText(text, file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ key: '', message: 'expected a mapping of keys (site, sources, ...)' }]);
  }
  const overridden = applyEnvOverrides(raw as Record<string, unknown>, env);
  readDkimKeyFile(raw as Record<string, unknown>, file);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => {
        const key = issue.path.join('.');
        // A bad value that came from the environment is fixed there, not in the file.
        const from = overridden.find((override) => key === override.key || key.startsWith(`${override.key}.`));
        return { key, message: issue.message, ...(from ? { env: from.env } : {}) };
      }),
    );
  }
  return resolvePaths({ ...result.data, file: absolute });
}

/** Puts the environment's values into the file's data; returns which keys they replaced. */
function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): { env: string; key: string }[] {
  const applied: { env: string; key: string }[] = [];
  for (const { env: name, key, replaces } of envOverrides) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let target: Record<string, unknown> | null = raw;
    for (const part of key.slice(0, -1)) {
      if (target[part] === undefined || target[part] === null) target[part] = {};
      const next: unknown = target[part];
      // The file has something else than a mapping where the key goes: validation reports it, in the file.
      target = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : null;
      if (target === null) break;
    }
    if (target === null) continue;
    target[key[key.length - 1]!] = value;
    if (replaces) delete target[replaces];
    applied.push({ env: name, key: key.join('.') });
  }
  return applied;
}

/** Relative paths in the file are relative to the file, so the config works from any working folder. */
function resolvePaths(config: Config): Config {
  const base = path.dirname(config.file);
  const from = (p: string) => path.resolve(base, p);
  return {
    ...config,
    output: from(config.output),
    topics: config.topics === undefined ? undefined : from(config.topics),
    // `memory://` is PGlite's store in memory, not a folder named `memory:`.
    database: { ...config.database, dataDir: config.database.dataDir.startsWith('memory://') ? config.database.dataDir : from(config.database.dataDir) },
    sources: resolveSourcePaths(config.sources, base),
  };
}
