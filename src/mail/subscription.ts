/**
 * Asking to subscribe (the public form, its JSON twin, `newsdesk subscribers
 * add`): double opt-in. A new address becomes a pending Subscriber and gets a
 * confirmation email; a pending one asking again gets another, at most one per
 * RESEND_MINUTES; a confirmed or suppressed one gets nothing. The web pages
 * answer every case alike, and before any of this work (SubscriptionIntake), so
 * nobody learns who subscribes from the answer or from how long it took.
 */
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Queryable } from '../store/db.js';
import { signingSecret } from '../store/secrets.js';
import { addSubscriber, claimConfirmationMail } from '../store/subscribers.js';
import { mailConfirmation } from './confirm-email.js';
import { smtpTransport } from './smtp.js';
import type { AddOutcome, Subscriber } from './subscriber.js';

/** Least time between two confirmation emails to one pending address: the form must not become a way to flood an inbox. */
export const RESEND_MINUTES = 10;

export interface SubscriptionRequest {
  email: string;
  name: string | null;
  topics: string[];
  /** How they asked: `form <ip>`, `api <ip>`, `cli <who>`. */
  consent: string;
}

export interface SubscriptionOutcome {
  outcome: AddOutcome;
  subscriber: Subscriber | null;
  /** Whether a confirmation email is due now. */
  mail: boolean;
}

/** Stores the request; says whether to send a confirmation email. An existing Subscriber's name and Topics stay as they are. */
export async function requestSubscription(db: Queryable, request: SubscriptionRequest): Promise<SubscriptionOutcome> {
  const { outcome, subscriber } = await addSubscriber(db, request);
  if (outcome === 'added') return { outcome, subscriber, mail: true };
  if (outcome === 'exists' && subscriber?.status === 'pending') {
    return { outcome, subscriber, mail: await claimConfirmationMail(db, subscriber.id, RESEND_MINUTES) };
  }
  return { outcome, subscriber, mail: false };
}

/** Most requests waiting to be stored; more are dropped (and logged): a flood of requests must not fill the memory. */
export const MAX_WAITING = 1000;

/**
 * Where a web request's subscription goes once it has been answered. The
 * answer must not tell a new address from a known one, and storing a new one
 * (and rendering its email) takes longer than finding a known one: so the
 * answer goes out before any of that work, the same for every address, and
 * the work follows here.
 */
export interface SubscriptionIntake {
  /**
   * Takes a checked request and returns at once. Requests are stored one after
   * another, in the order taken (a second request for an address sees the
   * first one stored), and the confirmation emails they call for are handed to
   * the mailer. A failure is logged (without the address): the asker already
   * has the same answer as everybody else.
   */
  take(request: SubscriptionRequest): void;
  /** Resolves once every request taken so far is stored (its email may still be under way). */
  idle(): Promise<void>;
}

export function subscriptionIntake(db: Queryable, mailer: Pick<ConfirmationMailer, 'sendLater'>, log: Logger): SubscriptionIntake {
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;
  const store = async (request: SubscriptionRequest) => {
    const { outcome, subscriber, mail } = await requestSubscription(db, request);
    log.debug({ outcome, subscriber: subscriber?.id ?? null, mail }, 'subscribe: request stored');
    if (mail && subscriber) mailer.sendLater(subscriber);
  };
  return {
    take(request) {
      if (waiting >= MAX_WAITING) {
        log.error({ waiting }, 'subscribe: request dropped: too many waiting to be stored (is the database answering?)');
        return;
      }
      waiting += 1;
      tail = tail
        .then(() => store(request))
        .catch((error: unknown) => log.error({ err: errorMessage(error) }, 'subscribe: request not stored'))
        .finally(() => {
          waiting -= 1;
        });
    },
    idle: () => tail,
  };
}

export interface ConfirmationMailer {
  /** False without mail.smtpUrl: nothing can be sent. */
  readonly configured: boolean;
  /** Sends now; resolves when the SMTP server took it, rejects with a NewsdeskError otherwise. */
  send(subscriber: Pick<Subscriber, 'id' | 'email' | 'name'>): Promise<void>;
  /**
   * Sends in the background for a web request, which answers at once: a slow
   * or failing SMTP server neither delays the answer nor shows in it; the
   * outcome is logged (with the Subscriber's id, not the address).
   */
  sendLater(subscriber: Pick<Subscriber, 'id' | 'email' | 'name'>): void;
  /** Waits for the emails under way, then closes the SMTP connections. */
  close(): Promise<void>;
}

/** One per process: the pooled SMTP transport is made on the first email, the signing key read once. */
export function confirmationMailer(config: Config, db: Queryable, log: Logger): ConfirmationMailer {
  let transport: Transporter | null = null;
  let secret: Promise<string> | null = null;
  const underWay = new Set<Promise<void>>();
  const configured = config.mail.smtpUrl !== '';

  const send = async (subscriber: Pick<Subscriber, 'id' | 'email' | 'name'>) => {
    transport ??= smtpTransport(config.mail);
    // A failed read is not kept: the next email tries again.
    secret ??= signingSecret(db, config.secret).catch((error: unknown) => {
      secret = null;
      throw error;
    });
    await mailConfirmation(transport, config, await secret, subscriber);
  };

  return {
    configured,
    send,
    sendLater(subscriber) {
      if (!configured) {
        log.warn({ subscriber: subscriber.id }, 'subscribe: no confirmation email sent: no SMTP server configured (mail.smtpUrl, NEWSDESK_SMTP_URL)');
        return;
      }
      const sending = send(subscriber).then(
        () => log.info({ subscriber: subscriber.id }, 'subscribe: confirmation email sent'),
        (error: unknown) => log.error({ subscriber: subscriber.id, err: errorMessage(error) }, 'subscribe: confirmation email not sent'),
      );
      underWay.add(sending);
      void sending.finally(() => underWay.delete(sending));
    },
    async close() {
      await Promise.allSettled([...underWay]);
      transport?.close();
      transport = null;
    },
  };
}
