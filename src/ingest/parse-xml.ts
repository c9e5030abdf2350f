/**
 * XML text to an element tree, with sax (the streaming parser under xml2js and
 * so under rss-parser). Namespace-aware, keeps document order (inline XHTML
 * content needs it) and tracks xml:base / xml:lang per element.
 *
 * Feeds are often not well-formed: an unescaped `&`, an HTML entity such as
 * `&nbsp;`, an undeclared `dc:` prefix, a cut-off end. sax's recovery keeps
 * going after such errors (its non-strict path), and each is reported as a
 * warning, like feedparser's "bozo" flag. What is refused, fast and with a
 * clear error, is what could make the parser a weapon: entity expansion
 * ("billion laughs", quadratic blow-up), external entities (XXE) and absurd
 * nesting. sax itself never fetches anything and never expands entities
 * recursively; the limits below keep even flat expansion small.
 */
import sax, { type QualifiedTag } from 'sax';
import { InputError } from '../errors.js';
import { demoronize } from './feed-encoding.js';
import { KNOWN_PREFIXES, NS, NS_ALIASES, type XmlElement } from './xml-tree.js';

export interface XmlDocument {
  root: XmlElement;
  warnings: string[];
}

/** Deeper nesting is an attack or garbage; the tree walkers recurse, so this also bounds the stack. */
const MAX_DEPTH = 256;
const MAX_ENTITY_DECLARATIONS = 64;
const MAX_ENTITY_CHARS = 4096;
/** Characters all references to declared entities may add to the document. */
const MAX_EXPANSION_CHARS = 1_000_000;
const MAX_WARNINGS = 10;
const C1_CONTROL = /[\u0080-\u009F]/;

export function parseXml(text: string, context: { url: string | null; name: string }): XmlDocument {
  let result = build(text, context);
  if (result.bareAmpersands) {
    // sax's recovery from `&c</link>` swallows the `<` and so the end tag: escape such
    // ampersands and parse again (only ill-formed documents pay for the second pass).
    const repaired = build(escapeBareAmpersands(text), context);
    repaired.warnings.unshift('XML: unescaped "&" read as "&amp;"');
    result = repaired;
  }
  if (!result.root) {
    const first = result.warnings[0]?.slice(5);
    throw invalid(context.name, first ? `no root element (${first})` : 'no root element');
  }
  return { root: result.root, warnings: result.warnings };
}

function invalid(name: string, problem: string): InputError {
  return new InputError('parse', name, `invalid XML: ${problem}`, { code: 'invalid-xml' });
}

/** `&` that starts no entity or character reference, outside CDATA sections and comments, as `&amp;`. */
function escapeBareAmpersands(text: string): string {
  return text.replace(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)|&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/g, (match, kept?: string) => kept ?? '&amp;');
}

function build(text: string, context: { url: string | null; name: string }): { root: XmlElement | null; warnings: string[]; bareAmpersands: boolean } {
  const fail = (problem: string): InputError => invalid(context.name, problem);
  let bareAmpersands = false;
  const parser = sax.parser(true, { xmlns: true, position: true });
  const stack: XmlElement[] = [];
  const warnings: string[] = [];
  const namespaces = new Map<string, string>();
  let errors = 0;
  let root: XmlElement | null = null;

  const namespace = (uri: string, prefix: string): string => {
    let known = namespaces.get(uri);
    if (known === undefined) {
      // sax reports an unbound prefix with the prefix itself as the namespace name.
      known = uri !== '' && uri === prefix ? (KNOWN_PREFIXES[prefix] ?? uri) : (NS_ALIASES[uri] ?? NS_ALIASES[uri.toLowerCase()] ?? uri);
      namespaces.set(uri, known);
    }
    return known;
  };

  const appendText = (text: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return; // whitespace (or junk, already reported) outside the root element
    // `&#146;` means windows-1252's ’ in feeds, as HTML5 reads it, not a C1 control.
    const chunk = C1_CONTROL.test(text) ? demoronize(text) : text;
    const last = parent.children.length - 1;
    if (last >= 0 && typeof parent.children[last] === 'string') parent.children[last] += chunk;
    else parent.children.push(chunk);
  };

  parser.ondoctype = (doctype) => {
    Object.assign(parser.ENTITIES, entityDeclarations(doctype, text, fail));
  };
  parser.ontext = appendText;
  parser.oncdata = appendText;
  parser.onopentag = (node) => {
    const tag = node as QualifiedTag;
    if (stack.length >= MAX_DEPTH) throw fail(`elements nested more than ${MAX_DEPTH} deep`);
    const parent = stack[stack.length - 1] ?? null;
    const element: XmlElement = {
      ns: namespace(tag.uri, tag.prefix),
      local: tag.local,
      qname: tag.name,
      attrs: [],
      children: [],
      base: parent ? parent.base : context.url,
      lang: parent ? parent.lang : null,
      truncated: false,
    };
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      const ns = a.prefix === 'xml' ? NS.xml : a.prefix === '' ? '' : namespace(a.uri, a.prefix);
      element.attrs.push({ ns, local: a.local, qname: a.name, value: a.value });
      if (ns === NS.xml && a.local === 'base') element.base = resolveBase(a.value, element.base);
      else if (ns === NS.xml && a.local === 'lang') element.lang = a.value.trim() || null;
    }
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.onerror = (error) => {
    errors += 1;
    if (error.message.startsWith('Invalid character in entity name')) bareAmpersands = true;
    if (warnings.length < MAX_WARNINGS) warnings.push(`XML: ${describe(error)}`);
    parser.resume(); // go on as sax's non-strict mode would
  };

  parser.write(text).close();
  for (const open of stack) open.truncated = true;
  if (errors > MAX_WARNINGS) warnings.push(`XML: ${errors - MAX_WARNINGS} more errors`);
  return { root, warnings, bareAmpersands };
}

function resolveBase(value: string, parent: string | null): string | null {
  try {
    return new URL(value.trim(), parent ?? undefined).href;
  } catch {
    return parent;
  }
}

/** `Unexpected close tag\nLine: 3\nColumn: 7\nChar: >` → `Unexpected close tag (line 4, column 7)`. */
function describe(error: Error): string {
  const [message = 'error', ...rest] = error.message.split('\n');
  const line = /Line: (\d+)/.exec(rest.join(' '));
  const column = /Column: (\d+)/.exec(rest.join(' '));
  return line && column ? `${message} (line ${Number(line[1]) + 1}, column ${column[1]})` : message;
}

const PREDEFINED = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

/**
 * The internal entities a DOCTYPE declares (`<!ENTITY id "tag:example.com,">`),
 * for sax to substitute as text. Refused: parameter and external entities
 * (XXE), entities whose values refer to other entities (the nesting behind
 * "billion laughs"), long values, too many declarations, and references that
 * would add more than MAX_EXPANSION_CHARS to the document.
 */
function entityDeclarations(doctype: string, text: string, fail: (problem: string) => InputError): Record<string, string> {
  const declared: Record<string, string> = {};
  if (!doctype.includes('<!ENTITY')) return declared;
  const pattern = /<!ENTITY\s+(%\s+)?([^\s"'%>]+)\s+(?:(SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')/g;
  let count = 0;
  let expansion = 0;
  for (const m of doctype.matchAll(pattern)) {
    const [, parameter, name = '', external, double, single] = m;
    if (parameter) throw fail(`DOCTYPE declares parameter entity "%${name}"; refused (DTD injection)`);
    if (external) throw fail(`DOCTYPE declares external entity "${name}" (${external}); refused (XXE)`);
    if ((count += 1) > MAX_ENTITY_DECLARATIONS) throw fail(`DOCTYPE declares more than ${MAX_ENTITY_DECLARATIONS} entities; refused`);
    const raw = double ?? single ?? '';
    if (raw.length > MAX_ENTITY_CHARS) throw fail(`entity "${name}" is ${raw.length} characters long; refused (entity expansion)`);
    const nested = /&([^#\s;][^\s;]*);/.exec(raw);
    if (nested && !PREDEFINED.has(nested[1]!)) throw fail(`entity "${name}" refers to entity "${nested[1]}"; refused (entity expansion)`);
    const value = decodeCharacterReferences(raw);
    expansion += value.length * countReferences(text, name);
    if (expansion > MAX_EXPANSION_CHARS) throw fail(`declared entities would expand to over ${MAX_EXPANSION_CHARS} characters; refused (entity expansion)`);
    declared[name] = value;
  }
  if (count === 0) throw fail('DOCTYPE has an entity declaration that cannot be read; refused');
  return declared;
}

function countReferences(text: string, name: string): number {
  const needle = `&${name};`;
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

function decodeCharacterReferences(value: string): string {
  return value.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(lt|gt|amp|quot|apos));/g, (whole, hex?: string, dec?: string, named?: string) => {
    if (named) return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[named] ?? whole;
    const point = hex ? Number.parseInt(hex, 16) : Number(dec);
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });
}
