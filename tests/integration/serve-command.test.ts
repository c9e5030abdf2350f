/**
 * `newsdesk serve` as its operator starts it, without an SMTP server
 * (mail.smtpUrl): it says at start that mail is not configured, /readyz says so
 * too (and is still ready: the Feeds and the editor pages work), and the
 * subscribe page says subscribing is closed instead of promising an email.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../helpers/databases.js';

const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-serve-'));
let child: ChildProcess | null = null;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

// PostgreSQL rather than the embedded store: the process starts in a fraction of the time.
beforeAll(async () => {
  database = await createPostgresDatabase();
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(folder, { recursive: true, force: true });
  await database.drop();
});

describe('newsdesk serve without mail', () => {
  it('says at start, and at /readyz, that mail is not configured; /subscribe is closed', async () => {
    const env = { ...process.env, NEWSDESK_DATA_DIR: path.join(folder, 'pglite'), NEWSDESK_OUTPUT: path.join(folder, 'out'), NEWSDESK_SMTP_URL: '', DATABASE_URL: database.url, REDIS_URL: '', LOG_LEVEL: 'error' };
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '-c', 'newsdesk.yaml', 'serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    const listening = await new Promise<string>((resolve, reject) => {
      child!.stderr!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        // The last line serve writes at start: everything it says is said by then.
        if (/serve: editors log in at/.test(said)) resolve(/serve: (http:\/\/[\d.:]+)\/feed\.xml/.exec(said)![1]!);
      });
      child!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${said}`)));
    });
    expect(said).toContain('serve: mail is not configured (mail.smtpUrl, NEWSDESK_SMTP_URL): no email is sent, and /subscribe says subscribing is closed');

    const ready = await fetch(`${listening}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok' }, mail: 'not configured (mail.smtpUrl): no email is sent' });
    const page = await fetch(`${listening}/subscribe`);
    expect(await page.text()).toContain('Subscribing is closed for now');
    const post = await fetch(`${listening}/subscribe`, { method: 'POST', body: new URLSearchParams({ email: 'ana@example.org' }) });
    expect(post.status).toBe(503);
  }, 60_000);
});
