/** Editors' Topic labels as they write them (`tags label`, the Story page's form). */
import { NewsdeskError } from '../errors.js';
import type { Taxonomy } from './taxonomy.js';

export interface LabelChange {
  slug: string;
  /** true: carries it; false: does not; null: forget the label (rules and model decide again). */
  carries: boolean | null;
}

/** `+escape -women =faith` as label changes; an unknown slug or form is a usage error naming it. */
export function parseLabelChanges(args: string[], taxonomy: Taxonomy): LabelChange[] {
  const known = new Set(taxonomy.topics.map((t) => t.slug));
  return args.map((arg) => {
    const match = /^([+\-=])([a-z0-9-]+)$/.exec(arg);
    if (!match) throw new NewsdeskError('usage', `tags label: "${arg}": write +slug (carries it), -slug (does not) or =slug (forget the label)`);
    const [, sign, slug] = match as unknown as [string, string, string];
    if (!known.has(slug)) throw new NewsdeskError('usage', `tags label: "${slug}" is not a Topic of the taxonomy (${[...known].join(', ')})`);
    return { slug, carries: sign === '+' ? true : sign === '-' ? false : null };
  });
}
