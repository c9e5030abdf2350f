import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

describe('where an Edition\'s status is written', () => {
  it('only in setEditionStatus (a move the table allows) and in compose\'s save of a draft', () => {
    const writers = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const text = readFileSync(path.join('src', file), 'utf8');
        return [...text.matchAll(/update editions set status/g)].map(() => file);
      });
    expect(writers.sort()).toEqual(['store/editions.ts', 'store/editions.ts']);
    // The function each write is in: the nearest `export async function` above it.
    const editions = readFileSync('src/store/editions.ts', 'utf8');
    const enclosing = [...editions.matchAll(/update editions set status/g)].map((m) => [...editions.slice(0, m.index).matchAll(/export async function (\w+)\(/g)].at(-1)?.[1]);
    expect(enclosing).toEqual(['saveComposedEdition', 'setEditionStatus']);
  });
});
