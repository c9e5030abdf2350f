/**
 * One Subscriber's history, read from the rows that already record each step:
 * the Subscriber's own (subscribed with what consent, confirmed), its
 * Deliveries (each Edition, with what became of it and why), and its
 * suppression (unsubscribed, bounced, complained: the first reason stays, and
 * nothing about the address changes after it). No event table: every step
 * is already stored where it happens, once.
 */
import type { Queryable } from './db.js';
import type { DeliveryStatus } from './deliveries.js';
import { getSubscriber, getSuppression } from './subscribers.js';
import type { Subscriber, SuppressionReason } from '../mail/subscriber.js';

export type HistoryEvent =
  | { kind: 'subscribed'; at: Date; consent: string }
  | { kind: 'confirmed'; at: Date }
  | {
      kind: 'delivery';
      /** When it was sent; for one not sent, when it was last tried, else when sending the Edition started. */
      at: Date;
      editionId: string;
      subject: string;
      status: DeliveryStatus;
      attempts: number;
      /** Why it was not sent (the SMTP server's reply, a skip's reason); null when sent. */
      detail: string | null;
    }
  | { kind: SuppressionReason; at: Date; detail: string | null };

export interface SubscriberHistory {
  subscriber: Subscriber;
  /** Oldest first. */
  events: HistoryEvent[];
}

interface DeliveryRow {
  editionId: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  detail: string | null;
  at: Date;
}

export async function subscriberHistory(db: Queryable, id: string): Promise<SubscriberHistory | undefined> {
  const subscriber = await getSubscriber(db, id);
  if (!subscriber) return undefined;
  const deliveries = await db.query<DeliveryRow>(
    `select d.edition_id as "editionId", e.subject, d.status, d.attempts, d.last_error as detail,
       coalesce(d.sent_at, d.sending_at, d.created_at) as at
     from deliveries d join editions e on e.id = d.edition_id
     where d.subscriber_id = $1`,
    [id],
  );
  const suppression = await getSuppression(db, subscriber.email);
  const events: HistoryEvent[] = [{ kind: 'subscribed', at: subscriber.createdAt, consent: subscriber.consent }];
  if (subscriber.confirmedAt) events.push({ kind: 'confirmed', at: subscriber.confirmedAt });
  for (const delivery of deliveries) events.push({ kind: 'delivery', ...delivery });
  if (suppression) events.push({ kind: suppression.reason, at: suppression.at, detail: suppression.detail });
  // Stable: steps stored in the same instant keep the order above (subscribed, confirmed, deliveries, the end).
  events.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  return { subscriber, events };
}
