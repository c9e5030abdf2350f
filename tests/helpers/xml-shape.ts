/**
 * An XML document as nested plain objects, the shape xml2js gives (an element
 * is an object of its child elements by name, each an array; `$` holds its
 * attributes, `_` its text when it has attributes too; an element with only
 * text is that string): for tests that look into the XML newsdesk writes.
 * Parsed by htmlparser2 in XML mode; well-formedness is checked elsewhere (xmllint, jing).
 */
import { parseDocument } from 'htmlparser2';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type XmlShape = any;

type ChildNode = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<ChildNode, { type: 'tag' | 'script' | 'style'; attribs: Record<string, string> }>;

function shape(element: Element): XmlShape {
  const elements = element.children.filter((child): child is Element => child.type === 'tag');
  const text = element.children
    .filter((child: ChildNode) => child.type === 'text' || child.type === 'cdata')
    .map((child) => (child.type === 'cdata' ? (child.children as { data: string }[]).map((c) => c.data).join('') : (child as { data: string }).data))
    .join('');
  const attributes = Object.keys(element.attribs).length > 0 ? { $: { ...element.attribs } } : {};
  if (elements.length === 0) return Object.keys(attributes).length === 0 ? text : { _: text, ...attributes };
  const out: Record<string, XmlShape> = { ...attributes };
  for (const child of elements) (out[child.name] ??= []).push(shape(child));
  return out;
}

/** The document's root element, by its name: `{ rss: { channel: [...] } }`. */
export function xmlShape(xml: string): XmlShape {
  const root = parseDocument(xml, { xmlMode: true }).children.find((child): child is Element => child.type === 'tag');
  if (!root) throw new Error('xmlShape: no root element');
  return { [root.name]: shape(root) };
}
