/**
 * `POST /webhooks/mail`: the mail provider (or a relay's bounce processor)
 * reports hard bounces and spam complaints, and the addresses go on the
 * suppression list: never mailed again. Only there when `mail.webhookSecret`
 * (env NEWSDESK_WEBHOOK_SECRET) is set; otherwise the path is a 404.
 *
 *   Authorization: Bearer <mail.webhookSecret>
 *   Content-Type: application/json
 *   {"type": "bounce" | "complaint", "email": "...", "detail"?: "..."}   or an array of them
 *
 * Answers 200 with counts: `{"bounced", "complained", "unknown", "alreadySuppressed", "invalid": [{index, error}]}`.
 * Addresses we have no Subscriber for are suppressed too (they must never be
 * mailed, whatever a later import says); an address already suppressed keeps
 * its first reason. An entry that is not an address is reported and skipped,
 * not failed for the whole batch: sending it again would not fix it.
 * 401 without the right secret, 400 when the body is not of that shape.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorMessage, InputError } from '../../errors.js';
import { parseAddress } from '../../mail/address.js';
import type { Runtime } from '../../runtime.js';
import { getSuppression, subscriberByEmail, suppress } from '../../store/subscribers.js';

/** Most reports in one request. */
export const MAX_REPORTS = 1000;

const report = z.object({
  type: z.enum(['bounce', 'complaint']),
  email: z.string().max(320),
  detail: z.string().max(1000).optional(),
});
const body = z.union([report, z.array(report).max(MAX_REPORTS)]);

export interface WebhookCounts {
  bounced: number;
  complained: number;
  /** Addresses without a Subscriber (suppressed all the same). */
  unknown: number;
  alreadySuppressed: number;
  invalid: { index: number; error: string }[];
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether the Authorization header carries the secret, compared in constant time (of equal-length digests). */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(secret));
}

export function registerMailWebhook(scope: FastifyInstance, runtime: Runtime, secret: string): void {
  const { db, log } = runtime;
  scope.post('/webhooks/mail', {
    // Before the body is read: a caller without the secret learns nothing, not even whether its body would parse.
    onRequest: async (request, reply) => {
      if (bearerMatches(request.headers.authorization, secret)) return;
      return reply.code(401).header('www-authenticate', 'Bearer realm="newsdesk mail webhook"').send({ error: 'webhook: wrong or missing Authorization: Bearer <mail.webhookSecret>' });
    },
    handler: async (request, reply) => {
      const parsed = body.safeParse(request.body);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
        return reply.code(400).send({ error: `webhook: expected {"type": "bounce"|"complaint", "email": "...", "detail"?: "..."} or an array of them: ${problems.join('; ')}` });
      }
      const reports = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      const counts: WebhookCounts = { bounced: 0, complained: 0, unknown: 0, alreadySuppressed: 0, invalid: [] };
      for (const [index, entry] of reports.entries()) {
        let email: string;
        try {
          email = parseAddress(entry.email, `webhook: report ${index}`);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          counts.invalid.push({ index, error: errorMessage(error) });
          continue;
        }
        if (await getSuppression(db, email)) {
          counts.alreadySuppressed += 1;
          continue;
        }
        if (!(await subscriberByEmail(db, email))) counts.unknown += 1;
        const reason = entry.type === 'bounce' ? 'bounced' : 'complained';
        await suppress(db, email, reason, `webhook${entry.detail ? `: ${entry.detail}` : ''}`);
        counts[reason] += 1;
      }
      // Counts only: the addresses are personal data and stay out of the log.
      log.info({ ...counts, invalid: counts.invalid.length }, 'mail webhook: addresses suppressed');
      return reply.send(counts);
    },
  });
}
