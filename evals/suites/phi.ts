/**
 * The `phi` suite: the PHI redactor on messages with labelled identifiers and clinical numbers.
 * Recall = identifiers fully covered by redaction spans (the gate's `phiRecall`); precision =
 * spans that touch a labelled identifier; numbers kept = clinical values that survive
 * redaction (a redactor that eats "7.8" changes what the model is asked).
 */
import { z } from "zod";
import { redact } from "../../guardrails/index.js";
import { charts, type ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { type PromptfooTest, registerSuite, type SuiteContext } from "../suites.js";
import { datasetPath, ratio, readJsonl } from "./data.js";

export const PhiCase = z.object({
  id: z.string(),
  text: z.string(),
  phi: z.array(z.object({ text: z.string().min(1), type: z.string() })),
  keep: z.array(z.string()).default([]),
});
export type PhiCase = z.infer<typeof PhiCase>;

export const PHI_DEV = datasetPath("phi-dev.jsonl");

/** Every [start, end) where `needle` occurs in `text`. */
function occurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push([i, i + needle.length]);
  return out;
}

export function scorePhiCases(cases: PhiCase[], tick: () => void = () => {}): EvalResult {
  let total = 0;
  let hit = 0;
  let typed = 0;
  let spansN = 0;
  let spansOnPhi = 0;
  let keepN = 0;
  let kept = 0;
  const byType = new Map<string, { n: number; hit: number }>();
  const errors: Array<{ id: string; missed: string[]; lost: string[]; spurious: string[] }> = [];
  for (const c of cases) {
    const { redacted, spans } = redact(c.text);
    const missed: string[] = [];
    const gold = c.phi.flatMap((p) => occurrences(c.text, p.text));
    for (const p of c.phi) {
      total++;
      const t = byType.get(p.type) ?? { n: 0, hit: 0 };
      t.n++;
      const occ = occurrences(c.text, p.text);
      // Found = every character of every occurrence lies inside some span.
      const covered =
        occ.length > 0 &&
        occ.every(([s, e]) =>
          Array.from({ length: e - s }, (_, k) => s + k).every((i) => spans.some((x) => x.start <= i && i < x.end)),
        );
      if (covered) {
        hit++;
        t.hit++;
        if (occ.every(([s, e]) => spans.some((x) => x.start < e && x.end > s && x.type === p.type))) typed++;
      } else missed.push(`${p.type}:${p.text}`);
      byType.set(p.type, t);
    }
    const spurious: string[] = [];
    for (const s of spans) {
      spansN++;
      if (gold.some(([gs, ge]) => s.start < ge && s.end > gs)) spansOnPhi++;
      else spurious.push(`${s.type}:${c.text.slice(s.start, s.end)}`);
    }
    const lost = c.keep.filter((k) => !redacted.includes(k));
    keepN += c.keep.length;
    kept += c.keep.length - lost.length;
    if (missed.length || lost.length || spurious.length) errors.push({ id: c.id, missed, lost, spurious });
    tick();
  }
  const types = [...byType.entries()].sort((a, b) => b[1].n - a[1].n);
  return {
    suite: "phi",
    createdAt: new Date().toISOString(),
    metrics: {
      phiRecall: ratio(hit, total),
      phiPrecision: ratio(spansOnPhi, spansN),
      phiTypeAccuracy: ratio(typed, hit),
      numbersKept: ratio(kept, keepN),
    },
    // Clinical numbers lost to redaction change the question the model answers: guarded like PHI.
    safety: ["phiRecall", "numbersKept"],
    higherIsBetter: {},
    details: {
      cases: cases.length,
      identifiers: total,
      spans: spansN,
      clinicalNumbers: keepN,
      recallByType: Object.fromEntries(types.map(([t, s]) => [t, ratio(s.hit, s.n)])),
      countByType: Object.fromEntries(types.map(([t, s]) => [t, s.n])),
      errors,
    },
  };
}

export async function runPhiSuite(ctx: SuiteContext): Promise<EvalResult> {
  const cases = readJsonl(ctx.dataFile ?? PHI_DEV, PhiCase);
  return scorePhiCases(cases, ctx.progress(cases.length));
}

type PhiDetails = {
  recallByType?: Record<string, number>;
  countByType?: Record<string, number>;
  errors?: Array<{ id: string; missed: string[]; lost: string[]; spurious: string[] }>;
};

function phiTables(r: EvalResult): ReportTable[] {
  const d = r.details as PhiDetails;
  return [
    {
      title: "Recall by identifier type",
      columns: ["type", "identifiers", "recall"],
      rows: Object.entries(d.recallByType ?? {}).map(([t, v]) => [t, d.countByType?.[t] ?? 0, v]),
    },
    {
      title: "Errors",
      columns: ["id", "missed", "clinical numbers lost", "spurious spans"],
      rows: (d.errors ?? []).map((e) => [e.id, e.missed.join(", "), e.lost.join(", "), e.spurious.join(", ")]),
    },
  ];
}

export const PHI_PROMPT = `Rewrite the message below for a medical record shared with a third party. Replace every personal identifier (names, phone numbers, ID/record/insurance numbers, addresses, e-mail addresses, dates of birth) with a placeholder in square brackets such as [NAME]. Keep every clinical value (glucose, HbA1c, doses, ages) exactly as written. Output only the rewritten message.

Message: `;

/** Model-as-redactor cases for promptfoo: identifiers must be gone, clinical numbers must stay. */
export function phiPromptfooTests(dataFile?: string): PromptfooTest[] {
  return readJsonl(dataFile ?? PHI_DEV, PhiCase).map((c) => ({
    description: c.id,
    vars: { input: `${PHI_PROMPT}${c.text}` },
    assert: [
      ...c.phi.map((p) => ({ type: "not-contains", value: p.text, metric: "phiRecall" })),
      ...c.keep.map((k) => ({ type: "contains", value: k, metric: "numbersKept" })),
    ],
  }));
}

/** Adds the `phi` suite to the registry (once per process; the registry refuses duplicates). */
export function registerPhiSuite(): void {
  registerSuite("phi", runPhiSuite, {
    describe: "PHI redactor: recall, precision, type accuracy, clinical numbers kept",
    charts: (r) => [charts.perRuleRecall("phi: recall by identifier type", (r.details as PhiDetails).recallByType ?? {})],
    tables: phiTables,
    promptfoo: async (dataFile) => phiPromptfooTests(dataFile),
  });
}
