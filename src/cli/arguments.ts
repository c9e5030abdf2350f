/**
 * Parsers for option and argument values. Each throws commander's
 * InvalidArgumentError, so a bad value is a usage error (exit 2) that names
 * the option or argument, before any configuration or database is touched.
 */
import { InvalidArgumentError } from 'commander';
import { parseIsoWeek } from '../week.js';

/** A whole number within [min, max], written in plain digits (`10`, not `1e1`, `0x0a` or `10.0`). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected a whole number from ${min}` : `expected a whole number from ${min} to ${max}`);
    }
    return number;
  };
}

/** How many rows a list shows. */
export const limit = wholeNumber(1);

/** A TCP port; 0 lets the system choose one. */
export const port = wholeNumber(0, 65535);

/** `2026-W47`: an ISO week that exists (W53 only in the years that have one). */
export function isoWeek(value: string): string {
  try {
    parseIsoWeek(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is no ISO week: expected one such as 2026-W47 (weeks 01 to 52, or 53 in the years that have one)`);
  }
  return value;
}

/** An Edition id: its ISO week, with `-2`, `-3` ... for a week composed again after its Edition was discarded. */
export function editionId(value: string): string {
  const match = /^(\d{4}-W\d{2})(?:-([2-9]|[1-9]\d+))?$/.exec(value);
  if (match) {
    try {
      parseIsoWeek(match[1]!);
      return value;
    } catch {
      // said below
    }
  }
  throw new InvalidArgumentError(`"${value}" is no Edition id: expected an ISO week such as 2026-W47 (weeks 01 to 52, or 53 in the years that have one), or 2026-W47-2 after a discarded one`);
}
