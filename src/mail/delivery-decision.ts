/**
 * What one SMTP answer means for its Delivery, decided apart from the
 * bookkeeping that carries it out (src/mail/send-batch.ts): the Delivery's new
 * status, whether its address is suppressed, whether it is tried again in this
 * job and after how long, and whether the job stops.
 */
import type { SendOutcome } from './sender.js';

/** A Delivery deferred (or cut off) this many times in one job is left pending for a later job. */
export const DEFERRALS_PER_JOB = 3;
/** After this many SMTP attempts in all, a deferred (or always cut off) Delivery is given up as failed. */
export const MAX_ATTEMPTS = 10;
/**
 * This many connection errors in a row, with no message sent between them, and
 * the server is taken to be down: the job stops and BullMQ retries it later
 * (a dropped connection now and then is retried inside the job).
 */
export const ERRORS_IN_A_ROW = 5;
/** Longest wait for a deferred Delivery inside a job; a longer one is left to a later job. */
export const MAX_WAIT_IN_JOB_MS = 60_000;

export interface DeliveryAttempt {
  outcome: SendOutcome;
  /** SMTP attempts for this Delivery so far, this one included. */
  attempts: number;
  /** Times this Delivery was already put back to pending in this job. */
  triesInJob: number;
  /** Connection errors in a row before this answer, in this job. */
  errorsInARow: number;
}

export interface DeliveryDecision {
  status: 'sent' | 'bounced' | 'failed' | 'pending';
  /** What is stored as the Delivery's last error (the server's reply, or why it was given up). */
  detail: string | null;
  /** The address refused for good: never mailed again. */
  suppress: boolean;
  /** Pending: tried again in this job after this long; null leaves it to a later job. */
  againInMs: number | null;
  /** The job stops after this Delivery: the server refuses us (no retry helps), or it seems down (retry the job later). */
  stop: 'refused-us' | 'server-down' | null;
  errorsInARow: number;
}

export function decideDelivery({ outcome, attempts, triesInJob, errorsInARow }: DeliveryAttempt): DeliveryDecision {
  const errors = outcome.kind === 'error' ? errorsInARow + 1 : 0;
  const done = (status: DeliveryDecision['status'], detail: string | null, suppress = false): DeliveryDecision => ({ status, detail, suppress, againInMs: null, stop: null, errorsInARow: errors });
  if ((outcome.kind === 'deferred' || outcome.kind === 'error') && attempts >= MAX_ATTEMPTS) {
    return done('failed', `${outcome.kind === 'error' ? 'cut off' : 'deferred'} ${attempts} times, given up: ${outcome.reply}`);
  }
  switch (outcome.kind) {
    case 'sent':
      return done('sent', null);
    case 'bounced':
      return done('bounced', outcome.reply, true);
    case 'rejected':
      return done('failed', outcome.reply);
    case 'config':
      return { ...done('pending', outcome.reply), stop: 'refused-us' };
    case 'deferred':
      return { ...done('pending', outcome.reply), againInMs: againIn(triesInJob + 1, outcome.waitMs) };
    case 'error':
      // Dropped mid-message or refused: the server may or may not have it; sent again (same Message-ID).
      if (errors >= ERRORS_IN_A_ROW) return { ...done('pending', outcome.reply), stop: 'server-down' };
      return { ...done('pending', outcome.reply), againInMs: againIn(triesInJob + 1, null) };
  }
}

/** Tried again in this job after 1 s, 2 s ... (or the server's wait), unless that is too often or too long. */
function againIn(times: number, waitMs: number | null): number | null {
  const wait = waitMs ?? 1000 * 2 ** (times - 1);
  return times < DEFERRALS_PER_JOB && wait <= MAX_WAIT_IN_JOB_MS ? wait : null;
}
