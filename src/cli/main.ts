#!/usr/bin/env node
/**
 * The `newsdesk` command. Each command loads the configuration once, does its
 * work through the same stages and handlers as the workers, and prints a
 * summary on stdout; logs and progress go to stderr.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { ConfigError, errorMessage, NewsdeskError } from '../errors.js';
import { evaluateArchive, formatArchiveReport, loadArchiveDataset } from '../eval/archive.js';
import { evaluateDedupe, loadDedupeDataset } from '../eval/dedupe.js';
import { formatDedupeReport } from '../eval/dedupe-report.js';
import { evalTags, loadTagDataset } from '../eval/tags.js';
import { formatTagsReport } from '../eval/tags-report.js';
import { loadTaxonomy } from '../tag/taxonomy.js';
import { addDeployedCommands } from './deployed.js';
import { addEditionCommands } from './editions.js';
import { addEditorCommands } from './editors.js';
import { addSubscriberCommands } from './subscribers.js';
import { labelCommand, showTagsCommand, trainCommand } from './tags.js';
import { createLogger, type Logger } from '../log.js';
import { formatSummary, runPipeline, type PipelineSummary } from './run.js';
import { exportSources, importSources, listSourcesCommand } from './sources.js';
import {
  keepApartCommand,
  listStoriesCommand,
  mergeStoriesCommand,
  reindexCommand,
  reviewCommand,
  showStoryCommand,
  splitStoryCommand,
} from './stories.js';

/** Exit codes: 0 done, 1 failed, 2 bad configuration or usage, 3 done but some input was refused. */
const exit = { ok: 0, failed: 1, config: 2, partial: 3 } as const;

const program = new Command()
  .name('newsdesk')
  .description(
    'Reads outlet feeds and the local archive, recognises reposted Stories, and publishes RSS, Atom and JSON Feeds.\n' +
      'Start with `newsdesk run --config samples/newsdesk.yaml` (that is `npm start`).',
  )
  .option('-c, --config <file>', 'configuration file (YAML)', process.env.NEWSDESK_CONFIG ?? 'newsdesk.yaml')
  .addOption(new Option('--log-level <level>', 'log detail on stderr').choices(['debug', 'info', 'warn', 'error']).default('error'))
  .showHelpAfterError('(run `newsdesk --help` for the commands)')
  .addHelpText(
    'after',
    `
Examples:
  newsdesk run -c samples/newsdesk.yaml            read the sample archive, write out/feed.xml, atom.xml, feed.json
  newsdesk stories list -c samples/newsdesk.yaml   what is in the store, newest first
  newsdesk stories show st_… -c samples/newsdesk.yaml   a Story's Items, roles, merges and why
  newsdesk eval dedupe --dataset ../shared/eval/dev
  newsdesk eval tags --dataset ../shared/eval/dev -c samples/newsdesk.yaml
  newsdesk tags label st_… +escape -women -c samples/newsdesk.yaml   an editor's correction, at once
  DATABASE_URL=postgres://localhost/newsdesk newsdesk run -c samples/newsdesk.yaml
  newsdesk eval archive --dataset ../shared/eval/dev

Exit codes: 0 done, 1 failed, 2 bad configuration or usage, 3 done but some input was refused.
The configuration keys are listed in README.md.`,
  );

function context(): { config: Config; log: Logger } {
  const options = program.opts<{ config: string; logLevel: string }>();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? options.logLevel });
  return { config: loadConfig(options.config), log };
}

/** The dedupe thresholds of the config file when there is one; the built-in ones otherwise (eval needs no config). */
function configuredDedupe(): Partial<Config['dedupe']> {
  const file = program.opts<{ config: string }>().config;
  return existsSync(file) ? loadConfig(file).dedupe : {};
}

/** The taxonomy file the config names (eval tags without --topics). */
function configuredTopics(): string {
  const file = program.opts<{ config: string }>().config;
  const topics = existsSync(file) ? loadConfig(file).topics : undefined;
  if (topics === undefined) throw new NewsdeskError('usage', `eval tags: give --topics <file>, or a config file (-c) that sets \`topics\` (${file} ${existsSync(file) ? 'sets none' : 'does not exist'})`);
  return topics;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

function report(summary: PipelineSummary): void {
  console.log(formatSummary(summary));
  if (summary.problems.length > 0) {
    process.stderr.write(`\n${summary.problems.length} problem(s); the rest was stored:\n`);
    for (const problem of summary.problems) process.stderr.write(`  ${problem.message}\n`);
    process.exitCode = exit.partial;
  }
}

program
  .command('run')
  .description('ingest every Source, dedupe into Stories, then publish the Feeds (the main job)')
  .option('-f, --force', 'read feed Sources even if their next fetch is not due', false)
  .action(async (options: { force: boolean }) => {
    const { config, log } = context();
    report(await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish', 'compose', 'send'], force: options.force, progress }));
  });

program
  .command('ingest')
  .description('read Sources into Items and Stories without publishing')
  .option('-s, --source <id...>', 'only these Sources (ids from the config)')
  .option('-f, --force', 'read feed Sources even if their next fetch is not due', false)
  .action(async (options: { source?: string[]; force: boolean }) => {
    const { config, log } = context();
    const unknown = (options.source ?? []).filter((id) => !config.sources.some((source) => source.id === id));
    if (unknown.length > 0) throw new NewsdeskError('usage', `ingest: unknown Source id(s): ${unknown.join(', ')}`);
    report(
      await runPipeline(config, log, {
        command: 'ingest',
        queues: ['ingest', 'process'],
        force: options.force,
        ...(options.source ? { sourceIds: options.source } : {}),
        progress,
      }),
    );
  });

program
  .command('publish')
  .description('write the Feeds from what the store holds')
  .action(async () => {
    const { config, log } = context();
    report(await runPipeline(config, log, { command: 'publish', queues: ['publish'], progress }));
  });

const stories = program.command('stories').description('Stories in the store, and editors\' corrections of repost detection');
stories
  .command('list')
  .description('list Stories, newest first')
  .option('-n, --limit <n>', 'how many', (value) => Number.parseInt(value, 10), 50)
  .option('--json', 'print JSON instead of a table', false)
  .action(async (options: { limit: number; json: boolean }) => {
    const { config, log } = context();
    console.log(await listStoriesCommand(config, log, options));
  });
stories
  .command('show')
  .description('a Story\'s provenance: every Item with its role, why it joined and where it was seen; merges; series')
  .argument('<story>', 'Story id (an id merged into another one resolves to it)')
  .option('--json', 'print JSON', false)
  .action(async (id: string, options: { json: boolean }) => {
    const { config, log } = context();
    console.log(await showStoryCommand(config, log, id, options));
  });

/** Who made an editor's decision, as stored with it. */
const editorOptions = (command: Command) =>
  command
    .option('--by <editor>', 'editor name stored with the decision', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor')
    .option('--note <text>', 'why, stored with the decision');
const editor = (options: { by: string; note?: string }) => ({ editor: options.by, note: options.note ?? null });

editorOptions(
  stories
    .command('merge')
    .description('merge Stories the rules kept apart, into the oldest of them; later runs keep them together')
    .argument('<stories...>', 'two or more Story ids'),
).action(async (ids: string[], options: { by: string; note?: string }) => {
  const { config, log } = context();
  console.log(await mergeStoriesCommand(config, log, ids, editor(options)));
});
editorOptions(
  stories
    .command('split')
    .description('move Items out of a Story into a new one; later runs keep the two apart')
    .argument('<story>', 'the Story')
    .argument('<items...>', 'ids of the Items to move (see `stories show`)'),
).action(async (storyId: string, itemIds: string[], options: { by: string; note?: string }) => {
  const { config, log } = context();
  console.log(await splitStoryCommand(config, log, storyId, itemIds, editor(options)));
});
editorOptions(
  stories
    .command('keep-apart')
    .description('decide that two Stories are different pieces; closes the pairs waiting about them')
    .argument('<story>')
    .argument('<other>'),
).action(async (a: string, b: string, options: { by: string; note?: string }) => {
  const { config, log } = context();
  console.log(await keepApartCommand(config, log, a, b, editor(options)));
});
stories
  .command('reindex')
  .description("rebuild every Item's dedupe print from its text (once after an upgrade); memberships stay")
  .action(async () => {
    const { config, log } = context();
    console.log(await reindexCommand(config, log, progress));
  });
stories
  .command('review')
  .description('pairs of Stories the rules were unsure about, waiting for an editor to merge or keep apart')
  .option('-n, --limit <n>', 'how many', (value) => Number.parseInt(value, 10), 50)
  .option('--json', 'print JSON', false)
  .action(async (options: { limit: number; json: boolean }) => {
    const { config, log } = context();
    console.log(await reviewCommand(config, log, options));
  });

const sources = program.command('sources').description('the Sources: health, OPML import and export');
sources
  .command('list')
  .description("each Source's state, last fetch outcome, last success, next fetch and error streak")
  .option('--json', 'print JSON instead of a table', false)
  .action(async (options: { json: boolean }) => {
    const { config, log } = context();
    console.log(await listSourcesCommand(config, log, options));
  });
sources
  .command('import')
  .description('add the feeds of an OPML file to the config file (feeds already there are skipped)')
  .argument('<opml>', 'OPML file, e.g. exported from a feed reader')
  .option('-n, --dry-run', 'only say what would be added', false)
  .action(async (file: string, options: { dryRun: boolean }) => {
    const { config } = context();
    console.log(await importSources(config, file, options));
  });
sources
  .command('export')
  .description('print the feed Sources as OPML 2.0')
  .option('-o, --output <file>', 'write to this file instead of stdout')
  .action((options: { output?: string }) => {
    const { config } = context();
    const opml = exportSources(config);
    if (options.output) writeFileSync(options.output, opml);
    else process.stdout.write(opml);
  });

addDeployedCommands(program, context, progress);
addEditionCommands(program, context);
addSubscriberCommands(program, context);
addEditorCommands(program, context);

const tags = program.command('tags').description("Stories' Topics: why, editors' corrections, and the model learned from them");
tags
  .command('show')
  .description("a Story's Topics with score and why, and every other Topic's score")
  .argument('<story>')
  .option('--json', 'print as JSON', false)
  .action(async (id: string, options: { json: boolean }) => {
    const { config, log } = context();
    console.log(await showTagsCommand(config, log, id, options));
  });
tags
  .command('label')
  .description('correct a Story\'s Topics: +slug it carries, -slug it does not, =slug forget the label; takes effect at once and wins over rules and model')
  .argument('<story>')
  .argument('<changes...>', 'e.g. +escape -women')
  .option('--by <editor>', 'editor name stored with the label', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor')
  .action(async (id: string, changes: string[], options: { by: string }) => {
    const { config, log } = context();
    console.log(await labelCommand(config, log, id, changes, options.by));
  });
tags
  .command('train')
  .description('train the topic model on every editor label, then tag every Story with it')
  .action(async () => {
    const { config, log } = context();
    console.log(await trainCommand(config, log, progress));
  });

const evaluate = program.command('eval').description('measure a stage against a labelled dataset (see ../shared/eval/README.md for the format)');
evaluate
  .command('archive')
  .description('archive page parsing: posts found, titles, Outlets, headings, footers')
  .requiredOption('-d, --dataset <dir>', 'folder with archive-pages.jsonl and archive-expected.json')
  .option('--json', 'print the figures as one JSON object', false)
  .action(async (options: { dataset: string; json: boolean }) => {
    const { pages, expected } = await loadArchiveDataset(options.dataset);
    const report = evaluateArchive(pages, expected);
    console.log(options.json ? JSON.stringify(report, null, 2) : formatArchiveReport(report));
  });
evaluate
  .command('dedupe')
  .description('repost detection: pairwise and B-cubed precision/recall/F1 against two baselines, mustNotMerge violations')
  .requiredOption('-d, --dataset <dir>', 'folder with documents.jsonl and labels.json')
  .option('--json', 'print the figures as one JSON object', false)
  .action(async (options: { dataset: string; json: boolean }) => {
    const report = await evaluateDedupe(await loadDedupeDataset(options.dataset), configuredDedupe());
    console.log(options.json ? JSON.stringify(report, null, 2) : formatDedupeReport(report));
  });

evaluate
  .command('tags')
  .description('topic tagging: micro/macro F1 and per-Topic precision/recall for rules, model (k-fold) and both')
  .requiredOption('-d, --dataset <dir>', 'folder with documents.jsonl, labels.json and topics.json')
  .option('--train <dir>', "train the model on this folder's labels instead of cross-validating on the dataset's")
  .option('--topics <file>', 'the taxonomy (default: the config file\'s `topics`)')
  .option('--json', 'print the figures as one JSON object', false)
  .action(async (options: { dataset: string; train?: string; topics?: string; json: boolean }) => {
    const file = options.topics ?? configuredTopics();
    const taxonomy = loadTaxonomy(file);
    const dataset = await loadTagDataset(options.dataset, taxonomy);
    const train = options.train ? await loadTagDataset(options.train, taxonomy) : undefined;
    const report = await evalTags(dataset, taxonomy, { train });
    console.log(options.json ? JSON.stringify(report, null, 2) : formatTagsReport(report));
  });

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`newsdesk: ${errorMessage(error)}\n`);
  process.exitCode = error instanceof ConfigError || (error instanceof NewsdeskError && error.code === 'usage') ? exit.config : exit.failed;
}
