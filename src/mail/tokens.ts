/**
 * Signed tokens in the links of emails (confirm a subscription, unsubscribe,
 * preferences): no login, so the link itself must prove who it is for. A token
 * is `<payload>.<signature>`, both base64url: the payload names the purpose,
 * the Subscriber's id and an expiry; the signature is HMAC-SHA256 over it with
 * the deployment's secret. Subscriber ids are random UUIDs, so tokens cannot be
 * enumerated, and one purpose's token never works for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  /** Seconds since the epoch; absent: never expires (unsubscribe links must work in old emails). */
  expires?: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' };

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`newsdesk-token:${payload}`).digest();
}

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify([claims.purpose, claims.subscriberId, claims.expires ?? 0])).toString('base64url');
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

export function verifyToken(token: string, purpose: TokenPurpose, secret: string, now: Date = new Date()): TokenCheck {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'number') return { ok: false, reason: 'malformed' };
  const [tokenPurpose, subscriberId, expires] = parsed as [TokenPurpose, string, number];
  if (tokenPurpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (expires !== 0 && expires * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { purpose, subscriberId, ...(expires !== 0 ? { expires } : {}) } };
}

/**
 * The token in an unsubscribe mailbox address (`unsubscribe+<token>@host`, the
 * mailto: of List-Unsubscribe): the Subscriber's id and 64 bits of an HMAC
 * over it, in lowercase hex, 48 characters. Not the link token: a local part
 * holds at most 64 octets (RFC 5321 4.5.3.1.1), mail systems may change its
 * case, and it only ever unsubscribes. Guessing one takes the Subscriber's
 * random id and then 2^63 tries by email on average.
 */
export const MAILBOX_TOKEN_LENGTH = 48;

function mailboxMac(id: string, secret: string): string {
  return createHmac('sha256', secret).update(`newsdesk-token:mailbox-unsubscribe:${id}`).digest('hex').slice(0, 16);
}

export function signMailboxToken(subscriberId: string, secret: string): string {
  const hex = subscriberId.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError(`tokens: subscriber id "${subscriberId}" is not a UUID`);
  return `${hex}${mailboxMac(subscriberId.toLowerCase(), secret)}`;
}

/** The Subscriber id a mailbox token was signed for, or null when it was not signed with this secret. */
export function verifyMailboxToken(token: string, secret: string): string | null {
  const match = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})([0-9a-f]{16})$/.exec(token.toLowerCase());
  if (!match) return null;
  const id = match.slice(1, 6).join('-');
  const given = Buffer.from(match[6]!, 'hex');
  return timingSafeEqual(given, Buffer.from(mailboxMac(id, secret), 'hex')) ? id : null;
}
