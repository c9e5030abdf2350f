/**
 * The fetch adapter: one GET of a Source's address, conditional (ETag and
 * Last-Modified, RFC 9110 13.1), compressed, size-capped, time-limited, polite
 * per host, guarded against private addresses on every hop. Every ending is a
 * classified FetchOutcome; nothing a network or server does makes it throw.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Transform, Writable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { checkAddress, checkUrl, guardedLookup, parseAllowList, refusedCode, refusedError, urlPort, type AllowList } from './address-guard.js';
import { looksLikeChallenge } from './discover.js';
import type { FetchFailed, FetchFailure, FetchOutcome, FetchValidators } from './fetch-outcome.js';
import { maxAgeSeconds, parseHttpDate, retryAfterSeconds, type HostPoliteness } from './politeness.js';

export interface FetchRequest {
  url: string;
  /** From the last successful fetch: sent as If-None-Match / If-Modified-Since. */
  validators: FetchValidators;
  /** e.g. 'newsdesk/0.1 (+https://news.example.org)' */
  userAgent: string;
  /** IPs or CIDRs, each with an optional port, allowed even though private/loopback (config; tests allow '127.0.0.1'). */
  allowAddresses: string[];
  /**
   * The Source's own address, default `url`: an allowAddresses entry without a port allows its port only.
   * A feed address found on a page (discovery) is chosen by a server, like a redirect: pass the Source's here.
   */
  sourceUrl?: string;
  /** Until the socket is connected (DNS, TCP and TLS handshake), per hop. */
  connectTimeoutMs: number;
  /** Time spent talking to servers, summed over redirect hops; waits for politeness are not counted. */
  totalTimeoutMs: number;
  /** Cap on the DECOMPRESSED body. */
  maxBytes: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default: feed types, then html (for discovery). */
  accept?: string;
}

const defaultAccept =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, ' +
  'application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

/** Error bodies are read only to recognise challenge pages: the start is enough. */
const errorBodyBytes = 64 * 1024;

/** RFC 9110 15.4: the redirects we follow; 300/304/305 are not redirects to follow. */
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const permanentStatuses = new Set([301, 308]);

type Answer = { status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer };
type Failure = { failure: FetchFailure; message: string };
type Hop = Answer | Failure;
/** The fields every outcome has (FetchCommon). */
type Common = Omit<FetchFailed, 'status' | 'message'>;

export async function fetchFeed(request: FetchRequest, politeness: HostPoliteness): Promise<FetchOutcome> {
  const maxRedirects = request.maxRedirects ?? 5;
  let spentMs = 0;
  let url: URL | null = null;
  let permanent = true;
  const visited: string[] = [];
  const common = (httpStatus: number | null): Common => ({
    url: request.url,
    finalUrl: url?.href ?? request.url,
    // Only a chain of permanent redirects moves the Source (RFC 9110 15.4.2, 15.4.9); classify keeps it only on success.
    movedTo: permanent && visited.length > 1 && url ? url.href : null,
    httpStatus,
    waitSeconds: null,
    elapsedMs: Math.round(spentMs),
  });
  const fail = (failure: FetchFailure, message: string, httpStatus: number | null = null): FetchOutcome =>
    ({ ...common(httpStatus), movedTo: null, status: failure, message });

  try {
    url = new URL(request.url);
  } catch {
    return fail('refused', `not a URL: ${request.url}`);
  }
  const allow = parseAllowList(request.allowAddresses, request.sourceUrl ? new URL(request.sourceUrl) : url);
  for (;;) {
    const refusal = checkUrl(url, allow);
    if (refusal) return fail('refused', `refused: ${refusal}`);
    visited.push(url.href);
    const budgetMs = request.totalTimeoutMs - spentMs;
    if (budgetMs <= 0) return fail('timeout', `no complete answer within ${request.totalTimeoutMs} ms`);
    const target = url;
    const hop = await politeness.run(target.host, async () => {
      const started = performance.now();
      const answer = await requestHop(target, request, allow, budgetMs); // never rejects
      spentMs += performance.now() - started;
      return answer;
    });
    if ('failure' in hop) return fail(hop.failure, hop.message);

    const { status, headers } = hop;
    const location = redirectStatuses.has(status) ? headers.location : undefined;
    if (location !== undefined) {
      let next: URL;
      try {
        next = new URL(location, url); // RFC 9110 10.2.2: Location may be relative to the request.
      } catch {
        return fail('http-4xx', `HTTP ${status} with an unusable Location: ${location}`, status);
      }
      if (visited.includes(next.href)) return fail('redirect-loop', `redirect loop: ${[...visited, next.href].join(' -> ')}`, status);
      if (visited.length > maxRedirects) return fail('redirect-loop', `more than ${maxRedirects} redirects`, status);
      permanent &&= permanentStatuses.has(status);
      url = next;
      continue;
    }
    return classify(hop, request, common(status));
  }
}

/** Turns the last answer (not a redirect) into an outcome. */
function classify(answer: Answer, request: FetchRequest, base: Common): FetchOutcome {
  const { status, statusText, headers, body } = answer;
  const contentType = headers['content-type'] ?? null;
  const validators = (fallback: FetchValidators): FetchValidators => ({
    etag: headers.etag ?? fallback.etag,
    lastModified: headers['last-modified'] ?? fallback.lastModified,
  });
  const fresh = maxAgeSeconds(headers['cache-control']);
  const line = `HTTP ${status} ${statusText}`.trim();
  const failed = (failure: FetchFailure, message = line, waitSeconds: number | null = null): FetchOutcome =>
    ({ ...base, movedTo: null, status: failure, message, waitSeconds });
  // A Retry-After date is meant relative to the server's clock: use its Date header when it has one.
  const retry = (): number | null => retryAfterSeconds(headers['retry-after'], parseHttpDate(headers.date ?? '') ?? Date.now());

  // RFC 9110 15.4.5: 304 means our stored copy is current; a 304 may carry updated validators (RFC 9111 4.3.4).
  if (status === 304) return { ...base, status: 'not-modified', validators: validators(request.validators), waitSeconds: fresh };
  if (headers['cf-mitigated'] === 'challenge' || looksLikeChallenge(body, contentType)) {
    return failed('blocked', `blocked: HTTP ${status}, a bot-wall or challenge page`);
  }
  if (status === 429) return failed('rate-limited', undefined, retry());
  // 451 (RFC 7725) is a refusal by the site like 403: neither retrying nor fixing the address helps.
  if (status === 403 || status === 451) return failed('blocked');
  if (status === 410) return failed('gone');
  if (status >= 500) return failed('http-5xx', undefined, status === 503 ? retry() : null);
  if (status >= 300 && status < 400) return failed('http-4xx', `${line} without a redirect to follow`);
  if (status < 200 || status >= 300) return failed('http-4xx');
  if (body.toString('latin1').trim() === '') return failed('empty', `empty body (HTTP ${status})`);
  return { ...base, status: 'ok', body, contentType, validators: validators({ etag: null, lastModified: null }), waitSeconds: fresh };
}

/** One request/response exchange, body included, within `budgetMs`. */
function requestHop(url: URL, request: FetchRequest, allow: AllowList, budgetMs: number): Promise<Hop> {
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = {
      'user-agent': request.userAgent,
      accept: request.accept ?? defaultAccept,
      'accept-encoding': 'gzip, deflate, br',
    };
    // Sent on every hop: a redirecting server ignores them, the final one compares (RFC 9110 13.2.2).
    if (request.validators.etag) headers['if-none-match'] = request.validators.etag;
    if (request.validators.lastModified) headers['if-modified-since'] = request.validators.lastModified;

    // agent: false gives every request its own socket, so each one goes through our lookup.
    let req: http.ClientRequest;
    try {
      req = (secure ? https : http).request(url, { method: 'GET', headers, agent: false, lookup: guardedLookup(allow, urlPort(url)) });
    } catch (error) {
      return resolve(classifyError(error)); // e.g. a header value Node will not send
    }
    let settled = false;
    const finish = (hop: Hop): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      req.destroy();
      resolve(hop);
    };
    const timeout = (message: string) => () => finish({ failure: 'timeout', message });
    const totalTimer = setTimeout(timeout(`no complete answer within ${request.totalTimeoutMs} ms`), budgetMs);
    const connectTimer = setTimeout(timeout(`could not connect to ${url.host} within ${request.connectTimeoutMs} ms`), Math.min(request.connectTimeoutMs, budgetMs));

    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        // Belt and braces: the address and port actually connected to, whatever resolved them, before a byte is sent.
        const refusal = socket.remoteAddress ? checkAddress(socket.remoteAddress, socket.remotePort ?? urlPort(url), allow) : null;
        if (refusal) req.destroy(refusedError(refusal));
        else if (!secure) clearTimeout(connectTimer);
      });
      if (secure) socket.once('secureConnect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => finish(classifyError(error)));
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      const success = status >= 200 && status < 300;
      // Redirect and 304 bodies are not needed; error pages only to spot challenge pages.
      const wanted = success ? request.maxBytes : redirectStatuses.has(status) || status === 304 ? 0 : errorBodyBytes;
      readBody(res, wanted, success).then(
        (body) => finish(body === 'too-large' ? { failure: 'too-large', message: `body larger than ${request.maxBytes} bytes` } : { status, statusText: res.statusMessage ?? '', headers: res.headers, body }),
        (error: unknown) => finish(classifyError(error, 'body: ')),
      );
    });
    req.end();
  });
}

/** Stops a body pipeline on purpose: the size cap was reached. */
class Enough extends Error {}

/**
 * Reads and decodes a body, stopping as soon as the DECODED size passes `limit`:
 * a gzip bomb is cut off after `limit` bytes of output, never expanded in memory.
 * With `strict` false (error pages) the body is cut at `limit` instead, and a body
 * that breaks off keeps what arrived: a 503 with a broken page is still a 503.
 */
async function readBody(res: IncomingMessage, limit: number, strict: boolean): Promise<Buffer | 'too-large'> {
  const codings = (res.headers['content-encoding'] ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  if (strict && codings.length === 0 && Number(res.headers['content-length']) > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  let raw = 0;
  // The encoded size is capped too (with room for framing): a stream that decodes to nothing never ends otherwise.
  const rawLimit = limit + Math.ceil(limit / 100) + 1024;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      raw += chunk.length;
      done(raw > rawLimit ? new Enough() : null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const kept = chunk.subarray(0, limit - size);
      chunks.push(kept);
      size += kept.length;
      done(kept.length < chunk.length ? new Enough() : null);
    },
  });
  try {
    if (limit === 0) throw new Enough();
    // Codings are listed in the order they were applied (RFC 9110 8.4.1): undo the last first.
    await pipeline(res, counter, ...codings.reverse().map(decoder), sink);
  } catch (error) {
    res.destroy();
    if (strict) {
      if (error instanceof Enough) return 'too-large';
      throw error;
    }
  }
  return Buffer.concat(chunks);
}

function decoder(coding: string): Duplex {
  // createUnzip reads gzip and zlib-wrapped deflate alike, tolerating servers that mix up the two labels.
  if (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate') return zlib.createUnzip();
  if (coding === 'br') return zlib.createBrotliDecompress();
  throw new Error(`unsupported Content-Encoding ${coding}`);
}

/** Maps a Node network, TLS, HTTP-parser or zlib error to a failure class and a short message. */
function classifyError(error: unknown, prefix = ''): Failure {
  const inner: unknown = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const e = (inner instanceof Error ? inner : new Error(String(inner))) as NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number };
  const code = e.code ?? '';
  if (code === refusedCode) return { failure: 'refused', message: `refused: ${e.message}` };
  if (/^(ENOTFOUND|EAI_|ENODATA|ESERVFAIL|ENONAME)/.test(code)) return { failure: 'dns', message: `DNS: cannot resolve ${e.hostname ?? 'the host'} (${code})` };
  if (/^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO)/.test(code)) {
    // OpenSSL messages are long and technical: keep the reason ("wrong version number").
    return { failure: 'tls', message: `TLS: ${/SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1] ?? e.message}` };
  }
  if (code === 'ETIMEDOUT') return { failure: 'timeout', message: `timed out: ${e.message}` };
  if (code === 'ECONNREFUSED') return { failure: 'connection', message: `connection refused by ${e.address && e.port ? `${e.address}:${e.port}` : 'the server'}` };
  if (code === 'ECONNRESET') return { failure: 'connection', message: `${prefix}connection reset by the server` };
  return { failure: 'connection', message: `${prefix}${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}` };
}
