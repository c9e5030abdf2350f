/** The shared Redis for tests, and key prefixes of their own that are deleted when the file ends. */
import { randomUUID } from 'node:crypto';
import { redisConnection } from '../../src/queue/bullmq.js';

export const REDIS_URL = process.env.NEWSDESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A `test-<uuid>` queue prefix; its keys are deleted by the cleanup it registers. */
export function testQueuePrefix(cleanups: (() => Promise<void>)[]): string {
  const prefix = `test-${randomUUID()}`;
  cleanups.push(async () => {
    const admin = redisConnection(REDIS_URL);
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });
  return prefix;
}
