/**
 * `newsdesk run | ingest | publish` as the command line shows them: each job
 * as it ends, and the summary of the embedded run (workers/embedded.ts).
 */
import path from 'node:path';
import { runPipeline, type PipelineSummary } from '../../workers/embedded.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { EditionPreview } from '../digest/preview.js';
import type { JobRecord } from '../queue/inline.js';
import { describeComposed } from './editions.js';
import { hint } from './hint.js';
import { formatTable } from './table.js';

/** The embedded run of a command, each job and each Source not due yet told on `progress` as it happens. */
export function runCommand(
  config: Config,
  log: Logger,
  options: Omit<Parameters<typeof runPipeline>[2], 'onJob' | 'onNotDue'> & { progress: (line: string) => void },
): Promise<PipelineSummary> {
  const { progress, ...run } = options;
  return runPipeline(config, log, {
    ...run,
    onJob: (record) => progress(describeJob(record)),
    onNotDue: (sourceId, nextFetchAt) => progress(`· ingest ${sourceId}: not due until ${nextFetchAt.toISOString()} (--force reads it now)`),
  });
}

/** A job as a progress line. */
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
