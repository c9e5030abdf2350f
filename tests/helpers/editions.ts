/**
 * Editions as the store gives them back, built in memory for render tests and
 * the bench: from entries given directly, or from what compose made.
 */
import type { ComposedEdition, EditionEntry } from '../../src/digest/compose.js';
import type { Edition, StoredEntry } from '../../src/digest/edition.js';
import { editionWindow } from '../../src/week.js';

export function storedEdition(entries: StoredEntry[], fields: Partial<Edition> = {}): Edition {
  const window = editionWindow(fields.week ?? '2026-W47', { day: 'monday', time: '07:00', timezone: 'UTC' });
  const at = new Date(window.end.getTime());
  return {
    id: window.week,
    week: window.week,
    status: 'draft',
    subject: 'Newsdesk: the week',
    subjectEdited: false,
    intro: '',
    summaries: 'short',
    windowStart: window.start,
    windowEnd: window.end,
    skippedReason: null,
    composedAt: at,
    editedAt: null,
    updatedAt: at,
    entries,
    ...fields,
  };
}

/** The Edition saveComposedEdition would store for a composed draft. */
export function editionFromComposed(composed: ComposedEdition): Edition {
  if (composed.status !== 'draft') throw new Error(`editions helper: ${composed.week} was skipped: ${composed.reason}`);
  const entries = composed.sections.flatMap((section) =>
    section.entries.map((entry: EditionEntry): StoredEntry => ({ ...entry, section: section.slug, sectionLabel: section.label })),
  );
  return storedEdition(entries, { id: composed.week, week: composed.week, subject: composed.subject });
}
