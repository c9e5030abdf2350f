/**
 * Every way a fetch of a Source can end, classified (DESIGN: Source health).
 * fetch.ts produces these; the ingest job stores them and decides when to try again.
 */

export type FetchFailure =
  | 'dns'
  | 'tls'
  | 'timeout'
  | 'connection'
  | 'http-4xx'
  | 'http-5xx'
  | 'rate-limited'
  | 'blocked'
  | 'gone'
  | 'too-large'
  | 'empty'
  | 'redirect-loop'
  | 'refused';

/** What a parse adds to the fetch outcomes (the body arrived but is no feed). */
export type ParseFailure = 'not-a-feed' | 'invalid-xml';

export type FetchStatus = 'ok' | 'not-modified' | FetchFailure | ParseFailure;

export interface FetchValidators {
  etag: string | null;
  lastModified: string | null;
}

interface FetchCommon {
  /** The address requested first. */
  url: string;
  /** The address the answer came from, after redirects. */
  finalUrl: string;
  /**
   * Where the Source now lives when every redirect on the way was permanent
   * (301/308): the Source's stored address is updated to it. Null otherwise.
   */
  movedTo: string | null;
  httpStatus: number | null;
  /** Seconds the server asks us to wait: Cache-Control max-age on success, Retry-After on 429/503. */
  waitSeconds: number | null;
  elapsedMs: number;
}

export interface FetchOk extends FetchCommon {
  status: 'ok';
  body: Buffer;
  /** The Content-Type header, with its charset parameter if any. */
  contentType: string | null;
  validators: FetchValidators;
}

export interface FetchNotModified extends FetchCommon {
  status: 'not-modified';
  validators: FetchValidators;
}

export interface FetchFailed extends FetchCommon {
  status: FetchFailure;
  /** Short and for people: `HTTP 503 Service Unavailable`, `refused: 10.0.0.1 is a private address`. */
  message: string;
}

export type FetchOutcome = FetchOk | FetchNotModified | FetchFailed;
