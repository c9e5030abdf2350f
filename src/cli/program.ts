/**
 * The `newsdesk` commands, built on commander. Each command loads the
 * configuration once, does its work through the same stages and handlers as the
 * workers, and prints a summary on stdout; logs and progress go to stderr.
 * src/cli/main.ts runs them and turns the outcome into the exit code.
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import { version } from '../version.js';
import { addDeployedCommands } from './deployed.js';
import { addEditionCommands } from './editions.js';
import { addEditorCommands } from './editors.js';
import { addEvalCommands } from './evaluate.js';
import { addSubscriberCommands } from './subscribers.js';
import { labelCommand, reviewTagsCommand, showTagsCommand, trainCommand } from './tags.js';
import { createLogger, type Logger } from '../log.js';
import { limit } from './arguments.js';
import { CLI, DEFAULT_CONFIG } from './hint.js';
import { printer, type CliOutput } from './output.js';
import type { PipelineSummary } from '../../workers/embedded.js';
import { addSourceCommand, exportSources, importSources, listSourcesCommand, switchSourceCommand } from './sources.js';
import {
  keepApartCommand,
  listStoriesCommand,
  mergeStoriesCommand,
  reindexCommand,
  reviewCommand,
  searchStoriesCommand,
  showStoryCommand,
  splitStoryCommand,
} from './stories.js';

/**
 * The program, fresh for one parse (commander keeps the parsed options on it).
 * `partial` is called when a command did its work but refused some input (exit 3).
 */
export function buildProgram(io: CliOutput, partial: () => void): Command {
  const program = new Command()
    .name('newsdesk')
    .description(
      'Reads outlet feeds and the local archive, recognises reposted Stories, and publishes RSS, Atom and JSON Feeds.\n' +
        `Start with \`${CLI} run\` (that is \`npm start\`): it reads ${DEFAULT_CONFIG}, the demo on the bundled samples.`,
    )
    .version(version, '-V, --version', 'the version of newsdesk')
    // Usage errors are thrown to main.ts, which exits 2 (commander would exit 1 itself); set before the commands, which inherit it.
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .option('-c, --config <file>', `configuration file (YAML); default $NEWSDESK_CONFIG, else ${DEFAULT_CONFIG}`, process.env.NEWSDESK_CONFIG || DEFAULT_CONFIG)
    .addOption(new Option('--log-level <level>', 'log detail on stderr').choices(['debug', 'info', 'warn', 'error']).default('error'))
    .showHelpAfterError(`(run \`${CLI} --help\` for the commands)`)
    .addHelpText(
      'after',
      `
Examples:
  ${CLI} run                               read the sample archive, write out/feed.xml, atom.xml, feed.json (that is npm start)
  ${CLI} stories list                      what is in the store, newest first
  ${CLI} stories show st_…                 a Story's Items, roles, merges and why
  ${CLI} stories search "Kim Yo Jong"      Stories by words in their titles and text, best first
  ${CLI} tags review                       the Stories whose Topic labels would teach the tagger most
  ${CLI} tags label st_… +escape -women    an editor's correction, at once
  DATABASE_URL=postgres://localhost/newsdesk ${CLI} run
  ${CLI} eval dedupe --dataset ../shared/eval/dev
  ${CLI} eval tags --dataset ../shared/eval/dev
  ${CLI} eval archive --dataset ../shared/eval/dev

Exit codes: 0 done, 1 failed, 2 bad configuration or usage, 3 done but some input was refused.
The configuration keys are listed in docs/configuration.md.`,
    );

  function context(): { config: Config; log: Logger } {
    const options = program.opts<{ config: string; logLevel: string }>();
    const log = createLogger({ level: process.env.LOG_LEVEL ?? options.logLevel });
    return { config: loadConfig(options.config), log };
  }

  const progress = (line: string) => io.err(`${line}\n`);
  const print = printer(io);

  // The pipeline (every handler, the Feeds, the email) is loaded by the commands that run it, not by `--help`.
  const pipeline = () => import('./run.js');

  async function report(summary: PipelineSummary, config: Config): Promise<void> {
    const { formatSummary } = await pipeline();
    print(formatSummary(summary, config.file));
    if (summary.problems.length > 0) {
      io.err(`\n${summary.problems.length} problem(s); the rest was stored:\n`);
      for (const problem of summary.problems) io.err(`  ${problem.message}\n`);
      partial();
    }
  }

  program
    .command('run')
    .description('ingest every Source, dedupe into Stories, then publish the Feeds (the main job)')
    .option('-f, --force', 'read feed Sources even if their next fetch is not due', false)
    .action(async (options: { force: boolean }) => {
      const { config, log } = context();
      const { runCommand } = await pipeline();
      await report(await runCommand(config, log, { command: 'run', queues: ['ingest', 'process', 'publish', 'compose', 'send'], force: options.force, progress }), config);
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
      const { runCommand } = await pipeline();
      await report(
        await runCommand(config, log, {
          command: 'ingest',
          queues: ['ingest', 'process'],
          force: options.force,
          ...(options.source ? { sourceIds: options.source } : {}),
          progress,
        }),
        config,
      );
    });

  program
    .command('publish')
    .description('write the Feeds from what the store holds')
    .action(async () => {
      const { config, log } = context();
      const { runCommand } = await pipeline();
      await report(await runCommand(config, log, { command: 'publish', queues: ['publish'], progress }), config);
    });

  const stories = program.command('stories').description('Stories in the store, and editors\' corrections of repost detection');
  stories
    .command('list')
    .description('list Stories, newest first')
    .option('-n, --limit <n>', 'how many', limit, 50)
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: { limit: number; json: boolean }) => {
      const { config, log } = context();
      print(await listStoriesCommand(config, log, options));
    });
  stories
    .command('search')
    .description("find live Stories by words in their Items' titles and text, best first (\"a phrase\", or, -word), or by an id")
    .argument('<words...>', 'what to look for')
    .option('-n, --limit <n>', 'how many', limit, 20)
    .option('--json', 'print JSON instead of lines', false)
    .action(async (words: string[], options: { limit: number; json: boolean }) => {
      const { config, log } = context();
      print(await searchStoriesCommand(config, log, words, options));
    });
  stories
    .command('show')
    .description('a Story\'s provenance: every Item with its role, why it joined and where it was seen; merges; series')
    .argument('<story>', 'Story id (an id merged into another one resolves to it)')
    .option('--json', 'print JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      const { config, log } = context();
      print(await showStoryCommand(config, log, id, options));
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
    print(await mergeStoriesCommand(config, log, ids, editor(options)));
  });
  editorOptions(
    stories
      .command('split')
      .description('move Items out of a Story into a new one; later runs keep the two apart')
      .argument('<story>', 'the Story')
      .argument('<items...>', 'ids of the Items to move (see `stories show`)'),
  ).action(async (storyId: string, itemIds: string[], options: { by: string; note?: string }) => {
    const { config, log } = context();
    print(await splitStoryCommand(config, log, storyId, itemIds, editor(options)));
  });
  editorOptions(
    stories
      .command('keep-apart')
      .description('decide that two Stories are different pieces; closes the pairs waiting about them')
      .argument('<story>')
      .argument('<other>'),
  ).action(async (a: string, b: string, options: { by: string; note?: string }) => {
    const { config, log } = context();
    print(await keepApartCommand(config, log, a, b, editor(options)));
  });
  stories
    .command('reindex')
    .description("rebuild every Item's dedupe print from its text (once after an upgrade); memberships stay")
    .action(async () => {
      const { config, log } = context();
      print(await reindexCommand(config, log, progress));
    });
  stories
    .command('review')
    .description('pairs of Stories the rules were unsure about, waiting for an editor to merge or keep apart')
    .option('-n, --limit <n>', 'how many', limit, 50)
    .option('--json', 'print JSON', false)
    .action(async (options: { limit: number; json: boolean }) => {
      const { config, log } = context();
      print(await reviewCommand(config, log, options));
    });

  const sources = program.command('sources').description('the Sources: health, OPML import and export');
  sources
    .command('list')
    .description("each Source's state, last fetch outcome, last success, next fetch and error streak")
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: { json: boolean }) => {
      const { config, log } = context();
      print(await listSourcesCommand(config, log, options));
    });
  sources
    .command('add')
    .description("test-fetch a feed's address (or a site's page that names its feeds) and add it to the config file's sources")
    .argument('<address>', 'the feed, or the page whose <link rel="alternate"> names it')
    .option('--name <name>', "what editors see (default: the feed's title)")
    .option('--outlet <outlet>', "who wrote the journalism (default: the feed's title)")
    .option('-n, --dry-run', 'only fetch and say what would be added', false)
    .action(async (address: string, options: { name?: string; outlet?: string; dryRun: boolean }) => {
      const { config, log } = context();
      const { text, added } = await addSourceCommand(config, log, address, options);
      print(text);
      if (!added) partial();
    });
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    sources
      .command(verb)
      .description(`${verb} a Source in the config file (it stays listed; ${enabled ? 'it is read again' : 'it is no longer read'})`)
      .argument('<id>', 'the Source id (see `sources list`)')
      .action((id: string) => {
        const { config } = context();
        print(switchSourceCommand(config, id, enabled));
      });
  }
  sources
    .command('import')
    .description('add the feeds of an OPML file to the config file (feeds already there are skipped)')
    .argument('<opml>', 'OPML file, e.g. exported from a feed reader')
    .option('-n, --dry-run', 'only say what would be added', false)
    .action(async (file: string, options: { dryRun: boolean }) => {
      const { config } = context();
      print(await importSources(config, file, options));
    });
  sources
    .command('export')
    .description('print the feed Sources as OPML 2.0')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action((options: { output?: string }) => {
      const { config } = context();
      const opml = exportSources(config);
      if (options.output) writeFileSync(options.output, opml);
      else io.out(opml);
    });

  addDeployedCommands(program, context, io);
  addEditionCommands(program, context, io);
  addSubscriberCommands(program, context, io, partial);
  addEditorCommands(program, context, io);

  const tags = program.command('tags').description("Stories' Topics: why, editors' corrections, and the model learned from them");
  tags
    .command('show')
    .description("a Story's Topics with score and why, and every other Topic's score")
    .argument('<story>')
    .option('--json', 'print as JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      const { config, log } = context();
      print(await showTagsCommand(config, log, id, options));
    });
  tags
    .command('review')
    .description('the Stories the tagger is least sure of first (a Topic\'s score nearest its threshold), each with the command to label it; labelled Stories left out')
    .option('-n, --limit <n>', 'how many', limit, 20)
    .option('--json', 'print JSON', false)
    .action(async (options: { limit: number; json: boolean }) => {
      const { config, log } = context();
      print(await reviewTagsCommand(config, log, options));
    });
  tags
    .command('label')
    .description('correct a Story\'s Topics: +slug it carries, -slug it does not, =slug forget the label; takes effect at once and wins over rules and model')
    .argument('<story>')
    .argument('<changes...>', 'e.g. +escape -women; after `--` when a -slug could be read as an option (-china-repatriation as -c hina-repatriation)')
    .option('--by <editor>', 'editor name stored with the label', process.env.NEWSDESK_EDITOR ?? process.env.USER ?? 'editor')
    // `-women` is a change, not an option: commander would refuse it as an unknown option. Words it does not know
    // as options go to the changes instead, where parseLabelChanges refuses anything but +slug, -slug and =slug.
    // A -slug that starts like a known short option (-c) is still taken by it: `--` before the changes prevents that.
    .allowUnknownOption()
    .action(async (id: string, changes: string[], options: { by: string }) => {
      const { config, log } = context();
      print(await labelCommand(config, log, id, changes, options.by));
    });
  tags
    .command('train')
    .description('train the topic model on every editor label, then tag every Story with it')
    .action(async () => {
      const { config, log } = context();
      print(await trainCommand(config, log, progress));
    });

  addEvalCommands(program, print);

  return program;
}
