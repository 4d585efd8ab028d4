/**
 * Character-level normalisation shared by every check. Two flavours:
 * - `fold` keeps a 1:1 UTF-16 mapping with the input (full-width ASCII → ASCII, ideographic
 *   space → space) so PHI spans found on the folded text are valid offsets in the original;
 * - `normalizeForMatch` also lower-cases and drops zero-width characters, for rule matching
 *   where only the evidence text (not offsets) is reported.
 */

const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g;

/** Full-width ASCII (U+FF01–U+FF5E) and U+3000 folded to ASCII; length is preserved. */
export function fold(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += " ";
    else out += text[i];
  }
  return out;
}

/** Folded, zero-width-free, lower-cased text; the Chinese punctuation used as separators stays. */
export function normalizeForMatch(text: string): string {
  // "13·2", "6•6": a middle dot between digits is a decimal point in Chinese chat.
  return fold(text.normalize("NFKC"))
    .replace(ZERO_WIDTH, "")
    .replace(/(\d)[·・•‧∙](\d)/g, "$1.$2")
    .toLowerCase();
}

export function stripZeroWidth(text: string): string {
  return text.replace(ZERO_WIDTH, "");
}
