/**
 * Being a polite client: one request at a time per host, a pause between them,
 * and reading what servers say about when to come back (Retry-After, max-age).
 */

export interface PolitenessOptions {
  /** Least time between the end of one request and the start of the next to the same host. */
  minGapMs: number;
}

/**
 * Serialises tasks per host. Each host has a promise chain (its "tail"): a task
 * starts after the previous task on that host has ended and `minGapMs` has passed,
 * whether that task succeeded or failed. Different hosts never wait for each other.
 */
export class HostPoliteness {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly options: PolitenessOptions) {}

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const key = host.toLowerCase();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(ignore, ignore).then(() => pause(this.options.minGapMs));
    this.tails.set(key, tail);
    // Forget an idle host once its gap is over, so the map does not grow with every host ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

function ignore(): void {}

/** A plain timer (not node:timers/promises) so tests can drive it with fake timers. */
function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * Seconds to wait from a Retry-After header (RFC 9110 10.2.3): either
 * delay-seconds or an HTTP-date. `now` should be the response's Date header when
 * it has one, so a server whose clock is off still gets the delay it meant.
 * Null when the header is missing or unreadable; a date in the past gives 0.
 */
export function retryAfterSeconds(header: string | null | undefined, now: Date | number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const date = parseHttpDate(value);
  if (date === null) return null;
  const nowMs = typeof now === 'number' ? now : now.getTime();
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/**
 * An HTTP-date (RFC 9110 5.6.7) in milliseconds, or null. Recipients must accept
 * IMF-fixdate, the obsolete RFC 850 form and asctime; asctime carries no zone
 * but means GMT, which Date.parse would otherwise read as local time.
 */
export function parseHttpDate(value: string): number | null {
  const text = value.trim();
  // Date.parse accepts almost anything ('-5' is a year): insist on a month name and a time of day.
  if (!/[A-Za-z]{3}/.test(text) || !/\d\d:\d\d:\d\d/.test(text)) return null;
  const asctime = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(text);
  const ms = Date.parse(asctime ? `${text} GMT` : text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The max-age directive of a Cache-Control header (RFC 9111 5.2.2.1), in seconds:
 * how long the answer stays fresh, so how long there is no point in asking again.
 * Null when absent or malformed; the first valid max-age wins.
 */
export function maxAgeSeconds(cacheControl: string | null | undefined): number | null {
  if (!cacheControl) return null;
  for (const directive of cacheControl.split(',')) {
    const match = /^\s*max-age\s*=\s*"?(\d+)"?\s*$/i.exec(directive);
    if (match) return Number(match[1]);
  }
  return null;
}
