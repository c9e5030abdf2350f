/**
 * Multi-label scores of predicted Topics against gold ones: per Topic
 * precision, recall and F1; micro F1 (all decisions pooled) and macro F1 (the
 * mean of per-Topic F1 over the Topics that occur in the gold labels or the
 * predictions: a Topic nobody uses or predicts says nothing either way).
 */
export interface TopicCounts {
  slug: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Stories that carry the Topic in the gold labels. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TaggingScore {
  stories: number;
  microPrecision: number;
  microRecall: number;
  microF1: number;
  macroF1: number;
  /** Topics that macro F1 averages over. */
  macroTopics: number;
  perTopic: TopicCounts[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** `gold` and `predicted` map a Story key to its Topic slugs; only the gold keys are scored. */
export function scoreTagging(gold: Map<string, string[]>, predicted: Map<string, string[]>, slugs: string[]): TaggingScore {
  const perTopic = slugs.map((slug): TopicCounts => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const [key, topics] of gold) {
      const inGold = topics.includes(slug);
      const inPredicted = (predicted.get(key) ?? []).includes(slug);
      if (inGold && inPredicted) truePositives += 1;
      else if (inPredicted) falsePositives += 1;
      else if (inGold) falseNegatives += 1;
    }
    const precision = ratio(truePositives, truePositives + falsePositives);
    const recall = ratio(truePositives, truePositives + falseNegatives);
    return { slug, truePositives, falsePositives, falseNegatives, support: truePositives + falseNegatives, precision, recall, f1: f1(precision, recall) };
  });
  const sum = (key: 'truePositives' | 'falsePositives' | 'falseNegatives') => perTopic.reduce((total, t) => total + t[key], 0);
  const microPrecision = ratio(sum('truePositives'), sum('truePositives') + sum('falsePositives'));
  const microRecall = ratio(sum('truePositives'), sum('truePositives') + sum('falseNegatives'));
  const used = perTopic.filter((t) => t.support > 0 || t.falsePositives > 0);
  return {
    stories: gold.size,
    microPrecision,
    microRecall,
    microF1: f1(microPrecision, microRecall),
    macroF1: ratio(used.reduce((total, t) => total + t.f1, 0), used.length),
    macroTopics: used.length,
    perTopic,
  };
}
