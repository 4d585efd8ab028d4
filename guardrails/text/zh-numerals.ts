/**
 * Chinese numerals as patients type them in chat: 十二点三, 二点八, 二十多, 十几, 三百五,
 * 一百零五, 八十五. Readings written this way must count exactly like "12.3" or "2.8".
 * Vague amounts take the middle of their range (二十多 → 25, 十几 → 15, 九点几 → 9.5) so a
 * reading near a threshold is neither ignored nor exaggerated.
 */

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A run of Chinese numeral characters with an optional 点-decimal and a 多/几 suffix. */
export const ZH_NUMBER_RE = /[零〇一二两三四五六七八九十百]+(?:点(?:[零〇一二三四五六七八九]+|几|多|半))?(?:多|几)?/g;

/** Integer part: 十六 → 16, 二十 → 20, 三百五 → 350, 一百零五 → 105, 八 → 8; undefined if malformed. */
function parseInteger(s: string): number | undefined {
  if (s === "") return undefined;
  if (!/[十百]/.test(s)) {
    // Digit by digit ("二五" is rare, but "一五" style is read as 15).
    let v = 0;
    for (const ch of s) {
      const d = DIGIT[ch];
      if (d === undefined) return undefined;
      v = v * 10 + d;
    }
    return v;
  }
  let total = 0;
  let pending = 0;
  let lastUnit = 1;
  for (const ch of s) {
    if (ch === "百" || ch === "十") {
      const unit = ch === "百" ? 100 : 10;
      total += (pending === 0 ? 1 : pending) * unit;
      pending = 0;
      lastUnit = unit;
    } else {
      const d = DIGIT[ch];
      if (d === undefined) return undefined;
      pending = pending * 10 + d;
    }
  }
  // 三百五 = 350: a trailing digit after 百 with no 十 is tens.
  if (pending > 0 && lastUnit === 100 && !/零/.test(s) && pending < 10) return total + pending * 10;
  return total + pending;
}

/** Value of one Chinese numeral token (as matched by ZH_NUMBER_RE), or undefined. */
export function parseZhNumber(token: string): number | undefined {
  const m = /^([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+|几|多|半))?(多|几)?$/.exec(token);
  if (!m) return undefined;
  const int = parseInteger(m[1] ?? "");
  if (int === undefined) return undefined;
  let v = int;
  const dec = m[2];
  if (dec === "几" || dec === "多" || dec === "半") v += 0.5;
  else if (dec !== undefined) {
    let frac = 0;
    let scale = 0.1;
    for (const ch of dec) {
      frac += (DIGIT[ch] ?? 0) * scale;
      scale /= 10;
    }
    v = Math.round((v + frac) * 1000) / 1000;
  }
  if (m[3] !== undefined && dec === undefined) {
    // 十几 / 二十多 → middle of the decade; 三百多 → middle of the hundred; 八十多岁 likewise.
    const step = int >= 100 && int % 100 === 0 ? 100 : int >= 10 && int % 10 === 0 ? 10 : 1;
    v += step / 2;
  }
  return v;
}
