/**
 * Mojibake undone for comparison: a page whose UTF-8 bytes were read as
 * Windows-1252 (or Latin-1) shows `Südkorea` as `SÃ¼dkorea` and `Moon’s` as
 * `Moonâ€™s`. To dedupe the two renderings are one text (the eval README counts
 * "renderings with different whitespace or encoding" as the same story), but
 * every mis-read letter breaks the shingles around it: a Vietnamese, Korean or
 * German page loses nearly all of them, and its names read as other names.
 *
 * The repair is the one ftfy makes for this case, kept narrow: only runs of
 * characters that are, byte for byte, a valid UTF-8 multi-byte sequence once
 * written back in Windows-1252 are replaced (`Ã¼` -> `ü`). Correct text has no
 * such runs outside of mojibake (`Ã` followed by `¼` is not a spelling). No npm
 * package does this narrowly and is kept up: this is a table and a loop.
 */

/**
 * Windows-1252's characters for bytes 0x80-0x9F (WHATWG Encoding, index
 * windows-1252; its five undefined bytes read as the C1 controls, as Latin-1
 * reads all of them). Spelled out: Node's TextDecoder reads this label as Latin-1.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** A mis-read character back to its byte, for 0x80-0xFF: by Windows-1252 and by Latin-1. */
const BYTE_OF = new Map<string, number>();
for (let byte = 0x80; byte <= 0xff; byte += 1) BYTE_OF.set(String.fromCharCode(byte), byte);
[...CP1252_HIGH].forEach((char, i) => BYTE_OF.set(char, 0x80 + i));

/** A quick test: the lead characters of a mis-read multi-byte sequence (bytes 0xC2-0xF4). */
const SUSPECT = /[\u00c2-\u00f4]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes a UTF-8 sequence starting with `lead` has, or 0 when it is no lead byte. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The text with every mis-read UTF-8 sequence decoded again (twice over, for text mis-read twice). */
export function repairMojibake(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2 && SUSPECT.test(out); pass += 1) {
    const repaired = repairOnce(out);
    if (repaired === out) break;
    out = repaired;
  }
  return out;
}

function repairOnce(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const length = sequenceLength(BYTE_OF.get(char) ?? 0);
    if (length > 0 && i + length <= text.length) {
      const bytes: number[] = [];
      for (let k = 0; k < length; k += 1) bytes.push(BYTE_OF.get(text[i + k]!) ?? -1);
      // `à` is C3 A0: its no-break space is often a plain space by the time the text is stored (and merged
      // with a space after it): read as `à` followed by a space, so that two words are never glued together.
      if (length === 2 && char === 'Ã' && text[i + 1] === ' ') {
        out += 'à ';
        i += 2;
        continue;
      }
      if (bytes.slice(1).every((byte) => byte >= 0x80 && byte <= 0xbf)) {
        try {
          out += utf8.decode(Uint8Array.from(bytes));
          i += length;
          continue;
        } catch {
          // Not a UTF-8 sequence after all (an overlong or surrogate form): the characters stay.
        }
      }
    }
    out += char;
    i += 1;
  }
  return out;
}
