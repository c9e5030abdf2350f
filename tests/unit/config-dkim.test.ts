/**
 * The DKIM settings (`mail.dkim`): the signing key inline or from a file,
 * from the file or the environment, checked when the configuration loads. A
 * key that cannot sign is refused naming the setting, never showing the key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-dkim-'));
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsa = (modulusLength: number) => pem(generateKeyPairSync('rsa', { modulusLength }).privateKey);
const key = rsa(2048);
writeFileSync(path.join(folder, 'dkim.pem'), key);
// A PEM that is no key, with a marker that must never show in an error.
const NOT_A_KEY = '-----BEGIN PRIVATE KEY-----\nMARKERc2VjcmV0LWJ5dGVzLW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----\n';
writeFileSync(path.join(folder, 'broken.pem'), NOT_A_KEY);

/** A config file with these lines under `mail:`. */
function configWith(mail: string): string {
  const file = path.join(mkdtempSync(path.join(folder, 'config-')), 'newsdesk.yaml');
  writeFileSync(file, `site: { title: Desk, url: "https://news.example.org" }\nsources:\n  - { id: archive, kind: archive, name: Archive, path: pages }\nmail:\n${mail}\n`);
  return file;
}

function refusal(file: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig(file, env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('mail.dkim', () => {
  it('is off unless set', () => {
    expect(loadConfig(configWith('  batchSize: 10'), {}).mail.dkim).toBeUndefined();
  });

  it('reads the key from a file relative to the config file, and lower-cases the domain', () => {
    const file = configWith(`  dkim: { domain: News.Example.org, selector: nd2026, privateKeyFile: ../dkim.pem }`);
    expect(loadConfig(file, {}).mail.dkim).toEqual({ domain: 'news.example.org', selector: 'nd2026', privateKey: key });
  });

  it('takes everything from the environment, the key with \\n for its line breaks as env files often hold it, over the file\'s key', () => {
    const env = { NEWSDESK_DKIM_DOMAIN: 'news.example.org', NEWSDESK_DKIM_SELECTOR: 'env', NEWSDESK_DKIM_PRIVATE_KEY: key.replaceAll('\n', '\\n') };
    expect(loadConfig(configWith('  from: weekly@news.example.org'), env).mail.dkim).toEqual({ domain: 'news.example.org', selector: 'env', privateKey: key });
    // A key file from the environment takes the place of the file's inline key, and the other way round.
    const inline = configWith(`  dkim: { domain: news.example.org, selector: s1, privateKey: "not used" }`);
    expect(loadConfig(inline, { NEWSDESK_DKIM_PRIVATE_KEY_FILE: path.join(folder, 'dkim.pem') }).mail.dkim?.privateKey).toBe(key);
    const fromFile = configWith(`  dkim: { domain: news.example.org, selector: s1, privateKeyFile: ../broken.pem }`);
    expect(loadConfig(fromFile, { NEWSDESK_DKIM_PRIVATE_KEY: key }).mail.dkim?.privateKey).toBe(key);
  });

  it('refuses a key that is no PEM key, naming the setting and never showing the key', () => {
    const inline = refusal(configWith('  dkim: { domain: news.example.org, selector: s1 }'), { NEWSDESK_DKIM_PRIVATE_KEY: NOT_A_KEY });
    expect(inline).toMatch(/^config: environment NEWSDESK_DKIM_PRIVATE_KEY \(mail\.dkim\.privateKey\): not a PEM private key \(/);
    const file = refusal(configWith('  dkim: { domain: news.example.org, selector: s1, privateKeyFile: ../broken.pem }'));
    expect(file).toContain(`mail.dkim.privateKeyFile: ${path.join(folder, 'broken.pem')}: not a PEM private key`);
    for (const message of [inline, file]) {
      expect(message).not.toContain('MARKER');
      expect(message).not.toContain('BEGIN PRIVATE KEY');
    }
    expect(refusal(configWith('  dkim: { domain: news.example.org, selector: s1, privateKeyFile: ../missing.pem }'))).toContain(
      `mail.dkim.privateKeyFile: cannot read ${path.join(folder, 'missing.pem')}: ENOENT`,
    );
  });

  it('refuses keys that cannot sign rsa-sha256 or that verifiers ignore, and says what to do', () => {
    const dkim = (privateKey: string) => refusal(configWith('  dkim: { domain: news.example.org, selector: s1 }'), { NEWSDESK_DKIM_PRIVATE_KEY: privateKey });
    expect(dkim(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey))).toContain('(mail.dkim.privateKey): not an RSA key (ec): DKIM signing here is rsa-sha256');
    expect(dkim(rsa(512))).toContain('(mail.dkim.privateKey): a 512-bit RSA key: verifiers ignore keys under 1024 bits (RFC 8301), use 2048');
    const encrypted = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(dkim(encrypted)).toContain('(mail.dkim.privateKey): an encrypted key: give it unencrypted');
  });

  it('needs the signing domain aligned with the From address, as DMARC does', () => {
    const env = { NEWSDESK_DKIM_PRIVATE_KEY: key };
    // The default From is at the site's host (news.example.org); a parent domain is aligned too.
    expect(loadConfig(configWith('  dkim: { domain: example.org, selector: s1 }'), env).mail.dkim?.domain).toBe('example.org');
    expect(loadConfig(configWith('  from: "Desk <weekly@example.org>"\n  dkim: { domain: example.org, selector: s1 }'), env).mail.dkim?.domain).toBe('example.org');
    expect(refusal(configWith('  dkim: { domain: other.example.net, selector: s1 }'), env)).toContain(
      "mail.dkim.domain: other.example.net is not the From address's domain (news.example.org) nor a parent of it: DMARC would not count the signature",
    );
    expect(refusal(configWith('  from: "Desk <weekly@mail.example.org>"\n  dkim: { domain: news.example.org, selector: s1 }'), env)).toContain(
      "(mail.example.org) nor a parent of it",
    );
  });

  it('needs a key, a domain and a selector, and one key only', () => {
    expect(refusal(configWith('  dkim: { domain: news.example.org, selector: s1 }'))).toContain('mail.dkim.privateKey: give the signing key: privateKey (PEM) or privateKeyFile');
    expect(refusal(configWith('  dkim: { selector: s1 }'), { NEWSDESK_DKIM_PRIVATE_KEY: key })).toContain('mail.dkim.domain:');
    expect(refusal(configWith('  dkim: { domain: news.example.org, selector: "bad selector" }'), { NEWSDESK_DKIM_PRIVATE_KEY: key })).toContain(
      'mail.dkim.selector: the selector: a DNS name',
    );
    expect(refusal(configWith(`  dkim: { domain: news.example.org, selector: s1, privateKey: x, privateKeyFile: ../dkim.pem }`))).toContain(
      'mail.dkim.privateKeyFile: give privateKey or privateKeyFile, not both',
    );
  });
});
