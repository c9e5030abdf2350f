/** Why an Item joined its Story, in words: the command line and the editor pages say it alike. */
import type { JoinReason } from './cluster.js';

/** Why an Item joined its Story: the rule, the Item it matched, the scores and the shared passage. */
export function describeReason(reason: JoinReason): string {
  if (reason.rule === 'first-seen') return 'first seen';
  const skeleton = reason.rule === 'rewritten' && reason.scores?.skeleton !== undefined ? `, skeleton ${reason.scores.skeleton}` : '';
  const scores = reason.scores
    ? ` (containment ${reason.scores.narrativeContainment}, resemblance ${reason.scores.resemblance}${skeleton}, ${reason.scores.passageWords}-word passage)`
    : '';
  const passage = reason.passage ? `\n      shared: “${reason.passage}”` : '';
  return `${reason.rule} with ${reason.matched}${scores}${passage}${describeDiscounted(reason.scores?.discounted, '      ')}`;
}

/** Site furniture left out of a comparison (furniture.ts), a line each. */
export function describeDiscounted(discounted: readonly string[] | undefined, indent: string): string {
  return (discounted ?? []).map((note) => `\n${indent}left out: ${note}, site furniture`).join('');
}
