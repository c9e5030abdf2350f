import { describe, expect, it } from 'vitest';
import { MAILBOX_TOKEN_LENGTH, signMailboxToken, signToken, verifyMailboxToken, verifyToken } from '../../../src/mail/tokens.js';

const secret = 'a-secret-of-the-deployment-0123456789';
const subscriberId = '6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';

describe('signed tokens', () => {
  it('verifies a token for its purpose and Subscriber', () => {
    const token = signToken({ purpose: 'unsubscribe', subscriberId }, secret);
    expect(verifyToken(token, 'unsubscribe', secret)).toEqual({ ok: true, claims: { purpose: 'unsubscribe', subscriberId } });
  });

  it('refuses a forged, altered or foreign-secret token', () => {
    const token = signToken({ purpose: 'unsubscribe', subscriberId }, secret);
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify(['unsubscribe', 'someone-else', 0])).toString('base64url');
    expect(verifyToken(`${other}.${signature}`, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(verifyToken(`${payload}.${flipped}`, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(token, 'unsubscribe', 'another-secret-0123456789')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken('not a token', 'unsubscribe', secret)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(`${payload}.`, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never lets one purpose stand for another', () => {
    const token = signToken({ purpose: 'preferences', subscriberId }, secret);
    expect(verifyToken(token, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('expires when asked to', () => {
    const token = signToken({ purpose: 'confirm', subscriberId, expires: Date.UTC(2026, 11, 7) / 1000 }, secret);
    expect(verifyToken(token, 'confirm', secret, new Date(Date.UTC(2026, 11, 6)))).toMatchObject({ ok: true });
    expect(verifyToken(token, 'confirm', secret, new Date(Date.UTC(2026, 11, 8)))).toEqual({ ok: false, reason: 'expired' });
  });

  it('signs a mailbox token that names its Subscriber, in any case, and no other', () => {
    const token = signMailboxToken(subscriberId, secret);
    expect(token).toMatch(new RegExp(`^[0-9a-f]{${MAILBOX_TOKEN_LENGTH}}$`));
    expect(verifyMailboxToken(token, secret)).toBe(subscriberId);
    expect(verifyMailboxToken(token.toUpperCase(), secret)).toBe(subscriberId);
    const other = '0b0e0c6e-7d9f-4a52-9d59-0d6c5d0e6a01';
    // Another Subscriber's id with this one's signature, a flipped signature, another deployment's secret, cut short.
    expect(verifyMailboxToken(`${signMailboxToken(other, secret).slice(0, 32)}${token.slice(32)}`, secret)).toBeNull();
    expect(verifyMailboxToken(`${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`, secret)).toBeNull();
    expect(verifyMailboxToken(token, 'another-secret-0123456789')).toBeNull();
    expect(verifyMailboxToken(token.slice(0, -2), secret)).toBeNull();
    // Not the link token: neither stands for the other.
    expect(verifyToken(token, 'unsubscribe', secret)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyMailboxToken(signToken({ purpose: 'unsubscribe', subscriberId }, secret), secret)).toBeNull();
  });
});
