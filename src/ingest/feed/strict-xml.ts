/**
 * Well-formed XML only, for the files editors hand us (WordPress exports, OPML
 * lists), read with the same parser as feeds (xml.ts) so the project has
 * one XML reader, with its refusal of entity expansion and XXE and its limits.
 *
 * Feeds are read leniently because a broken feed is still news; a broken
 * export or subscription list is better refused than half-read, so every
 * fault parse-xml repairs is a failure here. The one exception is a namespace
 * prefix used without a declaration (`<wp:wxr_version>` in a hand-trimmed
 * export): element names are matched by prefix as a fallback, so it is read.
 */
import { InputError } from '../../errors.js';
import { parseXml } from './xml.js';
import { elements, type XmlElement } from './xml-tree.js';

/** The document is not well-formed XML; the message is the first fault, without stage or file. */
export class XmlSyntaxError extends Error {}

// xml.ts reports faults as text ("XML: <problem> (line n)"), the list
// capped with a last "XML: n more problems": these read that wording.
const UNDECLARED = /^XML: undeclared namespace prefix "/;
const MORE = /^XML: (\d+) more problems$/;

/** The root element of `text`; throws XmlSyntaxError for anything parse-xml had to repair or refused. */
export function parseStrictXml(text: string, name: string): XmlElement {
  if (text.trim() === '') throw new XmlSyntaxError('empty document');
  let document;
  try {
    document = parseXml(text, { url: null, name });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new XmlSyntaxError(error.problem.replace(/^invalid XML: /, ''), { cause: error });
  }
  const { root, warnings } = document;
  const more = Number(MORE.exec(warnings[warnings.length - 1] ?? '')?.[1] ?? 0);
  const listed = more > 0 ? warnings.slice(0, -1) : warnings;
  // The list is capped, so whether every fault is an undeclared prefix is
  // counted from the tree: each prefix used there without a declaration made one warning.
  if (listed.length + more > undeclaredPrefixes(root, new Set(['', 'xml']))) {
    const first = listed.find((warning) => !UNDECLARED.test(warning)) ?? `${more} more problems`;
    throw new XmlSyntaxError(first.replace(/^XML: /, ''));
  }
  return root;
}

/** Element and attribute names under `element` whose prefix no enclosing `xmlns:` declares, as parse-xml counts them. */
function undeclaredPrefixes(element: XmlElement, declared: ReadonlySet<string>): number {
  let scope = declared;
  for (const { qname } of element.attrs) {
    if (qname !== 'xmlns' && !qname.startsWith('xmlns:')) continue;
    if (scope === declared) scope = new Set(declared);
    (scope as Set<string>).add(qname === 'xmlns' ? '' : qname.slice('xmlns:'.length));
  }
  let count = scope.has(prefixOf(element.qname)) ? 0 : 1;
  for (const { qname } of element.attrs) {
    const prefix = prefixOf(qname);
    if (prefix !== '' && prefix !== 'xmlns' && !scope.has(prefix)) count += 1;
  }
  for (const child of elements(element)) count += undeclaredPrefixes(child, scope);
  return count;
}

/** As parse-xml splits names: a leading colon is part of the local name. */
function prefixOf(qname: string): string {
  const colon = qname.indexOf(':');
  return colon <= 0 ? '' : qname.slice(0, colon);
}
