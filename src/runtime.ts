/**
 * Wiring: every dependency a command or worker needs, built once in one place
 * from the configuration, and closed in one place.
 */
import type { Config } from './config.js';
import { HostPoliteness } from './ingest/fetch/politeness.js';
import type { Logger } from './log.js';
import { LazyMailer } from './mail/mailer.js';
import type { JobDeps, JobSink } from './queue/jobs.js';
import { openDatabase, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { syncSources } from './store/sources.js';
import { EMPTY_TAXONOMY, loadTaxonomy, type Taxonomy } from './tag/taxonomy.js';
import { wordVectorsInUse } from './tag/vectors.js';

export interface Runtime {
  db: Db;
  politeness: HostPoliteness;
  config: Config;
  taxonomy: Taxonomy;
  log: Logger;
  /** The SMTP sender and the Edition renders, made when the first send job runs. */
  mailer: LazyMailer;
  close(): Promise<void>;
}

/** Opens the store (PGlite unless DATABASE_URL / database.url is set), migrates it and syncs the Sources. */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  // Read first: an invalid taxonomy stops the command before anything is stored.
  const taxonomy = config.topics === undefined ? EMPTY_TAXONOMY : loadTaxonomy(config.topics);
  // Said once per process: tagging without the install step's word vectors works, a little less well.
  if (taxonomy.topics.length > 0) wordVectorsInUse(log);
  const db = await openDatabase(config.database);
  log.debug({ store: db.kind }, 'store open');
  await migrate(db);
  await syncSources(db, config.sources);
  const politeness = new HostPoliteness({ minGapMs: config.fetch.hostGapSeconds * 1000 });
  const mailer = new LazyMailer(config.mail);
  const close = async () => {
    mailer.close();
    await db.close();
  };
  return { db, politeness, config, taxonomy, log, mailer, close };
}

/** Opens the runtime for one command, runs `fn`, and closes it whatever happens. */
export async function withRuntime<T>(config: Config, log: Logger, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config, log);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

export function jobDeps(runtime: Runtime, jobs: JobSink): JobDeps {
  return { db: runtime.db, config: runtime.config, taxonomy: runtime.taxonomy, log: runtime.log, jobs, politeness: runtime.politeness, mailer: runtime.mailer, now: () => new Date() };
}
