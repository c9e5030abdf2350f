/**
 * The Edition's life, checked in one place (as listmonk does for campaigns):
 *
 *   draft ──approve──▶ approved ──send──▶ sending ──last Delivery, or cancel──▶ sent
 *     ▲                   │ edit            │    ▲
 *     └───────────────────┘           pause ▼    │ resume
 *                                         sending, paused (paused_at set; no message goes out)
 *   draft | approved ──discard──▶ discarded
 *   (compose) ──▶ draft | skipped  a new or untouched draft; a thin week: no email, the reason kept
 *
 * Approving does not send: an approved Edition goes out when sent (now or at a
 * time, confirmed on the review page, or `edition send`). A send under way can be
 * paused and resumed (its status stays `sending`: src/store/send-controls.ts) or
 * cancelled: the rest of its Deliveries are cancelled and it becomes `sent`, since
 * some Subscribers may have it. Every status change is written by one function,
 * setEditionStatus (src/store/editions.ts), after this table allows it; compose
 * writes the status of a new or untouched draft with its content.
 */
import { NewsdeskError } from '../errors.js';

export const EDITION_STATUSES = ['draft', 'approved', 'sending', 'sent', 'discarded', 'skipped'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

const allowed: Record<EditionStatus, readonly EditionStatus[]> = {
  draft: ['approved', 'discarded'],
  // Editing an approved Edition returns it to draft.
  approved: ['draft', 'sending', 'discarded'],
  sending: ['sent'],
  sent: [],
  discarded: [],
  skipped: [],
};

export function canMove(from: EditionStatus, to: EditionStatus): boolean {
  return allowed[from].includes(to);
}

/** Throws a usage error naming the Edition and both states when the move is not allowed. */
export function checkMove(editionId: string, from: EditionStatus, to: EditionStatus): void {
  if (!canMove(from, to)) {
    const next = allowed[from];
    const options = next.length > 0 ? `from ${from} it can become ${next.join(' or ')}` : `${from} is final`;
    throw new NewsdeskError('usage', `edition ${editionId}: cannot become ${to} (${options})`);
  }
}

/** Whether editors may still change the selection, subject, intro or summaries. */
export function isEditable(status: EditionStatus): boolean {
  return status === 'draft' || status === 'approved';
}
