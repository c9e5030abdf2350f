/**
 * The browser tests' rig: Debian's Chromium (driven by playwright-core) and,
 * for the editor pages, `newsdesk serve` on a real socket over a store the
 * test has filled, with one editor to log in as.
 */
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { addEditor } from '../../src/store/editors.js';
import { testPasswordHash } from './passwords.js';
import { buildServer } from '../../src/web/server.js';

/** Headless and quiet: no sandbox (CI runs as root), no GPU, nothing fetched from Google's servers. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Chromium as the tests run it; closed by the cleanup it adds. */
export async function launchChromium(cleanups: (() => Promise<void>)[]): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  cleanups.unshift(() => browser.close());
  return browser;
}

export const EDITOR = { email: 'ana@example.org', name: 'Ana Editor', password: 'correct horse battery staple' };

export interface EditorPages {
  runtime: Runtime;
  app: FastifyInstance;
  /** The server's address, `http://127.0.0.1:<port>`. */
  base: string;
  browser: Browser;
}

/** `config`'s store served with EDITOR able to log in, and Chromium; everything closed by the cleanups it adds. */
export async function editorPagesInBrowser(config: Config, log: Logger, cleanups: (() => Promise<void>)[]): Promise<EditorPages> {
  const runtime = await openRuntime(config, log);
  cleanups.unshift(() => runtime.close());
  await addEditor(runtime.db, { email: EDITOR.email, name: EDITOR.name, passwordHash: await testPasswordHash(EDITOR.password) });
  const app = buildServer(runtime);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.unshift(() => app.close());
  return { runtime, app, base, browser: await launchChromium(cleanups) };
}

/** Opens `path` as EDITOR would: the login form comes first, then the page asked for. */
export async function logIn(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByLabel('Email').fill(EDITOR.email);
  await page.getByLabel('Password').fill(EDITOR.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}${path}`);
}
