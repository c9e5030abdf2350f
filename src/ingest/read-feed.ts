/**
 * A feed Source: fetch (conditional, polite, guarded), find the feed if the
 * address is a site's HTML page, parse, normalize. Every ending is classified
 * for the Source's health; nothing here throws for a bad feed.
 */
import type { Config } from '../config.js';
import { InputError, errorMessage } from '../errors.js';
import type { SourceRow } from './source.js';
import { version } from '../version.js';
import { discoverFeedLinks, looksLikeHtml } from './fetch/discover.js';
import { fetchFeed, type FetchRequest } from './fetch/fetch.js';
import type { FetchOutcome, FetchStatus } from './fetch/fetch-outcome.js';
import type { Appearance } from './item.js';
import { parseFeed } from './feed/parse.js';
import type { HostPoliteness } from './fetch/politeness.js';
import { feedItems } from './read-file.js';
import type { SourceContent } from './source-content.js';

export function userAgent(config: Config): string {
  return config.fetch.userAgent ?? `newsdesk/${version} (+${config.site.url})`;
}

/**
 * A fetch of a feed address with the config's fetch settings: its user agent,
 * time limits, size cap, and the private addresses every feed may reach
 * (`fetch.allowAddresses`) with the Source's own.
 */
export function feedRequest(config: Config, url: string, source: { location: string; allowAddresses?: string[] }): FetchRequest {
  return {
    url,
    validators: { etag: null, lastModified: null },
    userAgent: userAgent(config),
    allowAddresses: [...config.fetch.allowAddresses, ...(source.allowAddresses ?? [])],
    // The configured address: a permanent redirect or a discovered feed must not widen what port-less entries allow.
    sourceUrl: source.location,
    connectTimeoutMs: config.fetch.connectTimeoutSeconds * 1000,
    totalTimeoutMs: config.fetch.totalTimeoutSeconds * 1000,
    maxBytes: config.fetch.maxBytes,
  };
}

export async function readFeedSource(source: SourceRow, config: Config, politeness: HostPoliteness): Promise<SourceContent> {
  const request: FetchRequest = {
    ...feedRequest(config, source.url ?? source.location, { location: source.location, allowAddresses: source.settings.allowAddresses as string[] | undefined }),
    validators: { etag: source.etag, lastModified: source.lastModified },
  };

  let outcome = await fetchFeed(request, politeness);
  let newUrl = outcome.movedTo ?? undefined;

  // A site address instead of a feed: follow the page's <link rel="alternate"> (feed discovery).
  if (outcome.status === 'ok' && looksLikeHtml(outcome.body, outcome.contentType)) {
    const [discovered] = discoverFeedLinks(outcome.body.toString('utf8'), outcome.finalUrl);
    if (!discovered) return failed(source, outcome, 'not-a-feed', 'fetch', `not a feed: ${outcome.finalUrl} is an HTML page with no feed link`);
    outcome = await fetchFeed({ ...request, url: discovered, validators: { etag: null, lastModified: null } }, politeness);
    newUrl = outcome.movedTo ?? discovered;
  }
  if (outcome.status !== 'ok') {
    if (outcome.status === 'not-modified') return { items: [], appearances: [], documents: 0, problems: [], fetch: record(outcome, 'not-modified', null, newUrl) };
    return failed(source, outcome, outcome.status, 'fetch', outcome.message, newUrl);
  }

  const parseStarted = performance.now();
  let parsed;
  try {
    parsed = await parseFeed(outcome.body, { url: outcome.finalUrl, contentType: outcome.contentType, name: source.id });
  } catch (error) {
    const status = (error instanceof InputError && PARSE_STATUS[error.code]) || 'not-a-feed';
    return failed(source, outcome, status, 'parse', error instanceof InputError ? error.problem : errorMessage(error), newUrl);
  }

  const items = feedItems(parsed, source, outcome.finalUrl, config.outlets.aliases);
  const parseMs = performance.now() - parseStarted;
  const appearances: Appearance[] = items.map((item, index) => ({
    itemId: item.id,
    location: outcome.finalUrl,
    position: index + 1,
    context: { feed: parsed.title },
  }));
  // Read, but with text lost (invalid bytes replaced): the Source's health message says so until its next fetch.
  const problem = parsed.encodingProblem ?? null;
  return {
    items,
    appearances,
    documents: parsed.entries.length,
    parseMs,
    problems: problem ? [{ where: source.id, message: `parse: ${source.id}: ${problem}` }] : [],
    fetch: { ...record(outcome, 'ok', problem, newUrl), validators: outcome.validators, ttlMinutes: parsed.ttlMinutes },
  };
}

/** A parse error's code (snake_case, like every error code) as the Source's fetch status (kebab-case, like every fetch status). */
const PARSE_STATUS: Record<string, 'not-a-feed' | 'invalid-xml' | 'empty'> = { not_a_feed: 'not-a-feed', invalid_xml: 'invalid-xml', empty: 'empty' };

function record(outcome: FetchOutcome, status: FetchStatus, message: string | null, newUrl: string | undefined): NonNullable<SourceContent['fetch']> {
  return {
    url: outcome.finalUrl,
    status,
    httpStatus: outcome.httpStatus,
    message,
    elapsedMs: outcome.elapsedMs,
    ttlMinutes: null,
    waitSeconds: outcome.waitSeconds,
    ...(outcome.status === 'not-modified' ? { validators: outcome.validators } : {}),
    ...(newUrl !== undefined ? { newUrl } : {}),
  };
}

/** The Source's health keeps the short message; the run's problems say where it happened. */
function failed(
  source: SourceRow,
  outcome: FetchOutcome,
  status: FetchStatus,
  stage: 'fetch' | 'parse',
  message: string,
  newUrl?: string,
): SourceContent {
  return {
    items: [],
    appearances: [],
    documents: 0,
    problems: [{ where: source.id, message: `${stage}: ${source.id}: ${message}` }],
    fetch: record(outcome, status, message, newUrl),
  };
}
