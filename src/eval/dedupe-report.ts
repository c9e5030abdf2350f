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
    `settings: containment ${s.containment}, review from ${s.reviewFrom}, min shared ${s.minShared} shingles of ${s.shingleWords} words, window ${s.windowDays} days`,
  );
  return lines.join('\n');
}
