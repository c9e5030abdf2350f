/**
 * Where a Topic decision about a Story came from, for editors: an editor's
 * label, the rules, or the model. The model decided when its share moved the
 * score across the threshold the rules alone were on the other side of;
 * otherwise the rules did (the model agreeing, or against them too weakly).
 */
import type { TopicExplanation } from './tag.js';

export type DecidedBy = 'editor' | 'rules' | 'model';

export interface TopicDecision {
  by: DecidedBy;
  /** How far the score is from the threshold, positive above it (0 for an editor's label: the score did not decide). */
  margin: number;
  /** What `by` does not say, in a few words (`lifted it over; rules alone 0.41`); empty when the rules alone decided as usual. */
  words: string;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * `given`: the Story carries the Topic now; `label`: an editor's label on it
 * (true: carries, false: does not), undefined when none.
 */
export function topicDecision(topic: { score: number; explanation: TopicExplanation }, given: boolean, label?: boolean): TopicDecision {
  const { score, explanation } = topic;
  const { threshold, rulesScore, modelShare, modelScore } = explanation;
  if (label !== undefined || explanation.editor) {
    return { by: 'editor', margin: 0, words: label === false ? 'label: does not carry it' : 'label: carries it' };
  }
  const margin = round(score - threshold);
  const over = score >= threshold;
  const notes: string[] = [];
  const counts = modelShare > 0 && modelScore !== undefined;
  const by: DecidedBy = counts && over !== rulesScore >= threshold ? 'model' : 'rules';
  if (by === 'model') notes.push(`${over ? 'lifted it over' : 'held it under'}; rules alone ${rulesScore}`);
  else if (counts) notes.push(modelScore >= threshold === over ? 'the model agreeing' : 'the model against, too weakly');
  // Given though under the line: the strongest Topic, close enough; not given though over: stronger Topics took the places.
  if (given && !over) notes.push('given as the strongest Topic, close to its threshold');
  if (!given && over) notes.push('not given: stronger Topics were');
  return { by, margin, words: notes.join('; ') };
}
