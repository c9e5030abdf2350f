/**
 * Secrets a request brings (the dashboard token, the webhook secret, the
 * editor form's CSRF token, a link token's signature) are compared with
 * crypto.timingSafeEqual on values of a fixed length (SHA-256 digests, or
 * HMAC-SHA256 signatures): the time an answer takes says nothing of how much
 * of a guess was right, nor of the secret's length. What is checked here is
 * that every comparison, right or wrong guess, short or long, goes through
 * timingSafeEqual with two 32-byte buffers; the timing itself is not measured.
 */
import type * as Crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const { timingSafeEqual } = vi.hoisted(() => ({ timingSafeEqual: vi.fn() }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  timingSafeEqual.mockImplementation(actual.timingSafeEqual);
  return { ...actual, default: { ...actual, timingSafeEqual }, timingSafeEqual };
});

const { basicAuthMatches } = await import('../../../src/web/admin.js');
const { bearerMatches } = await import('../../../src/web/subscribe/webhook.js');
const { csrfMatches, maskCsrfToken } = await import('../../../src/web/editor/session.js');
const { signToken, verifyToken } = await import('../../../src/mail/tokens.js');

const TOKEN = 'an-admin-token-0123456789';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

/** The calls to timingSafeEqual since the last reset, as the lengths of the two buffers compared. */
const comparedLengths = () => timingSafeEqual.mock.calls.map(([a, b]) => [(a as Buffer).length, (b as Buffer).length]);

beforeEach(() => {
  timingSafeEqual.mockClear();
});

describe('comparing secrets', () => {
  it('compares the dashboard token as equal-length digests, whatever the guess', () => {
    for (const [guess, ok] of [[TOKEN, true], ['x', false], [`${TOKEN.slice(0, -1)}x`, false], [`${TOKEN}${'y'.repeat(100)}`, false]] as const) {
      timingSafeEqual.mockClear();
      expect(basicAuthMatches(basic(guess), TOKEN), guess).toBe(ok);
      expect(comparedLengths(), guess).toEqual([[32, 32]]);
    }
  });

  it('compares the mail webhook secret as equal-length digests, whatever the guess', () => {
    const secret = 'a-webhook-secret-0123456789';
    for (const [guess, ok] of [[secret, true], ['short', false], [`${secret}-and-longer`, false]] as const) {
      timingSafeEqual.mockClear();
      expect(bearerMatches(`Bearer ${guess}`, secret), guess).toBe(ok);
      expect(comparedLengths(), guess).toEqual([[32, 32]]);
    }
  });

  it("compares an editor form's CSRF token as equal-length digests, whatever the guess", () => {
    const session = { id: 'h', editorId: 1, email: 'ana@example.org', name: 'Ana', csrfToken: 'the-session-csrf-token-0123456789', flash: null, expiresAt: new Date() };
    const masked = maskCsrfToken(session.csrfToken);
    for (const [guess, ok] of [[masked, true], [session.csrfToken, false], ['x', false], [`${masked}xx`, false], [maskCsrfToken(`${session.csrfToken}x`), false]] as const) {
      timingSafeEqual.mockClear();
      expect(csrfMatches(session, guess), guess).toBe(ok);
      expect(comparedLengths(), guess).toEqual([[32, 32]]);
    }
  });

  it("compares a link token's signature in constant time", () => {
    const secret = 'a-link-signing-secret-of-32-characters!';
    const token = signToken({ purpose: 'unsubscribe', subscriberId: 'b2c1d7e0-0000-4000-8000-000000000001' }, secret);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(verifyToken(token, 'unsubscribe', secret).ok).toBe(true);
    expect(verifyToken(forged, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
    ]);
  });
});
