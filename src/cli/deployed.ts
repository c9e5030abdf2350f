/**
 * The deployed-mode commands: `worker` (jobs from the BullMQ queues), `serve`
 * (the Feeds over HTTP) and `jobs failed | retry`. The two long-running ones
 * stop on SIGTERM or SIGINT, finishing what they are doing first. Both can be
 * scraped by Prometheus: `serve` at /metrics, a worker with --metrics-port.
 * Each action imports what it runs (the workers, the web server, BullMQ) when
 * it runs: building the program for another command, or `--help`, loads none.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { QUEUE_NAMES, type QueueName } from '../queue/jobs.js';
import { limit, port, wholeNumber } from './arguments.js';
import { hint } from './hint.js';
import { printer, type CliOutput } from './output.js';

/** `serve`'s port when --port is not given: $PORT (as platforms that run containers set it), else 8080. */
function portFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  if (env.PORT === undefined || env.PORT === '') return 8080;
  try {
    return port(env.PORT);
  } catch (error) {
    throw new NewsdeskError('usage', `serve: environment PORT: "${env.PORT}": ${(error as Error).message}`);
  }
}

/** Resolves once `stop` has run after the first SIGTERM or SIGINT. */
function untilStopped(stop: (signal: string) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const once = (signal: string) => void stop(signal).then(resolve, reject);
    process.once('SIGTERM', () => once('SIGTERM'));
    process.once('SIGINT', () => once('SIGINT'));
  });
}

export function addDeployedCommands(
  program: Command,
  context: () => { config: Config; log: Logger },
  io: CliOutput,
): void {
  const print = printer(io);
  const progress = (line: string) => io.err(`${line}\n`);
  program
    .command('worker')
    .description('deployed mode: run jobs from the BullMQ queues until SIGTERM/SIGINT (needs REDIS_URL and DATABASE_URL)')
    .option('--queues <names>', 'comma-separated queues to take jobs from', QUEUE_NAMES.join(','))
    .option('--concurrency <n>', 'jobs at once per queue', wholeNumber(1), 2)
    .option('--metrics-port <n>', 'serve Prometheus metrics at http://<metrics-host>:<n>/metrics (default: no listener)', port)
    .option('--metrics-host <address>', 'address the metrics listener binds to', '127.0.0.1')
    .action(async (options: { queues: string; concurrency: number; metricsPort?: number; metricsHost: string }) => {
      const { config, log } = context();
      const queues = options.queues.split(',').map((q) => q.trim()) as QueueName[];
      const unknown = queues.filter((q) => !QUEUE_NAMES.includes(q));
      if (unknown.length > 0) throw new NewsdeskError('usage', `worker: unknown queue(s): ${unknown.join(', ')} (queues: ${QUEUE_NAMES.join(', ')})`);
      const { concurrency } = options;
      const metricsPort = options.metricsPort ?? null;
      if (!config.redis.url) throw new NewsdeskError('usage', 'worker: no Redis to take jobs from (set redis.url or REDIS_URL)');
      // Workers share one store: the embedded PGlite folder belongs to a single process.
      if (!config.database.url) throw new NewsdeskError('usage', 'worker: workers need a shared PostgreSQL (set database.url or DATABASE_URL)');
      const [{ openRuntime }, { startWorkers }, { syncSchedulers }, { listenMetrics }] = await Promise.all([
        import('../runtime.js'),
        import('../../workers/main.js'),
        import('../queue/schedules.js'),
        import('../metrics.js'),
      ]);
      const runtime = await openRuntime(config, log);
      const workers = startWorkers(runtime, { redisUrl: config.redis.url, queues, concurrency, prefix: config.redis.prefix, lockSeconds: config.redis.lockSeconds });
      // Every worker syncs the schedulers from its config: a changed interval or a removed Source takes effect as it starts.
      const { scheduled, removed } = await syncSchedulers(workers.jobs, config);
      progress(`worker: ${Object.keys(scheduled).length} Source schedulers${removed.length > 0 ? `, ${removed.length} removed` : ''}`);
      const metrics = metricsPort === null ? null : await listenMetrics(workers.metrics.registry, { port: metricsPort, host: options.metricsHost });
      if (metrics) progress(`worker: metrics at ${metrics.url}`);
      progress(`worker: taking jobs from ${queues.join(', ')} (${concurrency} at once each); SIGTERM or Ctrl-C stops it`);
      await untilStopped(async (signal) => {
        progress(`worker: ${signal}: letting running jobs finish`);
        await metrics?.close();
        await workers.close();
        await runtime.close();
      });
    });

  program
    .command('serve')
    .description('HTTP: the Feeds (ETag, Last-Modified, 304), the editor pages, /healthz, /readyz, /metrics and the queue dashboard, until SIGTERM/SIGINT')
    .option('--port <n>', 'port to listen on (default: $PORT, else 8080)', port)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (options: { port?: number; host: string }) => {
      const { config, log } = context();
      const listenPort = options.port ?? portFromEnvironment();
      const [{ openRuntime }, { buildServer }, { DASHBOARD_PATH }] = await Promise.all([import('../runtime.js'), import('../web/server.js'), import('../web/admin.js')]);
      const runtime = await openRuntime(config, log);
      const app = buildServer(runtime);
      const address = await app.listen({ port: listenPort, host: options.host });
      progress(`serve: ${address}/feed.xml, /atom.xml, /feed.json, /topics/<slug>.xml, /metrics; SIGTERM or Ctrl-C stops it`);
      if (!config.mail.smtpUrl) progress('serve: mail is not configured (mail.smtpUrl, NEWSDESK_SMTP_URL): no email is sent, and /subscribe says subscribing is closed');
      progress(`serve: editors log in at ${address}/login (${hint(config.file, 'editors add <email> --name <name>')})`);
      if (config.redis.url) progress(`serve: queue dashboard at ${address}${DASHBOARD_PATH} (logged-in editors${config.admin.token ? '; or Basic auth, the admin token as password' : ''})`);
      await untilStopped(async () => {
        await app.close();
        await runtime.close();
      });
    });

  const jobsCommand = program.command('jobs').description('deployed mode: the jobs that failed on the BullMQ queues');
  jobsCommand
    .command('failed')
    .description('failed jobs (kept until retried), newest first per queue')
    .addOption(new Option('--queue <name>', 'one queue only').choices(QUEUE_NAMES))
    .option('--limit <n>', 'at most this many per queue', limit, 50)
    .option('--json', 'print as JSON', false)
    .action(async (options: { queue?: QueueName; limit: number; json: boolean }) => {
      const { config } = context();
      const { listFailedJobs, formatFailedJobs } = await import('./jobs.js');
      const failed = await listFailedJobs(config, { queue: options.queue, limit: options.limit });
      print(options.json ? JSON.stringify(failed, null, 2) : formatFailedJobs(failed, config.file));
    });
  jobsCommand
    .command('retry')
    .description('send a failed job back to its queue')
    .argument('<job>', 'the job id (see `jobs failed`)')
    .action(async (id: string) => {
      const { config } = context();
      const { retryJob } = await import('./jobs.js');
      print(await retryJob(config, id));
    });
}
