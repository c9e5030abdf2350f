/**
 * XML text to an element tree: namespace-aware, in document order (inline XHTML
 * needs it), with xml:base / xml:lang in scope on every element.
 *
 * A small scanner rather than a general XML library, for two reasons. Feeds
 * are often not well-formed (an unescaped `&`, `&nbsp;` never declared, an
 * undeclared `dc:` prefix, a stray end tag, a cut-off end) and must still be
 * read the way feed readers read them: each such fault is repaired locally and
 * reported as a warning, like feedparser's "bozo" flag. sax and saxes recover
 * poorly from some of these (`&c</link>` swallows the rest of the document; in
 * saxes a stray end tag closes every open element). And finding markup with
 * indexOf and sticky regular expressions, instead of walking characters one by
 * one, builds the whole tree in less than half the time sax (the parser under
 * xml2js and rss-parser) takes just to tokenise.
 *
 * Refused, fast and with a clear error, is what could make the parser a
 * weapon: entity expansion ("billion laughs", quadratic blow-up), external
 * entities (XXE) and absurd nesting. Entities are substituted here as text,
 * once, never re-parsed, and nothing is ever fetched.
 */
import { InputError } from '../../errors.js';
import { decodeEntityReferences, doctypeEntities, type EntityBudget } from './xml-entities.js';
import { KNOWN_PREFIXES, lookupTable, NS, NS_ALIASES, type XmlAttribute, type XmlElement } from './xml-tree.js';

export interface XmlDocument {
  root: XmlElement;
  warnings: string[];
}

/** Deeper nesting is an attack or garbage; the tree walkers recurse, so this also bounds the stack. */
const MAX_DEPTH = 256;
const MAX_WARNINGS = 10;
/**
 * Elements and attributes in one document. A real 10 MB feed has a few hundred
 * thousand; `<a/><a/>...` packs millions into the same bytes, and each costs
 * some 200 bytes as a tree.
 */
const MAX_NODES = 1_000_000;
const NO_ATTRIBUTES: XmlAttribute[] = [];

const NAME = /[^\s/>=<"']+/y;
const ATTRIBUTE = /([^\s/>=<"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'<]+)))?/y;
const SPACE = /\s*/y;

type Scope = Record<string, string>;

export function parseXml(text: string, context: { url: string | null; name: string }): XmlDocument {
  const fail = (problem: string): InputError => new InputError('parse', context.name, `invalid XML: ${problem}`, { code: 'invalid_xml' });
  const warnings: string[] = [];
  let pos = 0;
  let problems = 0;
  const warn = (message: string, at: number): void => {
    problems += 1;
    if (warnings.length < MAX_WARNINGS) warnings.push(`XML: ${message} (line ${lineAt(text, at)})`);
  };
  const budget: EntityBudget = { declared: lookupTable({}), expandedChars: 0, fail, warn: (message) => warn(message, pos) };
  const decode = (raw: string): string => (raw.includes('&') ? decodeEntityReferences(raw, budget) : raw);

  const stack: XmlElement[] = [];
  const scopes: Scope[] = [lookupTable({ xml: NS.xml, '': '' })];
  let root: XmlElement | null = null;
  let nodes = 0;

  const addText = (chunk: string, at: number): void => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (chunk.trim() !== '') warn('text outside the root element', at);
      return;
    }
    const last = parent.children.length - 1;
    if (last >= 0 && typeof parent.children[last] === 'string') parent.children[last] += chunk;
    else parent.children.push(chunk);
  };

  const openTag = (at: number): number => {
    NAME.lastIndex = at + 1;
    const qname = NAME.exec(text)![0];
    let p = at + 1 + qname.length;
    const raw: [string, string][] = [];
    let selfClosing = false;
    for (;;) {
      SPACE.lastIndex = p;
      SPACE.exec(text);
      p = SPACE.lastIndex;
      const c = text.charCodeAt(p);
      if (c === 0x3e /* > */) { p += 1; break; }
      if (c === 0x2f /* / */ && text.charCodeAt(p + 1) === 0x3e) { selfClosing = true; p += 2; break; }
      if (c === 0x3c /* < */ || Number.isNaN(c)) { warn(`unfinished tag <${qname}>`, at); break; }
      ATTRIBUTE.lastIndex = p;
      const m = ATTRIBUTE.exec(text);
      if (!m) { warn(`stray character in tag <${qname}>`, p); p += 1; continue; }
      p = ATTRIBUTE.lastIndex;
      let value = m[2] ?? m[3] ?? m[4] ?? '';
      if (m[4]?.endsWith('/') && text.charCodeAt(p) === 0x3e) [value, p] = [value.slice(0, -1), p - 1]; // `<a b=c/>`
      // XML 1.0 §3.3.3: a literal tab or line break in an attribute value is a space.
      raw.push([m[1]!, decode(/[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value)]);
    }
    if (stack.length >= MAX_DEPTH) throw fail(`elements nested more than ${MAX_DEPTH} deep`);
    if ((nodes += 1 + raw.length) > MAX_NODES) throw fail(`more than ${MAX_NODES} elements and attributes`);

    let scope = scopes[scopes.length - 1]!;
    for (const [name, value] of raw) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      if (scope === scopes[scopes.length - 1]) scope = Object.create(scope) as Scope;
      const uri = value.trim();
      scope[name === 'xmlns' ? '' : name.slice(6)] = NS_ALIASES[uri] ?? NS_ALIASES[uri.toLowerCase()] ?? uri;
    }
    const parent = stack[stack.length - 1] ?? null;
    const [prefix, local] = split(qname);
    const element: XmlElement = {
      ns: namespaceOf(prefix, scope, at),
      local,
      qname,
      attrs: raw.length > 0 ? [] : NO_ATTRIBUTES,
      children: [],
      base: parent ? parent.base : context.url,
      xmlBase: parent ? parent.xmlBase : false,
      lang: parent ? parent.lang : null,
      truncated: false,
    };
    for (const [name, value] of raw) {
      const [attrPrefix, attrLocal] = split(name);
      const attribute: XmlAttribute = { ns: attrPrefix === '' || attrPrefix === 'xmlns' ? '' : namespaceOf(attrPrefix, scope, at), local: attrLocal, qname: name, value };
      element.attrs.push(attribute);
      if (attribute.ns === NS.xml && attrLocal === 'base') {
        const base = resolveBase(value, element.base);
        if (base !== null) [element.base, element.xmlBase] = [base, true];
      }
      else if (attribute.ns === NS.xml && attrLocal === 'lang') element.lang = value.trim() || null;
    }
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    else warn(`a second root element <${qname}> is ignored`, at);
    if (!selfClosing) {
      stack.push(element);
      scopes.push(scope);
    }
    return p;
  };

  const namespaceOf = (prefix: string, scope: Scope, at: number): string => {
    const uri = scope[prefix];
    if (uri !== undefined) return uri;
    warn(`undeclared namespace prefix "${prefix}"`, at);
    // Feeds use dc:, content:, itunes:... without declaring them; anything else keeps
    // its prefix as its namespace, so it is never taken for an RSS or Atom element.
    return KNOWN_PREFIXES[prefix] ?? prefix;
  };

  const closeTag = (at: number): number => {
    NAME.lastIndex = at + 2;
    const name = NAME.exec(text)?.[0] ?? '';
    const end = text.indexOf('>', at + 2);
    if (end === -1) warn(`unfinished end tag </${name}`, at);
    let open = stack.length - 1;
    while (open >= 0 && stack[open]!.qname !== name) open -= 1;
    if (open < 0) {
      warn(`end tag </${name}> matches no open element: ignored`, at);
    } else {
      if (open < stack.length - 1) warn(`<${stack[stack.length - 1]!.qname}> closed by </${name}>`, at);
      stack.length = open;
      scopes.length = open + 1;
    }
    return end === -1 ? text.length : end + 1;
  };

  const markup = (at: number): number => {
    if (text.startsWith('<!--', at)) return skipTo('-->', at + 4, 'comment', at);
    if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end === -1) warn('unterminated CDATA section', at);
      addText(text.slice(at + 9, end === -1 ? text.length : end), at);
      return end === -1 ? text.length : end + 3;
    }
    if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
      const end = doctypeEnd(text, at + 9);
      if (root) warn('DOCTYPE after the root element is ignored', at);
      else budget.declared = doctypeEntities(text.slice(at + 9, end), budget);
      return end + 1;
    }
    warn('unknown markup declaration', at);
    return skipTo('>', at + 2, 'declaration', at);
  };

  const skipTo = (terminator: string, from: number, what: string, at: number): number => {
    const end = text.indexOf(terminator, from);
    if (end === -1) warn(`unterminated ${what}`, at);
    return end === -1 ? text.length : end + terminator.length;
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const end = lt === -1 ? text.length : lt;
    if (end > pos) addText(decode(text.slice(pos, end)), pos);
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) pos = closeTag(lt);
    else if (next === 0x21 /* ! */) pos = markup(lt);
    else if (next === 0x3f /* ? */) pos = skipTo('?>', lt + 2, 'processing instruction', lt);
    else if (isNameStart(next)) pos = openTag(lt);
    else {
      warn('"<" that starts no tag, read as text', lt);
      addText('<', lt);
      pos = lt + 1;
    }
  }
  for (const open of stack) open.truncated = true;
  if (stack.length > 0) warn(`the document ends inside <${stack[stack.length - 1]!.qname}>`, text.length);
  if (problems > warnings.length) warnings.push(`XML: ${problems - warnings.length} more problems`);
  if (!root) throw fail(warnings[0] ? `no root element (${warnings[0].slice(5)})` : 'no root element');
  return { root, warnings };
}

function split(qname: string): [prefix: string, local: string] {
  const colon = qname.indexOf(':');
  return colon <= 0 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x3a || code >= 0x80;
}

/** Where the DOCTYPE ends: its `>`, after an internal subset `[...]` whose quoted values may hold `>` or `]`. */
function doctypeEnd(text: string, from: number): number {
  let quote = 0;
  let inSubset = false;
  for (let at = from; at < text.length; at += 1) {
    const c = text.charCodeAt(at);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x5b /* [ */) {
      inSubset = true;
    } else if (c === 0x5d /* ] */) {
      inSubset = false;
    } else if (c === 0x3e /* > */ && !inSubset) {
      return at;
    }
  }
  return text.length - 1;
}

/** xml:base resolved against the base in scope (RFC 3986 §5.1.1); null when it cannot be (the one in scope stays). */
function resolveBase(value: string, parent: string | null): string | null {
  try {
    return new URL(value.trim(), parent ?? undefined).href;
  } catch {
    return null;
  }
}

function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
