/** The `eval dedupe` report as text: the three systems side by side, then what went wrong. */
import { formatTable } from '../cli/table.js';
import type { DedupeEvalReport } from './dedupe.js';
import type { ClusteringScore } from './dedupe-score.js';

const fixed = (value: number) => value.toFixed(4);

function row(name: string, score: ClusteringScore): string[] {
  const p = score.pairwise;
  return [
    name,
    fixed(p.precision),
    fixed(p.recall),
    fixed(p.f1),
    `${p.truePairs}/${p.predictedPairs}/${p.goldPairs}`,
    fixed(score.bcubed.precision),
    fixed(score.bcubed.recall),
    fixed(score.bcubed.f1),
    String(score.clusters),
    String(score.mustNotMergeViolations.length),
  ];
}

export function formatDedupeReport(report: DedupeEvalReport): string {
  const lines: string[] = [];
  lines.push(`${report.documents} documents, ${report.items} Items, ${report.goldClusters} gold clusters`);
  lines.push('');
  lines.push(
    formatTable(
      ['system', 'pair P', 'pair R', 'pair F1', 'true/pred/gold', 'B3 P', 'B3 R', 'B3 F1', 'clusters', 'mustNotMerge'],
      [
        row('newsdesk', report.newsdesk),
        row('exact hash only', report.baselines.exactHash),
        row('5-gram Jaccard >= 0.5', report.baselines.jaccard5),
      ],
    ),
  );
  lines.push('');
  lines.push(...formatLoso(report));
  lines.push('');
  const rules = Object.entries(report.newsdesk.rules).sort((a, b) => b[1] - a[1]);
  lines.push(`newsdesk: Items by rule: ${rules.map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
  const queued = report.newsdesk.reviewPairs.map((pair) => `${pair.a} + ${pair.b}`).join(', ');
  lines.push(`newsdesk: ${report.newsdesk.storyMerges} Story merges, ${report.newsdesk.pendingReviews} pairs queued for editors${queued ? `: ${queued}` : ''}`);
  const violations = report.newsdesk.mustNotMergeViolations;
  lines.push(`mustNotMerge pairs merged by newsdesk: ${violations.length === 0 ? 'none' : ''}`);
  for (const pair of violations) lines.push(`  ${pair.a} + ${pair.b}: ${pair.reason ?? ''}`);
  const wrong = report.newsdesk.pairs.filter((pair) => pair.predicted !== pair.expected);
  lines.push(`labelled pairs (siblings, sameSourceNoOverlap, hard): ${report.newsdesk.pairs.length - wrong.length}/${report.newsdesk.pairs.length} as expected`);
  for (const pair of wrong) {
    const note = pair.ambiguous ? ' [also ambiguous: left out of the scores]' : '';
    lines.push(`  ${pair.list} ${pair.a} + ${pair.b}: expected ${pair.expected}, got ${pair.predicted}${note} (${pair.reason ?? ''})`);
  }
  const s = report.settings;
  lines.push(
    `settings: containment ${s.containment}, review from ${s.reviewFrom}, min shared ${s.minShared} shingles of ${s.shingleWords} words, window ${s.windowDays} days, ` +
      `fact conflicts ${s.factConflicts}, template share ${s.templateShare}, rewrite skeleton ${s.rewriteSkeleton} (min ${s.minSkeleton}), rewrite facts ${s.rewriteFacts}, furniture pages ${s.furniturePages} (edge ${s.furnitureEdgePages})`,
  );
  return lines.join('\n');
}

const pairs = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** The leave-one-site-out figure beside the dev figure with the shipped constants, and what the folds chose. */
function formatLoso(report: DedupeEvalReport): string[] {
  const loso = report.loso;
  const dev = report.newsdesk.pairwise;
  const p = loso.pairwise;
  const lines = [
    `leave-one-site-out over ${loso.sites} sites: each site's pairs scored with constants chosen on the other sites' documents (a pair of two sites counts half in each fold):`,
    formatTable(
      ['newsdesk', 'pair P', 'pair R', 'pair F1', 'true/pred/gold', 'mustNotMerge'],
      [
        ['shipped constants (dev)', fixed(dev.precision), fixed(dev.recall), fixed(dev.f1), `${dev.truePairs}/${dev.predictedPairs}/${dev.goldPairs}`, String(report.newsdesk.mustNotMergeViolations.length)],
        ['leave-one-site-out', fixed(p.precision), fixed(p.recall), fixed(p.f1), `${pairs(p.truePairs)}/${pairs(p.predictedPairs)}/${pairs(p.goldPairs)}`, String(loso.mustNotMergeViolations)],
      ],
    ),
    `constants chosen per fold: ${Object.entries(loso.spread)
      .map(([name, counts]) => `${name} ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([value, n]) => `${value} ×${n}`).join(', ')}`)
      .join('; ')}`,
  ];
  const d = loso.replayAtDefaults;
  if (d.precision !== dev.precision || d.recall !== dev.recall) {
    lines.push(`(the in-memory replay with the shipped constants gives P ${fixed(d.precision)} R ${fixed(d.recall)}, not the pipeline's: the folds are measured on the replay)`);
  }
  return lines;
}
