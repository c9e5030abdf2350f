/**
 * The logger's redaction (src/log.ts): values under the keys that usually
 * carry secrets come out as `[redacted]`. The logger writes to file
 * descriptor 2, so it runs in a child process and its stderr is read back.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `statement` with `log` (a child of createLogger at info) in a child process, and
 * `error` an Error naming a Redis address with a password; returns the last JSON line written.
 */
function logged(statement: string, fields: Record<string, unknown> = {}): { text: string; line: Record<string, any> } {
  const script = `import { createLogger } from './src/log.ts';
const log = createLogger({ level: 'info' }).child({ job: 'send' });
const fields = JSON.parse(process.env.FIELDS);
const error = Object.assign(new Error('connect to redis://:err-pw-6@redis:6379 failed'), { code: 'ECONNREFUSED' });
${statement}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, FIELDS: JSON.stringify(fields) },
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  const text = child.stderr;
  return { text, line: JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, any> };
}

describe('the logger', () => {
  it('redacts passwords, secrets, tokens, auth and SMTP URLs, at the top level and one level down', () => {
    const secrets = {
      password: 'pw-top-1',
      secret: 'secret-top-2',
      token: 'token-top-3',
      auth: 'auth-top-4',
      smtpUrl: 'smtp://user:smtp-top-5@mail.example.org:587',
      databaseUrl: 'postgres://u:db-top-6@db/newsdesk',
      redisUrl: 'redis://:redis-top-7@redis:6379',
      editor: { email: 'ana@example.org', password: 'pw-nested-8', token: 'token-nested-9' },
      mail: { smtpUrl: 'smtp://user:smtp-nested-10@mail.example.org', secret: 'secret-nested-11' },
      request: { auth: 'Basic auth-nested-12' },
    };
    const { text, line } = logged(`log.info(fields, 'the message');`, secrets);
    for (const value of ['pw-top-1', 'secret-top-2', 'token-top-3', 'auth-top-4', 'smtp-top-5', 'db-top-6', 'redis-top-7', 'pw-nested-8', 'token-nested-9', 'smtp-nested-10', 'secret-nested-11', 'auth-nested-12']) {
      expect(text, value).not.toContain(value);
    }
    expect(line).toMatchObject({
      msg: 'the message',
      password: '[redacted]',
      secret: '[redacted]',
      token: '[redacted]',
      auth: '[redacted]',
      smtpUrl: '[redacted]',
      databaseUrl: '[redacted]',
      redisUrl: '[redacted]',
      editor: { email: 'ana@example.org', password: '[redacted]', token: '[redacted]' },
      mail: { smtpUrl: '[redacted]', secret: '[redacted]' },
      request: { auth: '[redacted]' },
    });
  });

  it('redacts secret keys at any depth and the user information of any address, also in error messages', () => {
    const { text, line } = logged(`log.info({ target: 'smtp://bob:child-pw-1@mail.example.org:587',
  config: { database: { url: 'postgres://newsdesk:deep-pw-2@db:5432/newsdesk' }, mail: { smtpUrl: 'smtps://u:deep-pw-3@m' } },
  headers: { Authorization: 'Bearer deep-token-4', Cookie: 'newsdesk_session=deep-cookie-5' },
  err: error, feed: 'https://www.nknews.org/feed/', author: 'ana@example.org' }, 'the message');`);
    for (const value of ['child-pw-1', 'deep-pw-2', 'deep-pw-3', 'deep-token-4', 'deep-cookie-5', 'err-pw-6']) expect(text, value).not.toContain(value);
    expect(line.target).toBe('smtp://[redacted]@mail.example.org:587');
    expect(line.config.database.url).toBe('postgres://[redacted]@db:5432/newsdesk');
    expect(line.headers).toEqual({ Authorization: '[redacted]', Cookie: '[redacted]' });
    expect(line.err).toMatchObject({ type: 'Error', message: 'connect to redis://[redacted]@redis:6379 failed', code: 'ECONNREFUSED' });
    // What is not a secret stays readable.
    expect(line.feed).toBe('https://www.nknews.org/feed/');
    expect(line.author).toBe('ana@example.org');
  });

  it('redacts the DKIM private key: under its key in a config object, and a PEM key quoted in any string', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEdkim-key-body-1\nmore-key-body-2\n-----END PRIVATE KEY-----\n';
    const { text, line } = logged(
      `log.info({ mail: { dkim: { domain: 'news.example.org', selector: 's1', privateKey: fields.pem } },
  detail: 'signing with ' + fields.pem + ' failed', cut: 'key: ' + fields.pem.slice(0, 50), rsa: fields.pem.replaceAll('PRIVATE', 'RSA PRIVATE') }, 'the message');`,
      { pem },
    );
    for (const value of ['dkim-key-body-1', 'more-key-body-2']) expect(text, value).not.toContain(value);
    expect(line.mail.dkim).toEqual({ domain: 'news.example.org', selector: 's1', privateKey: '[redacted]' });
    expect(line.detail).toBe('signing with [redacted private key]\n failed');
    // Cut short (no end marker): redacted to the end of the string.
    expect(line.cut).toBe('key: [redacted private key]');
    expect(line.rsa).toBe('[redacted private key]\n');
  });
});
