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
