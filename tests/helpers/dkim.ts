/**
 * A DKIM key for tests and the DNS it would need, without DNS: the private key
 * for `mail.dkim`, the TXT record an operator publishes at
 * `<selector>._domainkey.<domain>` (`v=DKIM1; k=rsa; p=<public key>`, RFC 6376
 * 3.6.1), and a resolver that answers only that name, for mailauth's verifier.
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';

export interface TestDkimKey {
  domain: string;
  selector: string;
  privateKey: string;
  /** The TXT record's text. */
  record: string;
  /** As node's dns.resolve(name, 'TXT'): chunks per record; ENOTFOUND for any other name. */
  resolver: (name: string, type: string) => Promise<string[][]>;
}

export function testDkimKey(domain = 'news.example.org', selector = 'nd2026'): TestDkimKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // p= is the SubjectPublicKeyInfo, DER, in base64: what `openssl rsa -pubout -outform der | base64` prints.
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const name = `${selector}._domainkey.${domain}`;
  return {
    domain,
    selector,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record,
    async resolver(asked, type) {
      if (asked.toLowerCase() === name && type === 'TXT') return [record.match(/.{1,255}/g)!];
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${asked}`), { code: 'ENOTFOUND' });
    },
  };
}

export interface DkimOutcome {
  result: string;
  comment: string | undefined;
  domain: string;
  selector: string | undefined;
  /** The header fields the signature covers, lower-case. */
  signed: string[];
}

/** The verdict on each DKIM signature of a raw message (none: an empty list). */
export async function verifyDkim(raw: Buffer | string, key: Pick<TestDkimKey, 'resolver'>): Promise<DkimOutcome[]> {
  const { results } = await dkimVerify(raw, { resolver: key.resolver as never });
  return results
    .filter((r) => r.status.result !== 'none')
    .map((r) => ({
      result: r.status.result,
      comment: r.status.comment || undefined,
      domain: r.signingDomain,
      selector: r.selector,
      signed: String((r as { signingHeaders?: { keys?: string } }).signingHeaders?.keys ?? '').toLowerCase().split(/\s*:\s*/).filter(Boolean),
    }));
}
