/**
 * The Edition as the digest step owns it: the week's email with its entries in
 * order, whatever stores it (src/store/editions.ts maps rows to it).
 */
import type { EditionEntry } from './compose.js';
import type { EditionStatus } from './edition-status.js';
import type { SummaryForm } from './summary.js';

/** A Story in an Edition, with the section it stands in. */
export interface StoredEntry extends EditionEntry {
  /** Topic slug of the section; null: Stories with no Topic. */
  section: string | null;
  sectionLabel: string;
}

/** A week's Edition: its state, subject, intro and entries. */
export interface Edition {
  id: string;
  week: string;
  status: EditionStatus;
  subject: string;
  /**
   * An editor wrote the subject (the Edition's history has a subject change). If not, the subject is derived
   * from the Stories at render time (src/digest/render-view.ts), so each reader's names a Story they get.
   */
  subjectEdited: boolean;
  intro: string;
  /** How long the summaries in its email are: the short form (the default) or the whole stored summary. */
  summaries: SummaryForm;
  windowStart: Date;
  windowEnd: Date;
  skippedReason: string | null;
  composedAt: Date;
  editedAt: Date | null;
  updatedAt: Date;
  /** In the order the email shows them. */
  entries: StoredEntry[];
}

/** An Edition that went out (or is going out), with when: its `sent` move, else when sending started, else (moved by hand) the end of its week. */
export type SentEdition = Edition & { sentAt: Date };
