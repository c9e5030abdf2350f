/**
 * The embedded runner: the pipeline's jobs in-process and in order, through
 * the same handlers the queue workers use (`newsdesk run`, `ingest`,
 * `publish`, and the tests): the Sources due, then processing, publishing,
 * the Edition of the week in progress and the sends that are due, as asked.
 */
import { previewEdition, type EditionPreview } from '../src/digest/preview.js';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { InlineJobs, type JobRecord } from '../src/queue/inline.js';
import type { QueueName } from '../src/queue/jobs.js';
import type { ComposeResult, PublishResult } from '../src/queue/results.js';
import { openRuntime, jobDeps } from '../src/runtime.js';
import { countItems } from '../src/store/items.js';
import { listSources } from '../src/store/sources.js';
import { finishRun, startRun } from '../src/store/runs.js';
import { countStories } from '../src/store/stories.js';
import { weekInProgress } from '../src/week.js';
import { handlers } from './handlers.js';
import type { RunProblem } from '../src/errors.js';

export interface PipelineSummary {
  sources: {
    id: string;
    documents: number;
    appearances: number;
    new: number;
    updated: number;
    unchanged: number;
    fetch: string | null;
    problems: number;
  }[];
  /** Feed Sources not read because their next fetch is not due yet (Retry-After, ttl, backoff). */
  notDue: { id: string; nextFetchAt: Date }[];
  items: { new: number; seen: number; total: number };
  appearances: { new: number; total: number };
  stories: { new: number; total: number };
  /** What dedupe did in this run: Items that joined a Story, Stories merged, pairs queued for editors. */
  dedupe: { joined: number; merges: number; reviews: number };
  /** Stories whose Topics were set in this run. */
  topics: { tagged: number };
  /** Files written or left unchanged; entries of the overall Feed; Topics with a Feed of their own. */
  feeds: { written: string[]; unchanged: string[]; entries: number; topicFeeds: number };
  /** Sent Editions' public pages and the Editions Feed. */
  editionPages: PublishResult['editions'];
  /** The pages of the Stories linked without an Outlet's address (stories/<id>/index.html). */
  storyPages: PublishResult['storyPages'];
  /** The Edition of the week in progress, when this run composed it. */
  edition: ComposeResult | null;
  /** That Edition's email written to the output folder (edition.html, edition.txt), or why not. */
  editionPreview: EditionPreview | null;
  problems: RunProblem[];
}

/** Runs the given steps for all (or the named) Sources; returns what happened. */
export async function runPipeline(
  config: Config,
  log: Logger,
  options: {
    command: string;
    queues: QueueName[];
    sourceIds?: string[];
    /** Read feed Sources even when their next fetch is not due. */
    force?: boolean;
    /** Each job as it ends, and each feed Source skipped as not due: for a command to report progress. */
    onJob?: (record: JobRecord) => void;
    onNotDue?: (sourceId: string, nextFetchAt: Date) => void;
  },
): Promise<PipelineSummary> {
  const runtime = await openRuntime(config, log);
  try {
    const runId = await startRun(runtime.db, options.command);
    const jobs = new InlineJobs(new Set(options.queues));
    const now = new Date();
    const notDue: PipelineSummary['notDue'] = [];
    for (const source of await listSources(runtime.db)) {
      if (!source.enabled || (options.sourceIds && !options.sourceIds.includes(source.id))) continue;
      // A feed's server asked us to wait (Retry-After, ttl, max-age) or it is backing off.
      if (!options.force && source.nextFetchAt && source.nextFetchAt > now) {
        notDue.push({ id: source.id, nextFetchAt: source.nextFetchAt });
        options.onNotDue?.(source.id, source.nextFetchAt);
        continue;
      }
      await jobs.add('ingest', { sourceId: source.id });
    }

    const jobHandlers = handlers(jobDeps(runtime, jobs));
    const onJob = options.onJob;
    const records = await jobs.drain(jobHandlers, onJob);
    // Processing and publishing normally follow ingest; when nothing new came in
    // they did not run, but Topics and Feeds must still reflect the current
    // taxonomy, config and store (an edited taxonomy re-tags on the next run).
    for (const queue of ['process', 'publish'] as const) {
      if (!options.queues.includes(queue) || records.some((record) => record.queue === queue)) continue;
      if (queue === 'process') await jobs.add('process', { itemIds: [] });
      else await jobs.add('publish', {});
      records.push(...(await jobs.drain(jobHandlers, onJob)));
    }
    // The Edition now filling up, as a draft to look at (the weekly compose refreshes it while no editor has touched it).
    let editionPreview: EditionPreview | null = null;
    if (options.queues.includes('compose')) {
      await jobs.add('compose', { week: weekInProgress(now, config.schedule.compose) });
      const composed = await jobs.drain(jobHandlers, onJob);
      records.push(...composed);
      // ... and its email, to open in a browser before any editor has looked.
      let result: ComposeResult | undefined;
      for (const record of composed) if (record.queue === 'compose' && record.error === undefined) result = record.result;
      if (result) editionPreview = await previewEdition(runtime.db, config, result.editionId, config.output, 'edition');
    }
    // Embedded, `run` is the cron job: approved Editions whose send time has come go out now.
    if (options.queues.includes('send')) {
      await jobs.add('send', { due: true });
      records.push(...(await jobs.drain(jobHandlers, onJob)));
    }

    const summary = { ...summarize(records, await countItems(runtime.db), await countStories(runtime.db)), notDue, editionPreview };
    await finishRun(runtime.db, runId, { stats: { ...summary, problems: undefined }, errors: summary.problems });
    return summary;
  } finally {
    await runtime.close();
  }
}

function summarize(
  records: JobRecord[],
  totals: { items: number; appearances: number },
  storiesTotal: number,
): PipelineSummary {
  const summary: PipelineSummary = {
    sources: [],
    items: { new: 0, seen: 0, total: totals.items },
    appearances: { new: 0, total: totals.appearances },
    stories: { new: 0, total: storiesTotal },
    dedupe: { joined: 0, merges: 0, reviews: 0 },
    topics: { tagged: 0 },
    feeds: { written: [], unchanged: [], entries: 0, topicFeeds: 0 },
    editionPages: { sent: 0, written: [], unchanged: [], refused: [] },
    storyPages: { written: 0, unchanged: 0, moved: 0 },
    edition: null,
    editionPreview: null,
    notDue: [],
    problems: [],
  };
  for (const record of records) {
    if (record.error !== undefined) {
      const where = record.queue === 'ingest' ? `ingest ${record.payload.sourceId}` : record.queue;
      summary.problems.push({ where, message: record.error });
      continue;
    }
    if (record.queue === 'ingest') {
      const { result } = record;
      summary.sources.push({
        id: result.sourceId,
        documents: result.documents,
        appearances: result.appearances.total,
        ...result.items,
        fetch: result.fetchStatus,
        problems: result.problems.length,
      });
      summary.items.new += result.items.new;
      summary.items.seen += result.items.updated + result.items.unchanged;
      summary.appearances.new += result.appearances.new;
      summary.problems.push(...result.problems);
    } else if (record.queue === 'process') {
      const { result } = record;
      summary.stories.new += result.storiesCreated;
      summary.dedupe.joined += result.joined;
      summary.dedupe.merges += result.merges;
      summary.dedupe.reviews += result.reviews;
      summary.topics.tagged += result.tagged;
    } else if (record.queue === 'publish') {
      const { result } = record;
      // A publish another one had already done (a worker sharing the store) wrote nothing to report.
      if (result.coalesced) continue;
      summary.feeds = { written: result.written, unchanged: result.unchanged, entries: result.entries, topicFeeds: result.topicFeeds };
      summary.editionPages = result.editions;
      summary.storyPages = result.storyPages;
    } else if (record.queue === 'compose') {
      summary.edition = record.result;
    } else if (record.queue === 'send' && 'problems' in record.result) {
      for (const problem of record.result.problems) summary.problems.push({ where: `send ${problem.editionId}`, message: problem.message });
    }
  }
  return summary;
}
