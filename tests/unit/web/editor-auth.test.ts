/** Editor login pieces: scrypt password hashes, the cookie's settings, where a login may lead. */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { safeNext } from '../../../src/web/editor/auth.js';
import { hashPassword, verifyPassword } from '../../../src/web/editor/password.js';
import { cookieSettings } from '../../../src/web/editor/session.js';

describe('editor passwords', () => {
  it('are hashed with scrypt, a random salt and the parameters, and verified', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('verify hashes made with other parameters, and refuse malformed ones', async () => {
    // A hash of "correct horse battery" with N = 2^10 (as an older, cheaper setting would have stored it).
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const cheap = `scrypt$10$8$1$${salt.toString('base64')}$${scryptSync('correct horse battery', salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')}`;
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    for (const bad of ['', 'plain', 'scrypt$17$8$1$salt', 'bcrypt$17$8$1$c2FsdA==$aGFzaA==', 'scrypt$40$8$1$c2FsdA==$aGFzaA==', 'scrypt$x$8$1$c2FsdA==$aGFzaA==']) {
      expect(await verifyPassword('correct horse battery', bad), bad).toBe(false);
    }
  });

  it('need at least 10 characters', async () => {
    await expect(hashPassword('too short')).rejects.toThrow('editors: password: at least 10 characters');
  });
});

describe('the session cookie', () => {
  const config = (url: string, secureCookies: Config['web']['secureCookies']) => ({ site: { url }, web: { secureCookies, trustProxy: false } }) as Config;

  it('is Secure, with the __Host- prefix, when site.url is https (auto), or when the config says so', () => {
    expect(cookieSettings(config('https://news.example.org', 'auto'))).toEqual({
      name: '__Host-newsdesk-session',
      options: { httpOnly: true, sameSite: 'lax', secure: true, path: '/' },
    });
    expect(cookieSettings(config('http://news.example.org', true)).options.secure).toBe(true);
  });

  it('is not Secure over http (auto), or when the config turns it off', () => {
    expect(cookieSettings(config('http://127.0.0.1:8080', 'auto'))).toMatchObject({ name: 'newsdesk-session', options: { secure: false, httpOnly: true } });
    expect(cookieSettings(config('https://news.example.org', false)).options.secure).toBe(false);
  });
});

describe('where a login leads', () => {
  it('to a path of this site only', () => {
    expect(safeNext('/editions/2026-W47?x=1#story-a')).toBe('/editions/2026-W47?x=1#story-a');
    for (const next of ['', 'editions', '//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/ x']) {
      expect(safeNext(next), next).toBe('/editions');
    }
  });
});
