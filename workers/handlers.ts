/**
 * The job handlers by queue name. The embedded run (src/queue/inline.ts) and the
 * BullMQ workers call the same functions: there is one implementation of each stage.
 */
import type { Handlers } from '../src/queue/inline.js';
import type { JobDeps } from '../src/queue/jobs.js';
import { composeJob } from './compose.js';
import { ingestJob } from './ingest.js';
import { processJob } from './process.js';
import { publishJob } from './publish.js';
import { sendJob } from './send.js';

export function handlers(deps: JobDeps): Handlers {
  return {
    ingest: (payload) => ingestJob(payload, deps),
    process: (payload) => processJob(payload, deps),
    publish: (payload) => publishJob(payload, deps),
    compose: (payload) => composeJob(payload, deps),
    send: (payload) => sendJob(payload, deps),
  };
}
