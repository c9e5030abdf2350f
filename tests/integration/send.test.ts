/**
 * Sending an Edition through a real SMTP server (smtp-server in this process)
 * from the bundled samples' Edition, on PostgreSQL:
 * - every message's headers as they came over the wire: one List-Unsubscribe
 *   with the https and mailto links (signed for that Subscriber), the one-click
 *   header, List-Id, the Delivery's own Message-ID, a DKIM signature that
 *   verifies; HTML and text parts;
 * - Topic preferences: only the sections asked for, rendered once per
 *   preference set, none at all (skipped) when no Story is left; the subject
 *   and preheader naming only Stories of the reader's own email;
 * - 421 replies slow the sender down and lose nobody; a 550 bounces and
 *   suppresses the address, which the next Edition leaves out;
 * - pause stops the sending command, resume finishes it; with Redis the
 *   workers send and the command follows; the metrics count the emails.
 * And once on the embedded store (PGlite), `edition send` as a command runs.
 */
import { PassThrough } from 'node:stream';
import { DomUtils, parseDocument } from 'htmlparser2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../workers/embedded.js';
import { sendEdition } from '../../src/cli/sending.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { verifyMailboxToken, verifyToken } from '../../src/mail/tokens.js';
import { pauseSending } from '../../src/mail/sending.js';
import { editionPageUrl } from '../../src/publish/editions.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { deliveryReport } from '../../src/store/deliveries.js';
import { getEdition, moveEdition } from '../../src/store/editions.js';
import type { Edition } from '../../src/digest/edition.js';
import { getSuppression, suppress } from '../../src/store/subscribers.js';
import type { SendResult } from '../../src/queue/results.js';
import { startWorkers } from '../../workers/main.js';
import { REDIS_URL, testQueuePrefix } from '../helpers/redis.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { testDkimKey, verifyDkim } from '../helpers/dkim.js';
import { addSubscribers, copyEdition, deliveriesOf, sendHere } from '../helpers/sending.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let sink: SmtpSink;
let config: Config;
let runtime: Runtime;
let composed: Edition;
const dkim = testDkimKey('news.example.org', 'weekly');

beforeAll(async () => {
  sink = await startSmtpSink();
  const base = await sampleConfig('postgres', cleanups, { processed: true });
  config = {
    ...base,
    secret: SECRET,
    mail: { ...base.mail, smtpUrl: sink.url, ratePerSecond: 500, connections: 2, batchSize: 4, unsubscribeMailbox: 'unsubscribe@news.example.org', webhookSecret: 'webhook-secret-0123456789', dkim: { domain: dkim.domain, selector: dkim.selector, privateKey: dkim.privateKey } },
  };
  const run = await runPipeline(config, log, { command: 'compose', queues: ['compose'] });
  runtime = await openRuntime(config, log);
  composed = (await getEdition(runtime.db, run.edition!.editionId))!;
}, 120_000);
afterAll(async () => {
  await runtime?.close();
  await sink?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const ofEdition = (id: string) => sink.messages.filter((m) => m.messageId?.startsWith(`<edition-${id}.`));
const header = (message: SinkMessage, name: string) => message.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const visibleText = (html: string) => oneLine(DomUtils.textContent(parseDocument(html)));
const results = (records: { result?: unknown }[]) => records.map((r) => r.result as SendResult).filter(Boolean);
/** A default subject names a Story: its title, or its first whole clauses, after the site's name when both fit (src/digest/compose.ts). */
const names = (subject: string, title: string) => {
  const named = subject.replace(`${config.site.title}: `, '');
  return named.length > 0 && oneLine(title).startsWith(named);
};

describe('sending an Edition (PostgreSQL, a real SMTP server)', () => {
  let sections: string[];

  it('sends each Subscriber one message with the list headers, their own signed links, HTML and text, and only their sections', async () => {
    sections = [...new Set(composed.entries.map((e) => e.section).filter((s): s is string => s !== null))];
    expect(sections.length).toBeGreaterThanOrEqual(3);
    // x and y: two sections without the Story the whole Edition's subject names, so ben's, cat's and dan's subjects must name another.
    const lead = composed.entries.find((e) => names(composed.subject, e.title));
    expect(lead, composed.subject).toBeDefined();
    const [x, y] = sections.filter((section) => section !== lead!.section) as [string, string];
    const ids = await addSubscribers(runtime.db, [
      { email: 'ana@example.org', name: 'Ana Kim' },
      { email: 'ben@example.org', topics: [x] },
      { email: 'cat@example.org', topics: [x, y] },
      // The same preference set as cat's, however it is written: one render for both.
      { email: 'dan@example.org', topics: [y, x, 'a-topic-no-longer-there'] },
      { email: 'eve@example.org', topics: ['a-topic-no-longer-there'] },
      { email: 'fay@example.org', status: 'pending' },
      { email: 'gus@example.org' },
    ]);
    await suppress(runtime.db, 'gus@example.org', 'unsubscribed', 'one-click');
    await copyEdition(runtime.db, composed.id, '2099-W01');

    const records = await sendHere(runtime, '2099-W01');
    expect(records.map((r) => r.error ?? null)).toEqual([null, null]);
    // Three preference sets (everything, x, x+y) rendered once each across both batches; eve's leaves nothing.
    expect(runtime.mailer.get().renders.count).toBe(3);
    expect(results(records).at(-1)).toMatchObject({ renders: 3, finished: true });

    const deliveries = await deliveriesOf(runtime.db, '2099-W01');
    expect([...deliveries.keys()].sort()).toEqual(['ana@example.org', 'ben@example.org', 'cat@example.org', 'dan@example.org', 'eve@example.org']);
    expect(deliveries.get('eve@example.org')).toMatchObject({ status: 'skipped', lastError: expect.stringContaining('no Story of this Edition is in their Topics') });
    expect((await getEdition(runtime.db, '2099-W01'))!.status).toBe('sent');
    expect(await deliveryReport(runtime.db, '2099-W01')).toMatchObject({ total: 5, sent: 4, skipped: 1, pending: 0, sending: 0, status: 'sent' });

    const messages = ofEdition('2099-W01');
    expect(messages.map((m) => m.to.join()).sort()).toEqual(['ana@example.org', 'ben@example.org', 'cat@example.org', 'dan@example.org']);
    const want: Record<string, (string | null)[]> = {
      'ana@example.org': [...sections, ...(composed.entries.some((e) => e.section === null) ? [null] : [])],
      'ben@example.org': [x],
      'cat@example.org': [x, y],
      'dan@example.org': [x, y],
    };
    for (const message of messages) {
      const to = message.to[0]!;
      const delivery = deliveries.get(to)!;
      // The raw header lines: each list header exactly once.
      expect(header(message, 'Message-ID')).toEqual([delivery.messageId]);
      expect(delivery.messageId).toBe(`<edition-2099-W01.${ids.get(to)}@news.example.org>`);
      const unsubscribe = header(message, 'List-Unsubscribe');
      expect(unsubscribe).toHaveLength(1);
      // The mailto: names the mailbox our inbound route reads, its token in the address (tests/integration/inbound-unsubscribe.test.ts).
      const match = /^<(https:\/\/news\.example\.org\/unsubscribe\?token=([\w.-]+))>, <mailto:unsubscribe\+([0-9a-f]{48})@news\.example\.org\?subject=unsubscribe>$/.exec(unsubscribe[0]!);
      expect(match, unsubscribe[0]).not.toBeNull();
      const [, link, token, mailboxToken] = match!;
      expect(verifyToken(token!, 'unsubscribe', SECRET)).toEqual({ ok: true, claims: { purpose: 'unsubscribe', subscriberId: ids.get(to) } });
      expect(verifyMailboxToken(mailboxToken!, SECRET)).toBe(ids.get(to));
      expect(header(message, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
      expect(header(message, 'List-Id')).toEqual(['"North Korean Refugees News Desk" <newsdesk.news.example.org>']);
      for (const name of ['From', 'To', 'Subject', 'Date']) expect(header(message, name), name).toHaveLength(1);
      // Signed by the worker's transport (mail.dkim), verifying as received, with the list headers covered.
      expect(await verifyDkim(message.raw!, dkim)).toMatchObject([{ result: 'pass', domain: 'news.example.org', selector: 'weekly', signed: expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']) }]);
      expect(header(message, 'From')).toEqual(['North Korean Refugees News Desk <newsletter@news.example.org>']);

      const parsed = await simpleParser(message.raw!);
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe(to === 'ana@example.org' ? '"Ana Kim" <ana@example.org>' : to);
      const html = String(parsed.html);
      const text = parsed.text ?? '';
      // Their own links in both parts, the placeholders gone, the web version linked.
      expect(html).toContain(`href="${link}"`);
      expect(html).toContain('/preferences?token=');
      expect(html).toContain(`href="${editionPageUrl(config.site.url, '2099-W01')}"`);
      expect(text).toContain(`Unsubscribe: ${link}`);
      expect(message.raw!.toString()).not.toContain('newsdesk-link.invalid');

      // Only the sections their Topics ask for (everything when they chose none).
      const visible = visibleText(html);
      for (const entry of composed.entries) {
        const shown = want[to]!.includes(entry.section);
        expect(visible.includes(oneLine(entry.title)), `${to}: ${entry.title} (${entry.section})`).toBe(shown);
      }

      // Subject and preheader name Stories of THEIR email, in its order: the subject the first, the preheader the next ones.
      const theirs = composed.entries.filter((entry) => want[to]!.includes(entry.section)).map((entry) => oneLine(entry.title));
      expect(parsed.subject!.length).toBeLessThanOrEqual(70);
      expect(names(parsed.subject!, theirs[0]!), `${to}: subject "${parsed.subject}", first Story "${theirs[0]}"`).toBe(true);
      const preheader = DomUtils.findOne((el) => /display:\s*none/.test(el.attribs.style ?? ''), parseDocument(html).children);
      const preview = oneLine(DomUtils.textContent(preheader!)).replace(/…$/, '');
      expect(preview.length).toBeGreaterThan(0);
      expect(theirs.slice(1, 4).join(' · ').startsWith(preview), `${to}: preheader "${preview}"`).toBe(true);
    }
    expect(ofEdition('2099-W01').some((m) => m.to.includes('fay@example.org') || m.to.includes('gus@example.org'))).toBe(false);
  });

  it('slows down on 421 replies, honours the wait they name, and loses nobody', async () => {
    await copyEdition(runtime.db, composed.id, '2099-W02');
    let refused = 0;
    sink.reply = () => (refused < 5 ? (refused++, { code: 421, message: '4.7.0 Too many messages, try again in 1 second' }) : null);
    const started = performance.now();
    const records = await sendHere(runtime, '2099-W02');
    sink.reply = () => null;
    expect(refused).toBe(5);
    expect(records.every((r) => !r.error)).toBe(true);
    // The server's wait was honoured.
    expect(performance.now() - started).toBeGreaterThan(1_000);
    const rate = results(records).at(-1)!.rate!;
    expect(rate.slowdowns).toBeGreaterThanOrEqual(1);
    expect(rate.lowest).toBeLessThan(rate.max);

    const deliveries = await deliveriesOf(runtime.db, '2099-W02');
    const sent = [...deliveries].filter(([, d]) => d.status === 'sent').map(([email]) => email);
    expect(sent.sort()).toEqual(['ana@example.org', 'ben@example.org', 'cat@example.org', 'dan@example.org']);
    const received = ofEdition('2099-W02').map((m) => m.to.join());
    expect(received.sort()).toEqual(sent);
  });

  it('bounces and suppresses an address the server refuses with 550, skips one suppressed meanwhile, and leaves both out of the next Edition', async () => {
    await addSubscribers(runtime.db, [{ email: 'bounce@example.org' }, { email: 'late@example.org' }]);
    await copyEdition(runtime.db, composed.id, '2099-W03');
    sink.reply = (address) => (address === 'bounce@example.org' ? { code: 550, message: '5.1.1 <bounce@example.org>: no such user here' } : null);
    const records = await sendHere(runtime, '2099-W03', () => suppress(runtime.db, 'late@example.org', 'unsubscribed', 'one-click'));
    sink.reply = () => null;
    expect(records.every((r) => !r.error)).toBe(true);

    const deliveries = await deliveriesOf(runtime.db, '2099-W03');
    expect(deliveries.get('bounce@example.org')).toMatchObject({ status: 'bounced', lastError: expect.stringContaining('550') });
    expect(deliveries.get('late@example.org')).toMatchObject({ status: 'skipped', lastError: 'the address is on the suppression list' });
    expect(await getSuppression(runtime.db, 'bounce@example.org')).toMatchObject({ reason: 'bounced', detail: expect.stringContaining('no such user') });
    const [subscriber] = await runtime.db.query<{ status: string }>(`select status from subscribers where email = 'bounce@example.org'`);
    expect(subscriber!.status).toBe('bounced');
    expect(ofEdition('2099-W03').filter((m) => m.to.includes('bounce@example.org') || m.to.includes('late@example.org'))).toEqual([]);
    expect(await deliveryReport(runtime.db, '2099-W03')).toMatchObject({ status: 'sent', sent: 4, bounced: 1, skipped: 2 });

    await copyEdition(runtime.db, composed.id, '2099-W04');
    await sendHere(runtime, '2099-W04');
    const next = await deliveriesOf(runtime.db, '2099-W04');
    expect(next.has('bounce@example.org')).toBe(false);
    expect(next.has('late@example.org')).toBe(false);
    expect(ofEdition('2099-W04').map((m) => m.to.join()).sort()).toEqual(['ana@example.org', 'ben@example.org', 'cat@example.org', 'dan@example.org']);
  });

  it('sends again a message whose connection was dropped, and stops the job with its Deliveries pending when the server keeps dropping', async () => {
    await copyEdition(runtime.db, composed.id, '2099-W20');
    let drops = 0;
    sink.dropAfterData = () => (drops < 2 ? (drops++, true) : false);
    const records = await sendHere(runtime, '2099-W20');
    sink.dropAfterData = () => false;
    expect(drops).toBe(2);
    expect(records.every((r) => !r.error)).toBe(true);
    const sent = [...(await deliveriesOf(runtime.db, '2099-W20'))].filter(([, d]) => d.status === 'sent').map(([email]) => email);
    expect(sent.length).toBeGreaterThan(0);
    expect(ofEdition('2099-W20').map((m) => m.to.join()).sort()).toEqual(sent.sort());

    // Every message cut off: after five in a row the server is taken to be down; nothing is given up.
    await copyEdition(runtime.db, composed.id, '2099-W21');
    sink.dropAfterData = () => true;
    const down = await sendHere(runtime, '2099-W21');
    sink.dropAfterData = () => false;
    // Five in a row stop the job; a message from another lane in flight may make it six when that lane stops first.
    // Compared as text, so a failure shows what the jobs said instead.
    expect(down.map((r) => r.error ?? JSON.stringify(r.result)).join('\n')).toMatch(/SMTP: [5-9] connection errors in a row/);
    const statuses = new Set([...(await deliveriesOf(runtime.db, '2099-W21')).values()].map((d) => d.status));
    expect(statuses.has('sent')).toBe(false);
    expect(statuses.has('failed')).toBe(false);
    expect(statuses.has('pending')).toBe(true);
    // The server is back: sending again finishes the Edition, everyone once.
    await sendHere(runtime, '2099-W21');
    const after = [...(await deliveriesOf(runtime.db, '2099-W21'))];
    expect(after.filter(([, d]) => d.status === 'pending' || d.status === 'sending')).toEqual([]);
    const sentAfter = after.filter(([, d]) => d.status === 'sent').map(([email]) => email);
    expect(ofEdition('2099-W21').map((m) => m.to.join()).sort()).toEqual(sentAfter.sort());
  });

  it('edition send stops when an editor pauses it, and edition resume finishes it: everyone once', async () => {
    await addSubscribers(runtime.db, Array.from({ length: 24 }, (_, i) => ({ email: `reader${i}@example.org` })));
    await copyEdition(runtime.db, composed.id, '2099-W05');
    const slow = { ...config, mail: { ...config.mail, ratePerSecond: 8 } };
    const stderr = new PassThrough();
    let progress = '';
    stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    const sending = sendEdition(slow, log, '2099-W05', { mode: 'send', by: 'test', stderr: stderr as unknown as NodeJS.WriteStream });
    while (ofEdition('2099-W05').length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    await pauseSending(runtime.db, '2099-W05', 'editor-a');
    const paused = await sending;
    expect(paused.report).toMatchObject({ status: 'sending', sending: 0 });
    expect(paused.report.pausedAt).toBeInstanceOf(Date);
    expect(paused.report.pending).toBeGreaterThan(5);
    const atPause = ofEdition('2099-W05').length;
    expect(atPause).toBe(paused.report.sent);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ofEdition('2099-W05').length).toBe(atPause);
    expect(progress).toMatch(/send 2099-W05: \d+\/\d+ done \(sent \d+ · failed 0 · bounced 0 · skipped \d+\), \d+\/s/);

    const resumed = await sendEdition(slow, log, '2099-W05', { mode: 'resume', by: 'test', stderr: stderr as unknown as NodeJS.WriteStream });
    expect(resumed.report).toMatchObject({ status: 'sent', pending: 0, sending: 0, pausedAt: null });
    const received = ofEdition('2099-W05').map((m) => m.to.join());
    expect(new Set(received).size).toBe(received.length);
    expect(received.length).toBe(resumed.report.sent);
    expect(resumed.report.sent).toBe(28);
  });

  it('with Redis: the workers send, the command follows to the end, the metrics count the emails', async () => {
    const prefix = testQueuePrefix(cleanups);
    const deployed = { ...config, redis: { ...config.redis, url: REDIS_URL, prefix } };
    const workers = startWorkers(runtime, { redisUrl: REDIS_URL, queues: ['send', 'publish'], prefix, concurrency: 2 });
    try {
      await copyEdition(runtime.db, composed.id, '2099-W06');
      sink.reply = (address) => (address === 'reader3@example.org' ? { code: 550, message: '5.1.1 mailbox unavailable' } : null);
      const { report } = await sendEdition(deployed, log, '2099-W06', { mode: 'send', by: 'test', stderr: new PassThrough() as unknown as NodeJS.WriteStream });
      sink.reply = () => null;
      expect(report).toMatchObject({ status: 'sent', sent: 27, bounced: 1, pending: 0 });
      expect(new Set(ofEdition('2099-W06').map((m) => m.to.join())).size).toBe(27);
      // The command sees the last Delivery sent as its job stores it; the job counts its emails when it returns.
      await expect.poll(async () => (await workers.jobs.queue('send').getCompleted()).length, { timeout: 10_000 }).toBe(8);
      const metrics = await workers.metrics.registry.getSingleMetricAsString('newsdesk_emails_total');
      expect(metrics).toContain('newsdesk_emails_total{outcome="sent"} 27');
      expect(metrics).toContain('newsdesk_emails_total{outcome="bounced"} 1');
      expect(metrics).toContain('newsdesk_emails_total{outcome="failed"} 0');
      const jobIds = (await workers.jobs.queue('send').getCompleted()).map((job) => job.id).sort();
      expect(jobIds).toEqual(Array.from({ length: 8 }, (_, batch) => `send-2099-W06-${batch}`));
    } finally {
      await workers.close();
    }
  });
});

describe('edition send on the embedded store (PGlite)', () => {
  it('sends the composed Edition to every Subscriber from this process', async () => {
    const base = await sampleConfig('pglite', cleanups, { processed: true });
    const embedded = { ...base, mail: { ...base.mail, smtpUrl: sink.url, ratePerSecond: 200, batchSize: 3 } };
    const run = await runPipeline(embedded, log, { command: 'compose', queues: ['compose'] });
    const id = run.edition!.editionId;
    const store = await openRuntime(embedded, log);
    try {
      await moveEdition(store.db, id, 'approved', 'editor-a');
      await addSubscribers(store.db, Array.from({ length: 7 }, (_, i) => ({ email: `embedded${i}@example.org`, topics: i % 2 ? [composed.entries[0]!.section!] : [] })));
    } finally {
      await store.close();
    }
    const { report } = await sendEdition(embedded, log, id, { mode: 'send', by: 'test', stderr: new PassThrough() as unknown as NodeJS.WriteStream });
    expect(report).toMatchObject({ status: 'sent', total: 7, sent: 7, pending: 0, batches: 3 });
    const received = ofEdition(id).map((m) => m.to.join()).filter((to) => to.startsWith('embedded'));
    expect(received.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `embedded${i}@example.org`));
  }, 90_000);
});
