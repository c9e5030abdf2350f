/** Why a Story carries a Topic, in words: the command line and the editor pages say it alike. */
import type { TopicExplanation } from './tag.js';

/** An editor, or the rules' score and phrases and the model's score, terms and share. */
export function describeExplanation(explanation: TopicExplanation): string {
  if (explanation.editor) return 'an editor';
  const phrases = explanation.phrases.map((p) => `${p.phrase}${p.title ? ' (title)' : p.lead ? ' (lead)' : ''}`).slice(0, 5).join(', ');
  const share =
    explanation.modelShareFrom === 'unmeasured'
      ? 'share 0, trained before shares were measured: run tags train'
      : `share ${explanation.modelShare}${explanation.modelShare === 0 ? ', no gain over the rules on held-out folds' : ', measured on held-out folds'}`;
  const model = explanation.modelScore === undefined ? '' : `; model ${explanation.modelScore} (${(explanation.features ?? []).map((f) => f.term).join(', ')}; ${share})`;
  return `rules ${explanation.rulesScore}${phrases ? `: ${phrases}` : ''}${model}`;
}
