/**
 * `newsdesk eval archive | dedupe | tags`: a stage measured against a labelled
 * dataset. They need no store; the config file, when there is one, gives the
 * dedupe thresholds and the taxonomy. The evaluations are imported by the
 * command that runs them, so the other commands do not load them.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import { loadTaxonomy } from '../tag/taxonomy.js';

/** The dedupe thresholds of the config file when there is one; the built-in ones otherwise (eval needs no config). */
function configuredDedupe(file: string): Partial<Config['dedupe']> {
  return existsSync(file) ? loadConfig(file).dedupe : {};
}

/** The taxonomy file the config names (eval tags without --topics). */
function configuredTopics(file: string): string {
  const topics = existsSync(file) ? loadConfig(file).topics : undefined;
  if (topics === undefined) throw new NewsdeskError('usage', `eval tags: give --topics <file>, or a config file (-c) that sets \`topics\` (${file} ${existsSync(file) ? 'sets none' : 'does not exist'})`);
  return topics;
}

export function addEvalCommands(program: Command, print: (text: string) => void): void {
  const configFile = () => program.opts<{ config: string }>().config;
  const evaluate = program.command('eval').description('measure a stage against a labelled dataset (see ../shared/eval/README.md for the format)');
  evaluate
    .command('archive')
    .description('archive page parsing: posts found, titles, Outlets, headings, footers')
    .requiredOption('-d, --dataset <dir>', 'folder with archive-expected.json and archive-pages.jsonl (or the page files the labels name)')
    .option('--json', 'print the figures as one JSON object', false)
    .action(async (options: { dataset: string; json: boolean }) => {
      const { evaluateArchive, formatArchiveReport, loadArchiveDataset } = await import('../eval/archive.js');
      const { pages, expected } = await loadArchiveDataset(options.dataset);
      const report = evaluateArchive(pages, expected);
      print(options.json ? JSON.stringify(report, null, 2) : formatArchiveReport(report));
    });
  evaluate
    .command('dedupe')
    .description('repost detection: pairwise and B-cubed precision/recall/F1 against two baselines, mustNotMerge violations, leave-one-site-out')
    .requiredOption('-d, --dataset <dir>', 'folder with documents.jsonl and labels.json')
    .option('--json', 'print the figures as one JSON object', false)
    .action(async (options: { dataset: string; json: boolean }) => {
      const [{ evaluateDedupe, loadDedupeDataset }, { formatDedupeReport }] = await Promise.all([import('../eval/dedupe.js'), import('../eval/dedupe-report.js')]);
      const report = await evaluateDedupe(await loadDedupeDataset(options.dataset), configuredDedupe(configFile()));
      print(options.json ? JSON.stringify(report, null, 2) : formatDedupeReport(report));
    });

  evaluate
    .command('tags')
    .description('topic tagging: micro/macro F1 and per-Topic precision/recall for rules, model (k-fold) and both')
    .requiredOption('-d, --dataset <dir>', 'folder with documents.jsonl, labels.json and topics.json')
    .option('--train <dir>', "train the model on this folder's labels instead of cross-validating on the dataset's")
    .option('--topics <file>', 'the taxonomy (default: the config file\'s `topics`)')
    .option('--no-vectors', 'tag without the word vectors (as when the install step did not run)')
    .option('--tune-vectors', "choose the word vectors' constants by leave-one-site-out (rules alone) and print that instead", false)
    .option('--json', 'print the figures as one JSON object', false)
    .action(async (options: { dataset: string; train?: string; topics?: string; vectors: boolean; tuneVectors: boolean; json: boolean }) => {
      const file = options.topics ?? configuredTopics(configFile());
      const taxonomy = loadTaxonomy(file, { vectors: options.vectors && !options.tuneVectors });
      const [{ evalTags, loadTagDataset }, { formatTagsReport }, { formatVectorTune, tuneVectors }, { wordVectorsInUse }] = await Promise.all([
        import('../eval/tags.js'),
        import('../eval/tags-report.js'),
        import('../eval/tags-vectors.js'),
        import('../tag/vectors.js'),
      ]);
      const dataset = await loadTagDataset(options.dataset, taxonomy);
      if (options.tuneVectors) {
        const words = wordVectorsInUse();
        if (words === null) throw new NewsdeskError('usage', 'eval tags --tune-vectors: no word vectors (run npm run vectors)');
        const report = await tuneVectors(dataset, taxonomy, words);
        print(options.json ? JSON.stringify(report, null, 2) : formatVectorTune(report));
        return;
      }
      const train = options.train ? await loadTagDataset(options.train, taxonomy) : undefined;
      const report = await evalTags(dataset, taxonomy, { train });
      print(options.json ? JSON.stringify(report, null, 2) : formatTagsReport(report));
    });
}
