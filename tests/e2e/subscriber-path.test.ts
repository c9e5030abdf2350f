/**
 * A reader's whole path through the public pages in a real browser (Debian's
 * Chromium, driven by playwright-core) against `newsdesk serve` on a real
 * socket, a real PostgreSQL database and a real SMTP server in this process:
 * the subscribe form, the confirmation email read from that server, its link
 * to the confirm page and its button, the preferences page, the unsubscribe
 * page, and RFC 8058's one-click POST to the same link, the database checked
 * after each step. Then another site's page posting the form: refused, logged,
 * nothing stored. Screenshots go to tests/artifacts/subscriber-path-*.png.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { getSuppression, subscriberByEmail } from '../../src/store/subscribers.js';
import { buildServer } from '../../src/web/server.js';
import { launchChromium } from '../helpers/editor-browser.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const READER = { email: 'reader@example.org', name: 'Ri Reader' };
const VICTIM = 'victim@example.org';

/** Every log line, parsed: the test reads what `serve` logged. */
const logged: Record<string, unknown>[] = [];
const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
const cleanups: (() => Promise<void>)[] = [];
let inbox: SmtpInbox;
let runtime: Runtime;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** Another site: a page on another origin whose form posts to our /subscribe. */
let elsewhere: Server;
let elsewhereBase: string;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  cleanups.unshift(() => inbox.close());
  const sample = await sampleConfig('postgres', cleanups);
  const config: Config = { ...sample, site: { ...sample.site }, mail: { ...sample.mail, smtpUrl: inbox.url } };
  runtime = await openRuntime(config, log);
  cleanups.unshift(() => runtime.close());
  app = buildServer(runtime);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.unshift(() => app.close());
  // The links in emails are made from site.url, and the port is known only now: the server reads site.url per
  // request, so the links the reader follows lead to this server, as they do to the real site.
  config.site.url = base;

  elsewhere = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Win a prize</title><form method="post" action="${base}/subscribe">
      <input name="email" value="${VICTIM}"><button type="submit">Win a prize</button></form>`);
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereBase = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  cleanups.unshift(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));

  browser = await launchChromium(cleanups);
  mkdirSync('tests/artifacts', { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `tests/artifacts/subscriber-path-${name}.png`, fullPage: true });

/** The first link in the email's text part to one of our pages, as the email has it. */
function linkIn(text: string, pathname: string): string {
  const link = new RegExp(`${base.replace(/[.]/g, '\\.')}${pathname}\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
  expect(link, `a ${pathname} link in the email`).toBeDefined();
  return link!;
}

describe('a reader subscribes, confirms, chooses Topics and leaves, in a browser', () => {
  it('goes from the form to the email, the confirm button, the preferences and the one-click unsubscribe; the database follows', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${base}/subscribe`);
    await page.getByLabel('Email address').fill(READER.email);
    await page.getByLabel('Name').fill(READER.name);
    await page.getByLabel('Families divided').check();
    const [answer] = await Promise.all([page.waitForResponse(`${base}/subscribe`), page.getByRole('button', { name: 'Subscribe' }).click()]);
    // The browser names our origin (a page sending no Referer at all makes it send `Origin: null`), and we take it.
    expect(answer.request().headers().origin).toBe(base);
    expect(answer.status(), await answer.text()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();
    await shot(page, '1-subscribed');

    const mail = await inbox.waitFor(READER.email);
    expect(await subscriberByEmail(runtime.db, READER.email)).toMatchObject({ status: 'pending', name: READER.name, topics: ['family'] });

    // The link as the email gives it: a page with one button; opening it confirms nothing.
    await page.goto(linkIn(mail.text ?? '', '/confirm'));
    await page.getByRole('heading', { name: 'Confirm your subscription' }).waitFor();
    expect(await subscriberByEmail(runtime.db, READER.email)).toMatchObject({ status: 'pending' });
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await shot(page, '2-confirmed');
    expect(await subscriberByEmail(runtime.db, READER.email)).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(Date) });

    await page.getByRole('link', { name: 'Choose your Topics' }).click();
    await page.getByRole('heading', { name: 'Your weekly email' }).waitFor();
    expect(await page.getByLabel('Families divided').isChecked()).toBe(true);
    await page.getByLabel('Families divided').uncheck();
    await page.getByLabel('Women and trafficking').check();
    await page.getByLabel('Escape and defection').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shot(page, '3-preferences');
    expect((await subscriberByEmail(runtime.db, READER.email))!.topics).toEqual(['escape', 'women']);

    // The unsubscribe page: one button; opening it (as a link scanner would) changes nothing.
    await page.getByRole('link', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'Unsubscribe' }).waitFor();
    await shot(page, '4-unsubscribe');
    expect(await subscriberByEmail(runtime.db, READER.email)).toMatchObject({ status: 'confirmed' });

    // What a mail client does with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058): a POST to the same link.
    const oneClick = await fetch(page.url(), { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toBe('unsubscribed\n');
    expect(await subscriberByEmail(runtime.db, READER.email)).toMatchObject({ status: 'unsubscribed' });
    expect(await getSuppression(runtime.db, READER.email)).toMatchObject({ reason: 'unsubscribed', detail: 'one-click' });
    await page.reload();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await page.close();
  }, 60_000);

  it('refuses the form posted from a page on another site, logs the refusal without the address, and stores nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    await page.goto(elsewhereBase);
    const [answer] = await Promise.all([page.waitForResponse(`${base}/subscribe`), page.getByRole('button', { name: 'Win a prize' }).click()]);
    expect(answer.status()).toBe(403);
    expect(answer.request().headers().origin).toBe(elsewhereBase);
    await page.getByRole('alert').filter({ hasText: 'The form came from another site' }).waitFor();
    await shot(page, '5-elsewhere');
    await page.close();

    const refusal = logged.find((line) => line.msg === 'subscribe form: refused a POST from another site');
    // Another port of 127.0.0.1: the same site to the browser (ports do not count), another origin all the same.
    expect(refusal).toMatchObject({ origin: elsewhereBase, fetchSite: 'same-site', level: 40 });
    // Our own page refused (what `Referrer-Policy: no-referrer` did): an error, which serve shows at its default level.
    const ownPage = await fetch(`${base}/subscribe`, { method: 'POST', headers: { origin: 'null', 'sec-fetch-site': 'same-origin' }, body: new URLSearchParams({ email: VICTIM }) });
    expect(ownPage.status).toBe(403);
    expect(logged.find((line) => line.msg === 'subscribe form: refused a POST from our own page: its Origin does not name this host or site.url')).toMatchObject({ origin: 'null', level: 50 });
    expect(JSON.stringify(logged)).not.toContain(VICTIM);
    // Any request stored after the refusal would be stored by now: one from our own page is, and is mailed.
    await fetch(`${base}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'later@example.org' }) });
    await inbox.waitFor('later@example.org');
    expect(await subscriberByEmail(runtime.db, VICTIM)).toBeUndefined();
    expect(inbox.to(VICTIM)).toHaveLength(0);
  }, 60_000);
});
