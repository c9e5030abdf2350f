/**
 * DKIM (issue 16 item 14): with `mail.dkim` set, every email newsdesk sends is
 * signed, and the signature verifies on the message as a real SMTP server
 * (smtp-server, in this process) received it. The verifier is mailauth's, a
 * maintained one, with a resolver that answers the TXT record docs/operating.md tells
 * operators to publish (no DNS). Negative controls: a message changed on the
 * way fails, and without `mail.dkim` nothing is signed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { renderEdition } from '../../src/digest/render.js';
import { mailConfirmation } from '../../src/mail/confirm-email.js';
import { subscriberLinks } from '../../src/mail/links.js';
import { editionMessage } from '../../src/mail/message.js';
import { Sender } from '../../src/mail/sender.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import type { StoredEntry } from '../../src/digest/edition.js';
import { testDkimKey, verifyDkim, type TestDkimKey } from '../helpers/dkim.js';
import { storedEdition } from '../helpers/editions.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';

const SECRET = 'a-test-secret-of-at-least-32-characters';
let sink: SmtpSink;
let key: TestDkimKey;
let config: Config;

beforeAll(async () => {
  sink = await startSmtpSink();
  key = testDkimKey('news.example.org', 'nd2026');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsdesk-dkim-')), 'newsdesk.yaml');
  writeFileSync(
    file,
    [
      'site: { title: News Desk, url: "https://news.example.org" }',
      'organisation: { postalAddress: "12 Example Street" }',
      'sources:\n  - { id: archive, kind: archive, name: Archive, path: pages }',
      'mail:\n  from: "News Desk <weekly@news.example.org>"\n  dkim: { domain: news.example.org, selector: nd2026 }',
    ].join('\n'),
  );
  // As an operator would deploy it: the key in the environment, the rest in the file.
  config = loadConfig(file, { NEWSDESK_SMTP_URL: sink.url, NEWSDESK_DKIM_PRIVATE_KEY: key.privateKey });
});
afterAll(async () => {
  await sink?.close();
});

const entry = (n: number): StoredEntry => ({
  storyId: `st_${n}`,
  title: `Story ${n}: défecteurs & “quotes”`,
  url: `https://outlet.example/${n}`,
  outlet: 'NK News',
  published: { at: new Date('2026-11-20T00:00:00Z'), precision: 'time' },
  summary: `Summary ${n}. ${'A long sentence that makes the body wrap in quoted-printable. '.repeat(4)}`,
  reportedBy: [],
  repostedBy: [],
  pinned: false,
  section: 'escape',
  sectionLabel: 'Escape',
});

const received = (to: string): SinkMessage => {
  const message = sink.messages.find((m) => m.to.includes(to));
  if (!message) throw new Error(`no message to ${to}`);
  return message;
};

describe('DKIM signing', () => {
  it('signs an Edition email: it verifies as received, covers the list headers, and fails once changed', async () => {
    const sender = Sender.fromConfig(config.mail);
    try {
      const email = await renderEdition(storedEdition([entry(1), entry(2)]), {
        site: { title: 'News Desk', url: 'https://news.example.org' },
        organisation: { name: 'News Desk', postalAddress: '12 Example Street' },
        links: subscriberLinks(config, SECRET, 'sub-1'),
      });
      const message = editionMessage(config, email, { email: 'ana@example.org', name: 'Ana Kim', messageId: '<edition-2026-W47.sub-1@news.example.org>' }, subscriberLinks(config, SECRET, 'sub-1'));
      expect(await sender.send(message)).toEqual({ kind: 'sent' });
    } finally {
      sender.close();
    }
    const raw = received('ana@example.org').raw!;
    const [signature, ...others] = await verifyDkim(raw, key);
    expect(others).toEqual([]);
    expect(signature).toMatchObject({ result: 'pass', domain: 'news.example.org', selector: 'nd2026' });
    // RFC 8058 section 4: one-click unsubscribe counts only when both list headers are signed.
    expect(signature!.signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id']));

    // Negative controls: a word of the body, or the subject, changed after signing.
    const text = raw.toString('latin1');
    const body = text.indexOf('\r\n\r\n');
    const tamperedBody = text.slice(0, body) + text.slice(body).replace('Summary 1.', 'Summary 9.');
    expect(tamperedBody).not.toBe(text);
    // mailauth reports a body hash mismatch as neutral, with why: anything but pass.
    expect(await verifyDkim(Buffer.from(tamperedBody, 'latin1'), key)).toMatchObject([{ result: 'neutral', comment: 'body hash did not verify' }]);
    const tamperedHeader = text.replace(/^Subject: /m, 'Subject: FREE ');
    expect(await verifyDkim(Buffer.from(tamperedHeader, 'latin1'), key)).toMatchObject([{ result: 'fail' }]);
    // A key other than the one published does not verify either.
    expect(await verifyDkim(raw, testDkimKey('news.example.org', 'nd2026'))).toMatchObject([{ result: 'fail' }]);
  });

  it('signs the confirmation email too (the same transport)', async () => {
    const transport = smtpTransport(config.mail);
    try {
      await mailConfirmation(transport, config, SECRET, { id: 'sub-2', email: 'ben@example.org', name: null });
    } finally {
      transport.close();
    }
    expect(await verifyDkim(received('ben@example.org').raw!, key)).toMatchObject([{ result: 'pass', domain: 'news.example.org' }]);
  });

  it('signs nothing without mail.dkim', async () => {
    const transport = smtpTransport({ ...config.mail, dkim: undefined });
    try {
      await mailConfirmation(transport, config, SECRET, { id: 'sub-3', email: 'cat@example.org', name: null });
    } finally {
      transport.close();
    }
    const message = received('cat@example.org');
    expect(message.headers.some((h) => h.name.toLowerCase() === 'dkim-signature')).toBe(false);
    expect(await verifyDkim(message.raw!, key)).toEqual([]);
  });
});
