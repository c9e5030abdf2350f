/**
 * The links in emails carry their token in the address (`/preferences?token=`,
 * `/unsubscribe?token=`), and a token acts for its Subscriber without a login.
 * When a public page fails, the log names the page without its query string,
 * so the log never holds a working token.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { signToken } from '../../src/mail/tokens.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';

const SECRET = 'a-public-page-log-test-secret-32-chars';
const cleanups: (() => Promise<void>)[] = [];
const lines: Record<string, unknown>[] = [];
const log = pino(
  { level: 'info', base: undefined },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);
let runtime: Runtime;

beforeAll(async () => {
  const sample = await sampleConfig('pglite', cleanups);
  const config: Config = { ...sample, secret: SECRET };
  runtime = await openRuntime(config, log);
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  for (const cleanup of cleanups) await cleanup();
});

describe('a public page that fails', () => {
  it('is logged by its path, without the token in its address', async () => {
    const failing = { ...runtime, db: { ...runtime.db, query: async () => Promise.reject(new Error('the store is down')) } };
    const app = buildServer(failing as Runtime);
    try {
      for (const purpose of ['preferences', 'unsubscribe'] as const) {
        const token = signToken({ purpose, subscriberId: '0b0e0c6e-7d9f-4a52-9d59-0d6c5d0e6a01' }, SECRET);
        const response = await app.inject({ url: `/${purpose}?token=${token}` });
        expect(response.statusCode).toBe(500);
        expect(response.body).not.toContain('the store is down');
        const logged = lines.filter((line) => line.msg === 'public page failed').at(-1);
        expect(logged).toMatchObject({ url: `/${purpose}`, err: { message: 'the store is down' } });
        expect(JSON.stringify(lines)).not.toContain(token.split('.')[1]);
      }
    } finally {
      await app.close();
    }
  });
});
