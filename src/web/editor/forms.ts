/**
 * Form fields as @fastify/formbody gives them (one string, or a list for a
 * repeated name), and query strings alike. A JSON body reaches the same
 * routes (fastify parses it everywhere), so a field can also be a number, an
 * object or null: that is refused as a malformed request (InputError, a 400),
 * never passed on to code that expects text.
 */
import { InputError } from '../../errors.js';

type FormBody = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Every value of the field, each checked to be text. */
function values(body: unknown, name: string): string[] {
  const value = body !== null && typeof body === 'object' ? (body as FormBody)[name] : undefined;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const bad = list.findIndex((one) => typeof one !== 'string');
  if (bad >= 0) throw new InputError('form', name, `expected text, not ${kindOf(list[bad])}`);
  return list as string[];
}

/** The field's value (the first, when repeated); '' when absent. */
export function field(body: unknown, name: string): string {
  return values(body, name)[0] ?? '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(body: unknown, name: string): string[] {
  return values(body, name);
}
