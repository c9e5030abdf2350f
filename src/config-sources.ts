/**
 * The kinds of Source a configuration may list, validated with zod. Each kind
 * says where it reads from; everything else about a Source is common.
 */
import path from 'node:path';
import { z } from 'zod';
import { allowEntryForms, parseAllowEntry } from './ingest/fetch/address-guard.js';

const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (it names the Source in the store and in job ids)');

const common = {
  id: sourceId,
  name: z.string().min(1),
  /** Off: kept in the store and listed, never read. Default on. */
  enabled: z.boolean().default(true),
  /** Minutes between reads when deployed; default schedule.ingestEveryMinutes. */
  everyMinutes: z.number().int().positive().optional(),
};

/**
 * `outlet`: an outlet's own feed (its Items are originals credited to the Outlet).
 * `archive`: the organisation's own blog (its Items are reposts credited by their `[Outlet]` line).
 */
const role = z.enum(['outlet', 'archive']).default('outlet');

/**
 * Private or loopback addresses a feed may reach: IPs or CIDR blocks, each with an
 * optional port (src/ingest/fetch/address-guard.ts: without a port, the Source's own port).
 */
export const allowAddresses = z
  .array(
    z.string().superRefine((entry, ctx) => {
      const problem = parseAllowEntry(entry);
      if (typeof problem === 'string') ctx.addIssue({ code: 'custom', message: `"${entry}" ${problem} (${allowEntryForms})` });
    }),
  )
  .default([]);

const maxFileBytes = z.number().int().positive().default(2 * 1024 * 1024);

export const archiveSource = z
  .object({
    ...common,
    kind: z.literal('archive'),
    /** Folder of archive page dumps (text files), relative to the config file. */
    path: z.string().min(1),
    /** Files bigger than this are refused (a dump page is tens of kB). Default 2 MiB. */
    maxFileBytes,
    /** The blog's own names: page lines that only name the site are not titles. */
    siteNames: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const feedSource = z
  .object({
    ...common,
    kind: z.literal('feed'),
    /** The feed's address, or the site's: an HTML page is searched for its feed link. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }),
    /** Who wrote the journalism; default: the feed's own title. */
    outlet: z.string().min(1).optional(),
    role,
    /**
     * Addresses this Source may reach although they are private or loopback (IPs or CIDR
     * ranges, e.g. 127.0.0.1 for tests, 10.1.2.0/24 for an intranet feed), on the port of
     * `url` unless the entry names one (10.1.2.3:8080): another port is never reached by a redirect.
     */
    allowAddresses,
  })
  .strict();

export const fileSource = z
  .object({
    ...common,
    kind: z.literal('file'),
    /** A feed document on disk (RSS, Atom or JSON Feed), relative to the config file. */
    path: z.string().min(1),
    outlet: z.string().min(1).optional(),
    role,
    maxFileBytes,
  })
  .strict();

export const wordpressExportSource = z
  .object({
    ...common,
    kind: z.literal('wordpress-export'),
    /** A WordPress export file (WXR XML), relative to the config file. */
    path: z.string().min(1),
    maxFileBytes: z.number().int().positive().default(64 * 1024 * 1024),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('kind', [archiveSource, feedSource, fileSource, wordpressExportSource]);

/** A config file's `sources`: at least one, each id once. */
export const sourceList = z
  .array(sourceSchema)
  .min(1, 'list at least one Source')
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((source, index) => {
      if (seen.has(source.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate Source id "${source.id}"` });
      seen.add(source.id);
    });
  });

export type SourceConfig = z.infer<typeof sourceSchema>;
export type ArchiveSourceConfig = z.infer<typeof archiveSource>;
export type FeedSourceConfig = z.infer<typeof feedSource>;

/** Where a Source reads from: its folder, file or address. */
export function sourceLocation(source: SourceConfig): string {
  return source.kind === 'feed' ? source.url : source.path;
}

/** Folders and files relative to the config file's folder `base`, so the config works from any working folder. */
export function resolveSourcePaths(sources: SourceConfig[], base: string): SourceConfig[] {
  return sources.map((source) => ('path' in source ? { ...source, path: path.resolve(base, source.path) } : source));
}
