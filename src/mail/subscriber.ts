/**
 * A Subscriber and the suppression list, as the mail step sees them (the store
 * maps its rows to these): an address that unsubscribed, bounced or complained
 * is never mailed again. Status moves: pending -> confirmed (double opt-in) ->
 * unsubscribed | bounced | complained.
 */

/** Longest name kept: it goes into the To header. */
export const MAX_NAME = 100;

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

export interface Subscriber {
  id: string;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  /** Topic slugs wanted; empty: every section. */
  topics: string[];
  consent: string;
  createdAt: Date;
  confirmedAt: Date | null;
}

export type AddOutcome = 'added' | 'exists' | 'suppressed';

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  at: Date;
}
