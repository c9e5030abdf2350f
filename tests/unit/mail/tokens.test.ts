import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../src/mail/tokens.js';

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
});
