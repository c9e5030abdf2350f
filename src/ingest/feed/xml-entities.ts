/**
 * Entity and character references in feed XML, and what a DOCTYPE may declare.
 *
 * Read: the five XML entities, character references, entities the document's
 * DOCTYPE declares (plain text values only), and, as feed readers do, HTML's
 * named references (`&nbsp;`, `&eacute;`) that feeds use without declaring.
 * A numeric reference to a C1 control (`&#146;`) means the windows-1252
 * character, as HTML5 reads it. Anything else stays as written.
 *
 * Refused with an InputError (`invalid-xml`): parameter and external entities
 * (XXE), entities whose values refer to other entities (the nesting behind
 * "billion laughs"), long values, too many declarations, and substitutions
 * adding more than MAX_EXPANSION_CHARS to the document (quadratic blow-up).
 */
import { decodeHTMLStrict } from 'entities';
import type { InputError } from '../../errors.js';
import { demoronize } from './encoding.js';
import { lookupTable } from './xml-tree.js';

const MAX_ENTITY_DECLARATIONS = 64;
const MAX_ENTITY_CHARS = 4096;
/** Characters that substituting declared entities may add to a document. */
export const MAX_EXPANSION_CHARS = 1_000_000;

export interface EntityBudget {
  /** Entities the DOCTYPE declared, name → replacement text. */
  declared: Record<string, string>;
  expandedChars: number;
  fail: (problem: string) => InputError;
  warn: (message: string) => void;
}

const PREDEFINED = lookupTable({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" });
const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,8})|#(\d{1,10})|([A-Za-z_][\w.-]{0,63}));/g;
/** A reference, or an `&` that starts none (kept as text: `?a=1&b=2`). */
const REFERENCE_OR_AMPERSAND = /&(?:#[xX]([0-9a-fA-F]{1,8})|#(\d{1,10})|([A-Za-z_][\w.-]{0,63}));|&/g;

export function decodeEntityReferences(raw: string, budget: EntityBudget): string {
  let bare = false;
  const decoded = raw.replace(REFERENCE_OR_AMPERSAND, (whole, hex?: string, dec?: string, name?: string) => {
    if (whole === '&') {
      bare = true;
      return whole;
    }
    if (name === undefined) return character(hex ? Number.parseInt(hex, 16) : Number(dec));
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const declared = budget.declared[name];
    if (declared !== undefined) {
      budget.expandedChars += declared.length;
      if (budget.expandedChars > MAX_EXPANSION_CHARS) {
        throw budget.fail(`declared entities expand to over ${MAX_EXPANSION_CHARS} characters; refused (entity expansion)`);
      }
      return declared;
    }
    const html = decodeHTMLStrict(whole);
    if (html !== whole) return html;
    budget.warn(`unknown entity ${whole} kept as text`);
    return whole;
  });
  if (bare) budget.warn('unescaped "&" kept as text');
  return decoded;
}

function character(point: number): string {
  if (point >= 0x80 && point <= 0x9f) return demoronize(String.fromCharCode(point));
  if (point === 0 || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(point);
}

/**
 * The internal entities a DOCTYPE declares (`<!ENTITY id "tag:example.com,">`),
 * or an InputError for anything beyond plain text values. `doctype` is the
 * declaration after `<!DOCTYPE`; external DTDs (`PUBLIC "..." "...dtd"`) are
 * never fetched, so they need no refusal.
 */
export function doctypeEntities(doctype: string, budget: EntityBudget): Record<string, string> {
  const declared = lookupTable<string>({});
  if (!/<!ENTITY/i.test(doctype)) return declared;
  const pattern = /<!ENTITY\s+(%\s*)?([^\s"'%>]+)\s+(?:(SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')/gi;
  let count = 0;
  for (const m of doctype.matchAll(pattern)) {
    const [, parameter, name = '', external, double, single] = m;
    if (parameter) throw budget.fail(`DOCTYPE declares parameter entity "%${name}"; refused (DTD injection)`);
    if (external) throw budget.fail(`DOCTYPE declares external entity "${name}" (${external.toUpperCase()}); refused (XXE)`);
    if ((count += 1) > MAX_ENTITY_DECLARATIONS) throw budget.fail(`DOCTYPE declares more than ${MAX_ENTITY_DECLARATIONS} entities; refused`);
    const raw = double ?? single ?? '';
    if (raw.length > MAX_ENTITY_CHARS) throw budget.fail(`entity "${name}" is ${raw.length} characters long; refused (entity expansion)`);
    const nested = /&([^#\s;][^\s;]*);/.exec(raw);
    if (nested && PREDEFINED[nested[1]!] === undefined) throw budget.fail(`entity "${name}" refers to entity "${nested[1]}"; refused (entity expansion)`);
    declared[name] = raw.replace(REFERENCE, (whole, hex?: string, dec?: string, predefined?: string) =>
      predefined === undefined ? character(hex ? Number.parseInt(hex, 16) : Number(dec)) : (PREDEFINED[predefined] ?? whole),
    );
  }
  if (count === 0) throw budget.fail('DOCTYPE has an entity declaration that cannot be read; refused');
  return declared;
}
