/**
 * The Diabetica five-option multiple-choice set (evals/datasets/qa/diabetica_mcq_a1.csv, MIT,
 * from waltonfuture/Diabetica): parsing, answer extraction from free model text in Chinese or
 * English, and accuracy. The runner that asks a model lives with the model code; this module
 * is pure apart from `loadMcq`.
 */
import { readFileSync } from "node:fs";

export const MCQ_LETTERS = ["A", "B", "C", "D", "E"] as const;
export type McqLetter = (typeof MCQ_LETTERS)[number];

export interface McqItem {
  id: string;
  question: string;
  options: Record<McqLetter, string>;
  answer: McqLetter;
}

export const DEFAULT_MCQ_FILE = new URL("./datasets/qa/diabetica_mcq_a1.csv", import.meta.url);

/** RFC 4180 CSV: quoted fields may contain commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

const OPTION_LINE = /^Option\s+([A-E])\s*[:：]\s*(.*)$/;

/** Parse the CSV (header `question,answer`). Throws on a malformed row, naming it. */
export function parseMcqCsv(text: string): McqItem[] {
  const [header, ...rows] = parseCsv(text);
  if (header?.[0]?.trim() !== "question" || header[1]?.trim() !== "answer") {
    throw new Error('expected a header "question,answer"');
  }
  return rows.map((r, i) => {
    const id = `mcq-${String(i + 1).padStart(3, "0")}`;
    const lines = (r[0] ?? "").split(/\r?\n/);
    const questionLines: string[] = [];
    const options: Partial<Record<McqLetter, string>> = {};
    for (const line of lines) {
      const m = OPTION_LINE.exec(line.trim());
      if (m) options[m[1] as McqLetter] = (m[2] ?? "").trim();
      else if (Object.keys(options).length === 0) questionLines.push(line);
    }
    const question = questionLines
      .join("\n")
      .replace(/^\s*Question:\s*/, "")
      .trim();
    const answer = /^\s*([A-E])/.exec(r[1] ?? "")?.[1] as McqLetter | undefined;
    const missing = MCQ_LETTERS.filter((l) => options[l] === undefined);
    if (!question || missing.length > 0 || !answer) {
      throw new Error(
        `${id} (CSV row ${i + 2}): ${!question ? "no question" : missing.length ? `missing options ${missing.join(",")}` : "no answer letter"}`,
      );
    }
    return { id, question, options: options as Record<McqLetter, string>, answer };
  });
}

export function loadMcq(file: string | URL = DEFAULT_MCQ_FILE): McqItem[] {
  return parseMcqCsv(readFileSync(file, "utf8"));
}

/** The prompt text a model sees for one item (question and lettered options). */
export function formatMcqPrompt(item: McqItem): string {
  const opts = MCQ_LETTERS.map((l) => `${l}. ${item.options[l]}`).join("\n");
  return `${item.question}\n${opts}\n请只回答一个选项字母（A–E）。`;
}

const LETTER = "([A-EＡ-Ｅ])";
/** Explicit statements win, "answer" wording before "option/choose" wording (选项B不对，答案是A → A). */
const explicit = (words: string): RegExp =>
  new RegExp(`(?:${words})\\s*(?:是|为|為|应为|应是|:|：|is)?\\s*[（(【\\[「"]?\\s*${LETTER}(?![A-Za-z0-9])`, "i");
const EXPLICIT = [
  explicit("正确答案|答案|最佳答案|correct answer|answer(?:\\s+is)?"),
  explicit("正确选项|最佳选项|应选|选择|选项|选|option|choice"),
];
/** An answer that starts with a marked letter: "B.", "B：尿崩症", "(B) …", or just "B". */
const LEADING = new RegExp(`^\\s*(?:[（(【\\[]${LETTER}[)）】\\]]|${LETTER}(?:[.．、:：,，]|\\s*$))`);
/** Letters standing alone (not inside HLA-B27, ACTH, words). */
const STANDALONE = /(?<![A-Za-z0-9-])([A-E])(?![A-Za-z0-9])/g;

function toAscii(l: string): McqLetter {
  const c = l.charCodeAt(0);
  return (c >= 0xff21 ? String.fromCharCode(c - 0xff21 + 65) : l.toUpperCase()) as McqLetter;
}

/**
 * The letter a model chose, or null when it cannot be told. With `options`, an answer that
 * quotes exactly one option's text also counts.
 */
export function extractChoice(modelText: string, options?: Record<McqLetter, string>): McqLetter | null {
  const text = modelText.normalize("NFKC").trim();
  for (const re of EXPLICIT) {
    const m = re.exec(text);
    if (m?.[1]) return toAscii(m[1]);
  }
  const leading = LEADING.exec(text);
  const lead = leading?.[1] ?? leading?.[2];
  if (lead) return toAscii(lead);
  const standalone = new Set([...text.matchAll(STANDALONE)].map((m) => m[1] as McqLetter));
  if (standalone.size === 1) return [...standalone][0] ?? null;
  if (options) {
    const quoted = MCQ_LETTERS.filter((l) => options[l].length > 0 && text.includes(options[l]));
    // Prefer the longest quoted option so "HLA-B27" is not beaten by a shorter substring option.
    if (quoted.length >= 1) {
      const longest = Math.max(...quoted.map((l) => options[l].length));
      const best = quoted.filter((l) => options[l].length === longest);
      if (best.length === 1) return best[0] ?? null;
    }
  }
  return null;
}

export interface McqScore {
  accuracy: number;
  correct: number;
  total: number;
  /** Answers from which no letter could be extracted (counted wrong). */
  unanswered: number;
}

export function scoreMcq(answers: ReadonlyArray<{ gold: McqLetter; predicted: McqLetter | null }>): McqScore {
  const correct = answers.filter((a) => a.predicted === a.gold).length;
  const unanswered = answers.filter((a) => a.predicted === null).length;
  return { accuracy: answers.length === 0 ? 0 : correct / answers.length, correct, total: answers.length, unanswered };
}
