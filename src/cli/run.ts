/**
 * `newsdesk run | ingest | publish`: the embedded way to run the pipeline, jobs
 * in-process and in order, through the same handlers the queue workers use.
 */
import path from 'node:path';
import { handlers } from '../../workers/handlers.js';
import type { Config } from '../config.js';
import { previewEdition, type EditionPreview } from '../digest/preview.js';
import type { Logger } from '../log.js';
import { InlineJobs, type JobRecord } from '../queue/inline.js';
import type { QueueName } from '../queue/jobs.js';
import type { ComposeResult, PublishResult } from '../queue/results.js';
import { openRuntime, jobDeps } from '../runtime.js';
import { countItems } from '../store/items.js';
import { listSources } from '../store/sources.js';
import { finishRun, startRun, type RunProblem } from '../store/runs.js';
import { countStories } from '../store/stories.js';
import { weekInProgress } from '../week.js';
import { describeComposed } from './editions.js';
import { hint } from './hint.js';
import { formatTable } from './table.js';

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
    progress?: (line: string) => void;
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
        options.progress?.(`· ingest ${source.id}: not due until ${source.nextFetchAt.toISOString()} (--force reads it now)`);
        continue;
      }
      await jobs.add('ingest', { sourceId: source.id });
    }

    const jobHandlers = handlers(jobDeps(runtime, jobs));
    const onJob = (record: JobRecord) => options.progress?.(describeJob(record));
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

function describeJob(record: JobRecord): string {
  const took = `${(record.ms / 1000).toFixed(1)} s`;
  if (record.error !== undefined) return `✗ ${record.queue}: ${record.error}`;
  if (record.queue === 'ingest') {
    const { result } = record;
    const fetched = result.fetchStatus ? `${result.fetchStatus}, ` : '';
    const mark = result.problems.length > 0 ? '!' : '✓';
    return `${mark} ingest ${result.sourceId}: ${fetched}${result.documents} read, ${result.items.new} new Items (${took})`;
  }
  if (record.queue === 'process') {
    const { result } = record;
    const joined = result.joined > 0 ? `, ${result.joined} joined one` : '';
    const merged = result.merges > 0 ? `, ${result.merges} merged` : '';
    const tagged = result.tagged > 0 ? `, ${result.tagged} tagged` : '';
    return `✓ process: ${result.assigned} Items into Stories, ${result.storiesCreated} new${joined}${merged}${tagged} (${took})`;
  }
  if (record.queue === 'compose') return `✓ compose: ${describeComposed(record.result)} (${took})`;
  if (record.queue === 'send') {
    const { result } = record;
    if ('started' in result) return `✓ send: ${result.started.length > 0 ? `started ${result.started.join(', ')}` : 'no Edition due'} (${took})`;
    return `✓ send: edition ${result.editionId} batch ${result.batch}: ${result.sent} sent, ${result.bounced} bounced, ${result.failed} failed, ${result.skipped} skipped (${took})`;
  }
  const { result } = record;
  if (result.coalesced) return `✓ publish: already published (${took})`;
  return `✓ publish: ${result.entries} entries, ${result.topicFeeds} Topic Feeds, ${result.written.length} files written (${took})`;
}

/** The summary table and lines; `configFile` is the config the run read, named again in the commands it suggests. */
export function formatSummary(summary: PipelineSummary, configFile?: string): string {
  const sourceRows = summary.sources.map((source) => [
    source.id,
    String(source.documents),
    String(source.appearances),
    String(source.new),
    String(source.updated + source.unchanged),
    source.fetch ?? '-',
    String(source.problems),
  ]);
  const lines = [
    formatTable(['Source', 'read', 'places', 'Items new', 'Items seen', 'fetch', 'problems'], sourceRows),
    '',
    formatTable(
      ['', 'new', 'total'],
      [
        ['Items', String(summary.items.new), String(summary.items.total)],
        ['Appearances', String(summary.appearances.new), String(summary.appearances.total)],
        ['Stories', String(summary.stories.new), String(summary.stories.total)],
      ],
    ),
    '',
    ...(summary.dedupe.joined + summary.dedupe.merges + summary.dedupe.reviews > 0
      ? [
          `Reposts: ${summary.dedupe.joined} Items joined a Story, ${summary.dedupe.merges} Stories merged, ` +
            `${summary.dedupe.reviews} pairs for an editor (${hint(configFile, 'stories review')})`,
          '',
        ]
      : []),
    ...(summary.topics.tagged > 0 ? [`Topics: ${summary.topics.tagged} Stories tagged`, ''] : []),
    `Feeds: the overall Feed (${summary.feeds.entries} entries)` +
      (summary.feeds.topicFeeds > 0 ? ` and ${summary.feeds.topicFeeds} Topic Feeds` : '') +
      `, as RSS, Atom and JSON Feed: ${summary.feeds.written.length} files written, ${summary.feeds.unchanged.length} unchanged`,
  ];
  // The overall Feed's files by name; Topic Feeds by their folder (there are three per Topic).
  const topicFiles = summary.feeds.written.filter((file) => /[\\/]topics[\\/][^\\/]+$/.test(file));
  for (const file of summary.feeds.written.filter((file) => !topicFiles.includes(file))) lines.push(`  ${file}`);
  if (topicFiles.length > 0) lines.push(`  ${topicFiles.length} files in ${path.dirname(topicFiles[0]!)}`);
  const stories = summary.storyPages;
  if (stories.written + stories.unchanged > 0) {
    const moved = stories.moved > 0 ? ` (${stories.moved} of merged-away Stories, sending readers on)` : '';
    lines.push(`Story pages (stories/<id>/index.html), for the Stories with no Outlet's address: ${stories.written} written, ${stories.unchanged} unchanged${moved}`);
  }
  const pages = summary.editionPages;
  if (pages.sent > 0) {
    lines.push(`Sent Editions: ${pages.sent}, a page each and the Editions Feed: ${pages.written.length} files written, ${pages.unchanged.length} unchanged`);
    for (const problem of pages.refused) lines.push(`  no page: ${problem}`);
  }
  if (summary.edition) lines.push('', `Edition: ${describeComposed(summary.edition)}; ${hint(configFile, `edition show ${summary.edition.editionId}`)}`);
  if (summary.editionPreview) lines.push(describePreview(summary.editionPreview));
  return lines.join('\n');
}

function describePreview(preview: EditionPreview): string {
  const bytes = (n: number) => `${n.toLocaleString('en')} bytes`;
  if (preview.status === 'written') return `  email: ${preview.html} (${bytes(preview.htmlBytes)}) and ${preview.text} (${bytes(preview.textBytes)})`;
  if (preview.status === 'skipped') return '  email: none, the week was skipped';
  return `  email: not written: ${preview.message}`;
}
