/**
 * The `eval tags` report as text: the three systems side by side (k-fold, or
 * trained on another split), the same with folds grouped by site and by
 * Source, each Topic's model share, each Topic's figures, then the Stories the
 * combination gets wrong.
 */
import { formatTable } from '../cli/table.js';
import type { TagEvalReport } from './tags.js';
import type { ConstantsReport } from './tags-constants.js';
import type { TaggingScore } from './tags-score.js';

const f = (x: number) => x.toFixed(4);
const maybe = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits));

function formatConstants(c: ConstantsReport): string {
  const names = Object.keys(c.shipped) as (keyof ConstantsReport['shipped'])[];
  const setting = (s: ConstantsReport['shipped']) => names.map((name) => `${name} ${s[name]}`).join(', ');
  return [
    `Rule constants, each of ${c.sites} sites tagged with the setting chosen on the others (rules alone):`,
    `  shipped: ${setting(c.shipped)}`,
    `  chosen on every site: ${setting(c.chosenOnAll)}`,
    ...names.map((name) => `  ${name} chosen by the folds: ${Object.entries(c.spread[name]).map(([value, n]) => `${value} (${n})`).join(', ')}`),
    `  held-out sites: micro F1 ${f(c.heldOut.microF1)}, macro F1 ${f(c.heldOut.macroF1)}`,
    `  every Story (dev), shipped: micro F1 ${f(c.dev.microF1)}, macro F1 ${f(c.dev.macroF1)}; chosen on every site: micro F1 ${f(c.devChosen.microF1)}, macro F1 ${f(c.devChosen.macroF1)}`,
  ].join('\n');
}

export function formatTagsReport(report: TagEvalReport): string {
  const systems: [string, TaggingScore][] = [
    ['rules alone', report.rules],
    ['model alone', report.modelAlone],
    ['rules + model', report.combined],
  ];
  const trained =
    report.model.folds === null
      ? `model trained on ${report.model.trainedOn} (${report.model.examples} labelled Stories)`
      : `model by ${report.model.folds}-fold cross-validation on the dataset's own labels (up to ${report.model.examples} labelled Stories per fold)`;
  const lines = [
    `${report.stories} labelled Stories, ${report.taxonomy.topics.length} Topics (taxonomy ${report.taxonomy.version}); ${trained}`,
    '',
    formatTable(
      ['system', 'micro P', 'micro R', 'micro F1', 'macro F1', 'Topics in macro'],
      systems.map(([name, s]) => [name, f(s.microPrecision), f(s.microRecall), f(s.microF1), f(s.macroF1), String(s.macroTopics)]),
    ),
    '',
    ...(report.grouped.length === 0
      ? []
      : [
          'Folds grouped by where Stories come from (each site, or Source, left out in turn; the model never saw its Stories):',
          formatTable(
            ['folds', 'system', 'micro P', 'micro R', 'micro F1', 'macro F1'],
            report.grouped.flatMap((run) =>
              (
                [
                  ['rules alone', run.rules],
                  ['model alone', run.modelAlone],
                  ['rules + model', run.combined],
                ] as [string, TaggingScore][]
              ).map(([name, s]) => [`${run.folds} by ${run.by === 'site' ? 'site' : 'Source'}`, name, f(s.microPrecision), f(s.microRecall), f(s.microF1), f(s.macroF1)]),
            ),
          ),
          '',
        ]),
    ...(report.constants === null ? [] : [formatConstants(report.constants), '']),
    `Model share per Topic (trained on every label of ${report.model.folds === null ? report.model.trainedOn : 'the dataset'}; measured on folds grouped by Source, 0 unless it beats the rules):`,
    formatTable(
      ['Topic', 'carry', 'do not', 'share', 'rules F1', 'with share'],
      report.weights.map((w) => [w.slug, String(w.positives), String(w.negatives), w.share === null ? 'no model' : w.share.toFixed(2), maybe(w.rulesF1), maybe(w.combinedF1)]),
    ),
    '',
    formatTable(
      ['Topic', 'support', 'rules P', 'rules R', 'model P', 'model R', 'both P', 'both R', 'both F1'],
      report.combined.perTopic.map((t, i) => {
        const rules = report.rules.perTopic[i]!;
        const model = report.modelAlone.perTopic[i]!;
        return [t.slug, String(t.support), f(rules.precision), f(rules.recall), f(model.precision), f(model.recall), f(t.precision), f(t.recall), f(t.f1)];
      }),
    ),
    '',
    `Stories where rules + model differ from the labels: ${report.misses.length}`,
    ...report.misses.map((m) => `  ${m.key}  labels ${m.gold.join(', ') || '-'}; got ${m.predicted.join(', ') || '-'}  (${m.title.slice(0, 60)})`),
  ];
  return lines.join('\n');
}
