/**
 * What an SMTP failure means for one Delivery, from the error nodemailer gives
 * (its `responseCode`, `response`, `command` and `code`):
 *
 * - `deferred`: a 4xx reply (RFC 5321 4.2.1: transient), at any stage — 421
 *   "closing channel", 450/451/452, 454 — send it again later, slower;
 * - `bounced`: a 5xx reply to RCPT TO (the server refuses this recipient: 550
 *   no such user, 553 ...), or a 5xx to DATA with an enhanced status 5.1.x (bad
 *   mailbox, RFC 3463): never mail that address again;
 * - `rejected`: a 5xx to DATA for any other reason (content or policy): this
 *   message failed, the address is not to blame;
 * - `config`: the server refused us, not the recipient (authentication, the
 *   sender address at MAIL FROM): no retry helps until the config changes;
 * - `error`: anything else (connection refused or dropped, timeout, TLS): retry
 *   later with backoff.
 */

export type SmtpFailure =
  | { kind: 'deferred'; reply: string; waitMs: number | null }
  | { kind: 'bounced'; reply: string }
  | { kind: 'rejected'; reply: string }
  | { kind: 'config'; reply: string }
  | { kind: 'error'; reply: string };

interface NodemailerError {
  message?: string;
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

/** Longest wait honoured from a reply's text; a longer one is capped (the Delivery is retried anyway). */
export const MAX_SERVER_WAIT_MS = 15 * 60_000;

/**
 * A wait the server names in its reply: "try again in 30 seconds", "retry after
 * 2 minutes", "please try again later in 10s". Null when it names none.
 */
export function serverWait(reply: string): number | null {
  const match = /\b(?:try|retry)(?:\s+again)?(?:\s+later)?\s+(?:in|after)\s+(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/i.exec(reply);
  if (!match) return null;
  const unit = match[2]!.toLowerCase();
  const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1_000;
  return Math.min(MAX_SERVER_WAIT_MS, Math.round(Number(match[1]) * factor));
}

/** One line for logs and the Delivery's last_error: the server's reply when there was one. */
function replyText(error: NodemailerError): string {
  const text = (error.response ?? error.message ?? String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

export function classifySmtpError(thrown: unknown): SmtpFailure {
  const error = (thrown ?? {}) as NodemailerError;
  const reply = replyText(error);
  const code = error.responseCode;
  if (error.code === 'EAUTH') return { kind: 'config', reply };
  if (typeof code === 'number' && code >= 400 && code < 500) return { kind: 'deferred', reply, waitMs: serverWait(reply) };
  if (typeof code === 'number' && code >= 500 && code < 600) {
    const command = (error.command ?? '').toUpperCase();
    if (command.startsWith('RCPT')) return { kind: 'bounced', reply };
    if (command === 'DATA') return /\b5\.1\.\d{1,3}\b/.test(reply) ? { kind: 'bounced', reply } : { kind: 'rejected', reply };
    // MAIL FROM, AUTH, EHLO: about us, not the recipient.
    return { kind: 'config', reply };
  }
  return { kind: 'error', reply };
}
