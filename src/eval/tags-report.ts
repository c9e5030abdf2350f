/** The `eval tags` report as text: the three systems side by side, then each Topic, then the Stories the combination gets wrong. */
import { formatTable } from '../cli/table.js';
import type { TagEvalReport } from './tags.js';
import type { TaggingScore } from './tags-score.js';

const f = (x: number) => x.toFixed(4);

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
