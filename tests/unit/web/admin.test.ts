/** The dashboard's Basic auth check: the password must be the token, whatever the user name (RFC 7617). */
import { describe, expect, it } from 'vitest';
import { basicAuthMatches } from '../../../src/web/admin.js';

const TOKEN = 'an-admin-token:with-a-colon';
const basic = (credentials: string, scheme = 'Basic') => `${scheme} ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('basicAuthMatches', () => {
  it('accepts the token as the password under any user name (the password may hold colons)', () => {
    expect(basicAuthMatches(basic(`admin:${TOKEN}`), TOKEN)).toBe(true);
    expect(basicAuthMatches(basic(`:${TOKEN}`), TOKEN)).toBe(true);
    // The scheme name is case-insensitive (RFC 7235).
    expect(basicAuthMatches(basic(`editor:${TOKEN}`, 'basic'), TOKEN)).toBe(true);
  });

  it('refuses anything else', () => {
    for (const header of [
      undefined,
      '',
      basic(`admin:${TOKEN.slice(0, -1)}X`),
      basic(`admin:${TOKEN} `),
      basic(`${TOKEN}:`),
      basic(TOKEN),
      `Bearer ${TOKEN}`,
      `Basic ${TOKEN}`,
      `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}!`,
    ]) {
      expect(basicAuthMatches(header, TOKEN), String(header)).toBe(false);
    }
  });
});
