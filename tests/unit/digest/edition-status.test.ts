import { describe, expect, it } from 'vitest';
import { canMove, checkMove, EDITION_STATUSES, isEditable } from '../../../src/digest/edition-status.js';

describe('Edition states', () => {
  it('allows exactly the moves of the review gate', () => {
    const moves = EDITION_STATUSES.flatMap((from) => EDITION_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}>${to}`));
    expect(moves.sort()).toEqual(['approved>discarded', 'approved>draft', 'approved>sending', 'draft>approved', 'draft>discarded', 'sending>sent'].sort());
  });

  it('refuses sending a draft, naming the Edition and what it can become', () => {
    expect(() => checkMove('2026-W47', 'draft', 'sending')).toThrow('edition 2026-W47: cannot become sending (from draft it can become approved or discarded)');
    expect(() => checkMove('2026-W47', 'sent', 'draft')).toThrow('sent is final');
  });

  it('lets editors change only drafts and approved Editions', () => {
    expect(EDITION_STATUSES.filter(isEditable)).toEqual(['draft', 'approved']);
  });
});
