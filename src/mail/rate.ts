/**
 * The pace of sending: a token bucket at `ratePerSecond` (the provider's limit)
 * that slows itself down when the server says it is too much, and speeds up
 * again gradually, as TCP does (halve on trouble, add a little per success):
 *
 * - a 4xx reply (421 "too many connections", 454, 451 ...) halves the rate, at
 *   most once per second, since the messages in flight at that moment all get
 *   the same reply; and a wait the server names ("try again in 30 seconds")
 *   holds every sender until it has passed;
 * - each success adds 1/50 of the configured rate back, so full speed returns
 *   after about fifty good messages, not at once.
 *
 * Plain time arithmetic; the clock and the sleep are given, so tests can drive it.
 */

export interface RateStats {
  /** Messages per second allowed now. */
  rate: number;
  /** The configured (and highest) rate. */
  max: number;
  /** The lowest rate it came down to. */
  lowest: number;
  /** How many times it slowed down. */
  slowdowns: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Never slower than this share of the configured rate, nor below one message a minute. */
const FLOOR_SHARE = 1 / 64;
/** Each success gives back this share of the configured rate. */
const RECOVERY_SHARE = 1 / 50;

export class AdaptiveRate {
  private rate: number;
  private tokens: number;
  private last: number;
  private holdUntil = 0;
  private lastSlowdown = -Infinity;
  private lowest: number;
  private slowdowns = 0;

  constructor(
    private readonly max: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(max > 0)) throw new RangeError(`mail: rate: expected messages per second above 0, got ${max}`);
    this.rate = max;
    this.lowest = max;
    this.tokens = 1;
    this.last = clock.now();
  }

  /** A tenth of a second's worth at most goes out at once: bursts stay small whatever the rate. */
  private burst(): number {
    return Math.max(1, Math.ceil(this.rate / 10));
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }

  /** Waits until one more message may start. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (this.holdUntil > now) {
        await this.clock.sleep(this.holdUntil - now);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.max(1, ((1 - this.tokens) * 1000) / this.rate));
    }
  }

  /** The server deferred a message: halve the rate (once per second at most) and honour its wait. */
  slowDown(waitMs: number | null = null): void {
    const now = this.clock.now();
    if (now - this.lastSlowdown >= 1000) {
      this.refill(now);
      this.rate = Math.max(this.floor(), this.rate / 2);
      this.tokens = Math.min(this.tokens, 0);
      this.lastSlowdown = now;
      this.slowdowns += 1;
      this.lowest = Math.min(this.lowest, this.rate);
    }
    if (waitMs !== null && waitMs > 0) this.holdUntil = Math.max(this.holdUntil, now + waitMs);
  }

  /** A message went through: a little of the rate comes back. */
  speedUp(): void {
    if (this.rate >= this.max) return;
    this.refill(this.clock.now());
    this.rate = Math.min(this.max, this.rate + this.max * RECOVERY_SHARE);
  }

  stats(): RateStats {
    return { rate: this.rate, max: this.max, lowest: this.lowest, slowdowns: this.slowdowns };
  }

  private floor(): number {
    return Math.max(1 / 60, this.max * FLOOR_SHARE);
  }
}
