/**
 * DKIM signing settings (`mail.dkim`, RFC 6376): nodemailer signs every email
 * newsdesk sends with this key (src/mail/smtp.ts). The key is given inline
 * (`privateKey`, env NEWSDESK_DKIM_PRIVATE_KEY) or as a file (`privateKeyFile`,
 * relative to the config file, env NEWSDESK_DKIM_PRIVATE_KEY_FILE), and checked
 * when the configuration loads, so a bad key stops `newsdesk` at start rather
 * than every send: a PEM private key, RSA (nodemailer signs rsa-sha256 only),
 * of at least 1024 bits (RFC 8301 3.2: verifiers may ignore shorter keys).
 * A key that fails is a config error naming the setting, never showing the key.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, errorMessage } from './errors.js';

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1035 2.3.1). */
const dnsName = (what: string) =>
  z
    .string()
    .refine((name) => name.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label)), `${what}: a DNS name (letters, digits, - and dots)`);

export const dkimSchema = z
  .object({
    /** The signing domain (d=): the From address's domain, so DMARC finds DKIM aligned. Env: NEWSDESK_DKIM_DOMAIN. */
    domain: dnsName('the domain').refine((name) => name.includes('.'), 'a domain with a dot (e.g. news.example.org)'),
    /** The selector (s=): the public key is published at <selector>._domainkey.<domain>. Env: NEWSDESK_DKIM_SELECTOR. */
    selector: dnsName('the selector'),
    /** The RSA private key, PEM (`-----BEGIN PRIVATE KEY-----` ...). Env: NEWSDESK_DKIM_PRIVATE_KEY. */
    privateKey: z.string().optional(),
    /** Or the file holding it, relative to the config file (read at load). Env: NEWSDESK_DKIM_PRIVATE_KEY_FILE. */
    privateKeyFile: z.string().optional(),
  })
  .strict()
  .superRefine((dkim, ctx) => {
    if (dkim.privateKey === undefined) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'give the signing key: privateKey (PEM) or privateKeyFile' });
    else {
      const problem = keyProblem(dkim.privateKey);
      if (problem) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: problem });
    }
  })
  // The file was read into privateKey before validation (readDkimKeyFile): what is left is the key itself.
  .transform(({ domain, selector, privateKey }) => ({ domain: domain.toLowerCase(), selector, privateKey: privateKey! }));

export type DkimConfig = z.infer<typeof dkimSchema>;

/**
 * What is wrong with a signing key, or null. Says what kind of key it is, never
 * what it holds: Node's parse errors name the reason ("unsupported"), not the bytes.
 */
export function keyProblem(pem: string): string | null {
  // PKCS#8 `ENCRYPTED PRIVATE KEY`, or a traditional PEM with `Proc-Type: 4,ENCRYPTED`: the signer has no passphrase.
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem)) return 'an encrypted key: give it unencrypted (openssl pkey -in key.pem -out plain.pem)';
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return `not a PEM private key (${errorMessage(error)})`;
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return `not an RSA key (${key.asymmetricKeyType ?? 'unknown'}): DKIM signing here is rsa-sha256 (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) return `a ${bits}-bit RSA key: verifiers ignore keys under 1024 bits (RFC 8301), use 2048`;
  return null;
}

/**
 * Before validation: a `mail.dkim.privateKeyFile` is read (relative to the
 * config file) into `privateKey`, so the one check above covers both ways of
 * giving the key. Giving both is refused: which one signs would be a guess.
 * A PEM pasted into an environment variable with `\n` for its line breaks gets them back.
 */
export function readDkimKeyFile(raw: Record<string, unknown>, configFile: string): void {
  const mail = raw.mail as Record<string, unknown> | undefined;
  const dkim = mail?.dkim as Record<string, unknown> | undefined;
  if (!dkim || typeof dkim !== 'object') return;
  if (typeof dkim.privateKey === 'string' && !dkim.privateKey.includes('\n')) dkim.privateKey = dkim.privateKey.replaceAll('\\n', '\n');
  if (dkim.privateKeyFile === undefined) return;
  const key = 'mail.dkim.privateKeyFile';
  if (typeof dkim.privateKeyFile !== 'string' || dkim.privateKeyFile === '') throw new ConfigError(configFile, [{ key, message: 'expected the path of a PEM file' }]);
  if (dkim.privateKey !== undefined) throw new ConfigError(configFile, [{ key, message: 'give privateKey or privateKeyFile, not both' }]);
  const file = path.resolve(path.dirname(path.resolve(configFile)), dkim.privateKeyFile);
  try {
    dkim.privateKey = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(configFile, [{ key, message: `cannot read ${file}: ${errorMessage(error)}` }], { cause: error });
  }
  const problem = keyProblem(dkim.privateKey as string);
  if (problem) throw new ConfigError(configFile, [{ key, message: `${file}: ${problem}` }]);
  delete dkim.privateKeyFile;
}

/**
 * Why DMARC would not count the signature, or null. DMARC (RFC 7489 3.1.1)
 * passes on DKIM only when d= is aligned with the From address's domain:
 * relaxed (the default) needs the same organisational domain. Without the
 * public suffix list we accept the same name, or one under the other, which
 * covers a real setup; two sibling subdomains are refused with what to set.
 */
export function alignmentProblem(fromDomain: string, dkimDomain: string): string | null {
  const from = fromDomain.toLowerCase();
  if (from === dkimDomain || from.endsWith(`.${dkimDomain}`) || dkimDomain.endsWith(`.${from}`)) return null;
  return `${dkimDomain} is not the From address's domain (${from}) nor a parent of it: DMARC would not count the signature (set mail.dkim.domain to ${from}, or mail.from)`;
}
