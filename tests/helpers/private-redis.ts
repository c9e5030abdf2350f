/**
 * A Redis server of our own, on its own port and folder, for tests that kill
 * and restart it (never the shared one). It keeps an append-only file synced
 * on every write and never evicts: the settings a BullMQ deployment needs, so
 * a SIGKILL loses no acknowledged write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash: what the append-only file holds is what comes back. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder; resolves once it answers PING. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function answers(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline) throw new Error(`private Redis at ${url} did not answer: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log'),
  ];
  const exited = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
  const server: PrivateRedis = {
    url,
    port,
    async start() {
      child = spawn('redis-server', args, { stdio: 'ignore' });
      await answers(url, 10_000);
    },
    async kill() {
      if (!child) return;
      const proc = child;
      child = null;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async stop() {
      if (child) {
        const proc = child;
        child = null;
        proc.kill('SIGTERM');
        await exited(proc);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
