/**
 * Bytes of a fetched document to text. Which character encoding applies is
 * decided, in order, by:
 *
 * 1. a byte order mark (UTF-8, UTF-16, UTF-32), or the byte pattern of `<` / `{`
 *    in UTF-16/32 without one (XML 1.0 Appendix F);
 * 2. the bytes themselves when they are valid UTF-8: a single-byte text
 *    (windows-1252, KOI8-R...) almost never is by accident, while feeds that
 *    declare ISO-8859-1 but send UTF-8 are common (Miniflux does the same);
 * 3. the HTTP `charset` parameter, then the XML declaration's `encoding`
 *    (RFC 7303 §3: the charset parameter is authoritative over the declaration);
 *    a UTF-8 label that the bytes contradict yields to another declaration that
 *    explains them (servers add `charset=utf-8` to whatever they send), and when
 *    none does, the bytes are read as the UTF-8 they were declared to be, each
 *    invalid sequence replaced by U+FFFD (WHATWG Encoding, "replacement" error
 *    mode): guessing windows-1252 would turn every valid UTF-8 character into
 *    mojibake to save a few bad bytes. The replacement is a `problem`;
 * 4. windows-1252, the usual encoding of old Western feeds (and what the
 *    WHATWG Encoding standard makes of the `iso-8859-1` and `us-ascii` labels).
 */

import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export interface DecodedText {
  text: string;
  /** The encoding actually used, e.g. `utf-8`, `windows-1252`. */
  encoding: string;
  /** What did not add up (an unknown label, a wrong declaration), for the Source's log. */
  warnings: string[];
  /** Text lost in decoding, to show on the Source (short: it is its health message): `declared UTF-8 (HTTP), 3 invalid byte sequences replaced`. */
  problem?: string;
}

export function decodeFeedBody(bytes: Buffer, contentType?: string | null): DecodedText {
  const decoded = decodeBytes(bytes, contentType);
  return { ...decoded, text: demoronize(decoded.text) };
}

/**
 * C1 control characters (U+0080-U+009F) never belong in a feed; when they
 * appear, windows-1252 text was converted as if it were ISO-8859-1 on the way
 * (`don\u0092t`). They become the characters windows-1252 meant (`don’t`).
 */
export function demoronize(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (char) => windows1252High[char.charCodeAt(0) - 0x80] ?? char);
}

function decodeBytes(bytes: Buffer, contentType?: string | null): DecodedText {
  const warnings: string[] = [];
  const sniffed = sniffUnicode(bytes);
  if (sniffed) return { text: decodeUnicode(bytes.subarray(sniffed.bomLength), sniffed.encoding), encoding: sniffed.encoding, warnings };

  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', warnings };

  const declared = [
    { label: charsetParameter(contentType), where: 'HTTP' },
    { label: xmlDeclaredEncoding(bytes), where: 'XML' },
  ].filter((declaration): declaration is { label: string; where: string } => declaration.label !== null);
  let utf8Declared: string | null = null;
  for (const { label, where } of declared) {
    const decoder = decoderFor(label);
    if (!decoder) {
      warnings.push(`unknown character encoding "${label}"`);
    } else if (decoder.encoding === 'utf-8' || decoder.encoding.startsWith('utf-16')) {
      // The bytes are not valid UTF-8 (checked above) and have no UTF-16 pattern: the label is wrong, or the bytes are.
      warnings.push(`declared ${label}, but the bytes are not ${decoder.encoding}`);
      if (decoder.encoding === 'utf-8') utf8Declared ??= where;
    } else {
      return { text: decodeWith(decoder, bytes), encoding: decoder.encoding, warnings };
    }
  }
  if (utf8Declared) {
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
    // U+FFFD in the text, less those the bytes spelled out themselves (EF BF BD).
    const replaced = (text.match(/\uFFFD/g)?.length ?? 0) - (bytes.toString('latin1').split('\xEF\xBF\xBD').length - 1);
    const problem = `declared UTF-8 (${utf8Declared}), ${replaced} invalid byte sequence${replaced === 1 ? '' : 's'} replaced`;
    return { text, encoding: 'utf-8', warnings: [...warnings, problem], problem };
  }
  warnings.push('not valid UTF-8 and no usable encoding declared: read as windows-1252');
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', warnings };
}

/**
 * Node's TextDecoder treats the `windows-1252` label as ISO-8859-1 (it leaves
 * 0x80-0x9F as C1 controls), so the 27 characters where the two differ (curly
 * quotes, dashes, the euro sign...) are mapped here, per the WHATWG Encoding table.
 */
const windows1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  return demoronize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

type UnicodeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

function sniffUnicode(b: Buffer): { encoding: UnicodeEncoding; bomLength: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', bomLength: 4 };
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b.length < 4) return null;
  // No BOM: an ASCII character (`<`, `{`, whitespace) padded with NUL bytes.
  if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] !== 0) return { encoding: 'utf-32be', bomLength: 0 };
  if (b[0] !== 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', bomLength: 0 };
  if (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  if (b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return { encoding: 'utf-16le', bomLength: 0 };
  return null;
}

function decodeUnicode(bytes: Buffer, encoding: UnicodeEncoding): string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding === 'utf-32le');
  // ignoreBOM: the mark was already cut off; a second one would be content.
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

/** Node's TextDecoder has no UTF-32; invalid code points become U+FFFD. */
function decodeUtf32(bytes: Buffer, littleEndian: boolean): string {
  const chunks: string[] = [];
  let points: number[] = [];
  for (let at = 0; at + 3 < bytes.length; at += 4) {
    const point = littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    points.push(point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff) ? 0xfffd : point);
    if (points.length === 8192) {
      chunks.push(String.fromCodePoint(...points));
      points = [];
    }
  }
  chunks.push(String.fromCodePoint(...points));
  return chunks.join('');
}

/** The text, when the bytes are valid UTF-8 (checked natively, then decoded by Buffer: faster than a fatal TextDecoder). */
function decodeUtf8(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

function decodeWith(decoder: TextDecoder, bytes: Buffer): string {
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
}

/** `text/xml; charset="ISO-8859-1"` → `ISO-8859-1`. */
export function charsetParameter(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** The `encoding` of an XML declaration, read from the ASCII-compatible start of the bytes. */
function xmlDeclaredEncoding(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 512).toString('latin1');
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1] ?? null;
}
