/**
 * Repairs, before rule matching, the two ways real chat messages hide a red-flag word from the
 * catalogue (issue 12, "real patient-question styles"): a slipped key in an English symptom word
 * ("chset pain", "brething", "siezure") and toneless pinyin for a Chinese one ("chuan bu shang qi",
 * "zui wai le"). Only a short list of red-flag anchors is repaired, and only by a transposition,
 * an omitted or a doubled letter — a substitution would turn real words into anchors ("chess",
 * "threat", "fizzy"). Pure and deterministic; the text is the normalised (lower-case) one.
 */

/** Red-flag words worth repairing (≥ 5 letters, so a one-letter slip cannot reach another word). */
const ANCHORS = [
  "chest",
  "breath",
  "breathe",
  "breathing",
  "breathless",
  "stroke",
  "seizure",
  "seizures",
  "vomit",
  "vomiting",
  "bleeding",
  "unconscious",
  "unresponsive",
  "swollen",
  "swelling",
  "throat",
  "tongue",
  "fainted",
  "collapsed",
  "choking",
  "suicide",
  "suicidal",
  "overdose",
  "slurred",
  "drooping",
  "numbness",
  "weakness",
  "headache",
  "allergic",
];
const ANCHOR_SET = new Set(ANCHORS);
/** Real words one slip away from an anchor; never repaired. */
const REAL_WORDS = new Set(["stoke", "stoked", "breathes", "breaths", "chests", "tongues", "throats", "vomits", "headaches"]);

/** True when `a` becomes `b` by one adjacent transposition, one deletion or one insertion. */
function oneSlip(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  if (l.length - s.length !== 1) return false;
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

function repairWord(w: string): string {
  if (w.length < 4 || ANCHOR_SET.has(w) || REAL_WORDS.has(w)) return w;
  for (const a of ANCHORS) if (Math.abs(a.length - w.length) <= 1 && oneSlip(w, a)) return a;
  return w;
}

/** Toneless pinyin (spaced or run together) of the Chinese red-flag phrases the catalogue reads. */
const PINYIN: Array<[string, string]> = [
  ["chuan bu shang qi", "喘不上气"],
  ["chuan bu guo qi", "喘不过气"],
  ["hu xi kun nan", "呼吸困难"],
  ["zui chun fa zi", "嘴唇发紫"],
  ["zui wai", "嘴歪"],
  ["shuo hua bu qing", "说话不清"],
  ["xiong kou teng", "胸口疼"],
  ["xiong kou tong", "胸口痛"],
  ["xiong tong", "胸痛"],
  ["xiong men", "胸闷"],
  ["yun dao", "晕倒"],
  ["hun mi", "昏迷"],
  ["jiao bu xing", "叫不醒"],
  ["chou chu", "抽搐"],
  ["tu xue", "吐血"],
  ["bu xiang huo", "不想活"],
  ["di xue tang", "低血糖"],
  ["fa shao", "发烧"],
  ["fa gao shao", "发高烧"],
  ["tou teng", "头疼"],
  ["du zi teng", "肚子疼"],
  ["ban bian", "半边"],
  ["mei li qi", "没力气"],
];
const PINYIN_RE = PINYIN.map(([py, han]) => [new RegExp(`(?<![a-z])${py.split(" ").join("\\s*")}(?![a-z])`, "g"), han] as const);
/** Cheap gate: pinyin phrases need these syllables; most messages skip the pinyin pass. */
const PINYIN_GATE = /(?<![a-z])(?:chuan|xiong|zui|shuo|yun|hun|jiao|chou|tu|xiang|xue|fa|tou|du|ban|mei|hu)\s*[a-z]/;

export function repairForMatch(text: string): string {
  let t = text.replace(/[a-z]{4,}/g, repairWord);
  if (PINYIN_GATE.test(t)) for (const [re, han] of PINYIN_RE) t = t.replace(re, han);
  return t;
}
