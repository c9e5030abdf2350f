/**
 * The send decision for one Delivery, as a table: each SMTP answer, with the
 * Delivery's attempts so far, its tries in this job and the connection errors
 * in a row, gives one outcome (src/mail/send-batch.ts carries it out).
 */
import { describe, expect, it } from 'vitest';
import { decideDelivery, ERRORS_IN_A_ROW, MAX_ATTEMPTS, type DeliveryAttempt, type DeliveryDecision } from '../../../src/mail/delivery-decision.js';

const base = { attempts: 1, triesInJob: 0, errorsInARow: 0 };
const sent = { kind: 'sent' } as const;
const deferred = (waitMs: number | null = null) => ({ kind: 'deferred', reply: '451 4.7.1 try later', waitMs }) as const;
const error = { kind: 'error', reply: 'ECONNRESET' } as const;

const cases: [string, DeliveryAttempt, Partial<DeliveryDecision>][] = [
  ['accepted', { ...base, outcome: sent }, { status: 'sent', detail: null, suppress: false, againInMs: null, stop: null, errorsInARow: 0 }],
  ['accepted after connection errors: the count starts again', { ...base, errorsInARow: 3, outcome: sent }, { status: 'sent', errorsInARow: 0 }],
  ['refused for good (5xx to RCPT): bounced, the address suppressed', { ...base, outcome: { kind: 'bounced', reply: '550 5.1.1 no such user' } }, { status: 'bounced', detail: '550 5.1.1 no such user', suppress: true, stop: null }],
  ['refused for its content (5xx to DATA): failed, the address kept', { ...base, outcome: { kind: 'rejected', reply: '554 5.7.1 spam' } }, { status: 'failed', detail: '554 5.7.1 spam', suppress: false }],
  ['deferred the first time: again in 1 s', { ...base, outcome: deferred() }, { status: 'pending', againInMs: 1000, stop: null }],
  ['deferred the second time: again in 2 s', { ...base, triesInJob: 1, outcome: deferred() }, { status: 'pending', againInMs: 2000 }],
  ['deferred the third time in this job: left to a later job', { ...base, triesInJob: 2, outcome: deferred() }, { status: 'pending', againInMs: null, stop: null }],
  ['deferred with the server naming its wait: that wait', { ...base, outcome: deferred(30_000) }, { status: 'pending', againInMs: 30_000 }],
  ['deferred for longer than a job waits: left to a later job', { ...base, outcome: deferred(120_000) }, { status: 'pending', againInMs: null }],
  [`deferred at the ${MAX_ATTEMPTS}th attempt: given up, failed`, { ...base, attempts: MAX_ATTEMPTS, outcome: deferred() }, { status: 'failed', detail: `deferred ${MAX_ATTEMPTS} times, given up: 451 4.7.1 try later` }],
  [`cut off at the ${MAX_ATTEMPTS}th attempt: given up, failed`, { ...base, attempts: MAX_ATTEMPTS, outcome: error }, { status: 'failed', detail: `cut off ${MAX_ATTEMPTS} times, given up: ECONNRESET` }],
  ['cut off once: sent again in this job (same Message-ID)', { ...base, outcome: error }, { status: 'pending', againInMs: 1000, stop: null, errorsInARow: 1 }],
  [`the ${ERRORS_IN_A_ROW}th connection error in a row: the server is down, the job stops`, { ...base, errorsInARow: ERRORS_IN_A_ROW - 1, outcome: error }, { status: 'pending', stop: 'server-down', errorsInARow: ERRORS_IN_A_ROW }],
  ['the server refuses us (login, sender): pending, the job stops for good', { ...base, outcome: { kind: 'config', reply: '535 5.7.8 bad credentials' } }, { status: 'pending', detail: '535 5.7.8 bad credentials', stop: 'refused-us' }],
];

describe('decideDelivery', () => {
  it.each(cases)('%s', (_, attempt, expected) => {
    expect(decideDelivery(attempt)).toMatchObject(expected);
  });

  it('never suppresses an address but on a bounce, and never waits without the Delivery pending', () => {
    for (const [, attempt] of cases) {
      const decision = decideDelivery(attempt);
      expect(decision.suppress).toBe(decision.status === 'bounced');
      if (decision.againInMs !== null || decision.stop !== null) expect(decision.status).toBe('pending');
    }
  });
});
