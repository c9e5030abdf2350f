/**
 * Sending one batch of an Edition's Deliveries (the send job's service, workers/send.ts).
 *
 *   the Edition as it is now: paused -> stop, the batch waits for resume; not sending (sent, or cancelled) -> nothing to do
 *   -> the batch's lock (one runner per batch across processes), its pending and stale `sending` Deliveries
 *   -> for each, a few at a time (one per SMTP connection), at the sender's rate:
 *        suppressed meanwhile, or no Story in their Topics -> skipped, with why
 *        the email for their preference set (rendered once) + their signed links -> the message
 *        mark `sending` (committed; refused when paused or cancelled meanwhile: stop after the messages in flight)
 *        -> SMTP -> sent | bounced (+ suppressed) | failed,
 *        or pending again: deferred (4xx) or cut off (connection dropped), retried in this job after a wait, else in a later one;
 *        several connection errors in a row: the server is down, the job stops
 *   -> every Delivery final? the Edition is sent (once, under its row lock), and its public page published
 *
 * Deferred Deliveries left over, or an error, fail the job after the
 * bookkeeping, so BullMQ retries it with backoff; a permanent problem (no
 * SMTP server, the server refusing our login or sender) is a permanent
 * NewsdeskError, which fails the job without retries (workers/main.ts).
 */
import { withLinks } from '../digest/personalise.js';
import { renderContext, type RenderContext } from '../digest/render.js';
import type { SendMailOptions } from 'nodemailer';
import { errorMessage, InputError, isPermanent, NewsdeskError } from '../errors.js';
import { decideDelivery } from './delivery-decision.js';
import { runLanes } from './lanes.js';
import { subscriberLinks } from './links.js';
import type { Mailer } from './mailer.js';
import { editionMessage } from './message.js';
import { queuePublish } from '../publish/changes.js';
import { editionPageUrl } from '../publish/editions.js';
import { jobIds, type JobDeps, type SendBatchPayload } from '../queue/jobs.js';
import type { SendResult } from '../queue/results.js';
import { finishEdition, markDone, markPending, markSending, openDeliveries, sendingState, type OpenDelivery } from '../store/deliveries.js';
import { getEdition } from '../store/editions.js';
import type { Edition } from '../digest/edition.js';
import { signingSecret } from '../store/secrets.js';
import { suppress } from '../store/subscribers.js';

export async function sendBatch({ editionId, batch }: SendBatchPayload, deps: JobDeps): Promise<SendResult> {
  const log = deps.log.child({ job: 'send', editionId, batch });
  const { db, config } = deps;
  const result: SendResult = { editionId, batch, stopped: null, sent: 0, bounced: 0, failed: 0, skipped: 0, deferred: 0, finished: false, renders: 0, rate: null };

  const edition = await getEdition(db, editionId);
  if (!edition) throw new NewsdeskError('not_found', `send: edition ${editionId}: no such Edition`, { permanent: true });
  const state = await sendingState(db, editionId);
  if (state?.pausedAt) return { ...result, stopped: 'paused' };
  if (edition.status !== 'sending') return { ...result, stopped: 'not-sending' };

  const mailer = processMailer(deps);
  const secret = await signingSecret(db, config.secret);
  const context = renderContext(config, { webVersion: editionPageUrl(config.site.url, editionId) });
  const deliver = deliverer({ deps, edition, mailer, secret, context, result });

  let error: unknown = null;
  try {
    // One runner per batch at a time, in any process: so a `sending` row found here is one whose runner died.
    await db.withLock(jobIds.send(editionId, batch), async () => {
      const deliveries = await openDeliveries(db, editionId, batch);
      await runLanes(deliveries, mailer.sender.lanes, deliver, { stop: () => result.stopped !== null });
    });
  } catch (thrown) {
    error = thrown;
  }

  result.finished = await finishEdition(db, editionId);
  if (result.finished) await queuePublish(db, deps.jobs);
  result.renders = mailer.renders.count;
  result.rate = mailer.sender.stats();
  log.info(result, result.stopped === 'paused' ? 'paused' : 'batch sent');

  if (error !== null || result.deferred > 0) throw incomplete(error, result);
  return result;
}

/** The process's Mailer; no SMTP server configured is for the operator to fix, not for a retry. */
function processMailer(deps: JobDeps): Mailer {
  try {
    return deps.mailer.get();
  } catch (error) {
    throw new NewsdeskError('smtp_failed', `send: ${errorMessage(error)}`, { permanent: true, cause: error });
  }
}

interface DeliveryContext {
  deps: JobDeps;
  edition: Edition;
  mailer: Mailer;
  secret: string;
  context: RenderContext;
  result: SendResult;
}

/** The work for one Delivery; returns a wait when the server deferred it and it is to be tried again in this job. */
function deliverer({ deps, edition, mailer, secret, context, result }: DeliveryContext) {
  const { db, config } = deps;
  const editionId = edition.id;
  // Times each Delivery was put back to pending in this job (decideDelivery's triesInJob).
  const deferrals = new Map<string, number>();
  let errorsInARow = 0;
  return async (delivery: OpenDelivery): Promise<{ againInMs: number } | void> => {
    const id = delivery.subscriberId;
    const skip = delivery.suppressed
      ? 'the address is on the suppression list'
      : delivery.subscriberStatus !== 'confirmed'
        ? `the Subscriber is ${delivery.subscriberStatus}`
        : null;
    const render = skip ? null : mailer.renders.forTopics(edition, delivery.topics, context);
    if (skip || !render) {
      await markDone(db, editionId, id, 'skipped', skip ?? `no Story of this Edition is in their Topics (${delivery.topics.join(', ')})`);
      result.skipped += 1;
      return;
    }
    const links = subscriberLinks(config, secret, id);
    const email = withLinks(await render, links, editionId);
    let message: SendMailOptions;
    try {
      message = editionMessage(config, email, { email: delivery.email, name: delivery.name, messageId: delivery.messageId }, links);
    } catch (error) {
      // A name or address that would break a header (a line break in it): this Delivery fails, the batch goes on.
      if (!(error instanceof InputError)) throw error;
      await markDone(db, editionId, id, 'failed', error.message);
      result.failed += 1;
      return;
    }

    // An editor's pause or cancel stops the batch before its next message (the claim checks); the ones in flight finish.
    if (!(await markSending(db, editionId, id))) {
      result.stopped = (await sendingState(db, editionId))?.status === 'sending' ? 'paused' : 'not-sending';
      return;
    }
    delivery.attempts += 1;
    const outcome = await mailer.sender.send(message);
    const decision = decideDelivery({ outcome, attempts: delivery.attempts, triesInJob: deferrals.get(id) ?? 0, errorsInARow });
    errorsInARow = decision.errorsInARow;
    if (decision.status === 'pending') {
      await markPending(db, editionId, id, decision.detail!);
      if (decision.stop === 'refused-us') {
        throw new NewsdeskError('smtp_failed', `the SMTP server refused us, not the recipient (check mail.smtpUrl and mail.from): ${decision.detail}`, { permanent: true });
      }
      // This answer's count: another lane may have added to the shared one while markPending waited.
      if (decision.stop === 'server-down') throw new Error(`SMTP: ${decision.errorsInARow} connection errors in a row: ${decision.detail}`);
      deferrals.set(id, (deferrals.get(id) ?? 0) + 1);
      if (decision.againInMs !== null) return { againInMs: decision.againInMs };
      result.deferred += 1;
      return;
    }
    const { status, detail } = decision;
    if (decision.suppress) {
      // The server refused this recipient for good: never mail the address again.
      await db.transaction(async (tx) => {
        await markDone(tx, editionId, id, status, detail);
        await suppress(tx, delivery.email, 'bounced', detail ?? '');
      });
    } else {
      await markDone(db, editionId, id, status, detail);
    }
    result[status] += 1;
  };
}

/**
 * The job's error when its batch is not done: the cause, or the Deliveries the
 * server kept deferring. It carries the result, so the metrics still count the
 * messages this attempt did send.
 */
function incomplete(error: unknown, result: SendResult): Error {
  const what = `send: edition ${result.editionId} batch ${result.batch}`;
  const failure =
    error !== null && isPermanent(error)
      ? new NewsdeskError((error as NewsdeskError).code, `${what}: ${errorMessage(error)}`, { permanent: true, cause: error })
      : error !== null
        ? new NewsdeskError('send_failed', `${what}: ${errorMessage(error)}`, { cause: error })
        : new NewsdeskError('send_deferred', `${what}: ${result.deferred} Deliveries deferred or cut off by the SMTP server; they stay pending and are retried`);
  return Object.assign(failure, { result });
}
