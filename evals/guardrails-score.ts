/**
 * Scores the guardrails on the labelled development sets in evals/datasets:
 * triage (emergency recall, under-triage, over-triage of routine, urgency macro-F1),
 * medication findings (block/warn recall, precision, clean cases unflagged) and PHI
 * (recall of identifiers, clinical numbers kept).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Urgency } from "../core/domain.js";
import { checkMedications, patientFromPlain, redact, triage } from "../guardrails/index.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "datasets");
const NOW = new Date("2026-01-15T00:00:00Z");

function readJsonl<T>(name: string): T[] {
  return readFileSync(join(DIR, name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

interface TriageCase {
  id: string;
  text: string;
  lang: string;
  urgency: Urgency;
  rule: string;
  patient?: unknown;
}
interface MedCase {
  id: string;
  patient: Record<string, unknown>;
  proposed: { name: string; dose?: string; frequency?: string; action?: string; purpose?: string }[];
  audience?: "clinician" | "patient";
  draftText?: string;
  expected: { code: string; severity: string }[];
  rule: string;
}
interface PhiCase {
  id: string;
  text: string;
  phi: { text: string; type: string }[];
  keep: string[];
}

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const LEVELS: Urgency[] = ["emergency", "urgent", "routine"];

export interface GuardrailsScore {
  triage: {
    n: number;
    emergencyRecall: number;
    underTriage: number;
    overTriageRoutine: number;
    macroF1: number;
    errors: { id: string; expected: Urgency; got: Urgency; text: string }[];
  };
  meds: {
    n: number;
    recall: number;
    precision: number;
    cleanUnflagged: number;
    errors: { id: string; missing: string[]; extra: string[] }[];
  };
  phi: {
    n: number;
    recall: number;
    typeAccuracy: number;
    numbersKept: number;
    errors: { id: string; missed: string[]; lost: string[] }[];
  };
}

export function scoreTriage(cases: TriageCase[] = readJsonl<TriageCase>("triage-dev.jsonl")): GuardrailsScore["triage"] {
  const pairs = cases.map((c) => ({ c, got: triage({ text: c.text, patient: patientFromPlain(c.patient), now: NOW }).urgency }));
  const emerg = pairs.filter((p) => p.c.urgency === "emergency");
  const routine = pairs.filter((p) => p.c.urgency === "routine");
  const f1s = LEVELS.map((l) => {
    const tp = pairs.filter((p) => p.c.urgency === l && p.got === l).length;
    const fp = pairs.filter((p) => p.c.urgency !== l && p.got === l).length;
    const fn = pairs.filter((p) => p.c.urgency === l && p.got !== l).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return {
    n: pairs.length,
    emergencyRecall: emerg.filter((p) => p.got === "emergency").length / Math.max(1, emerg.length),
    underTriage: pairs.filter((p) => RANK[p.got] < RANK[p.c.urgency]).length,
    overTriageRoutine: routine.filter((p) => p.got !== "routine").length / Math.max(1, routine.length),
    macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length,
    errors: pairs
      .filter((p) => p.got !== p.c.urgency)
      .map((p) => ({ id: p.c.id, expected: p.c.urgency, got: p.got, text: p.c.text })),
  };
}

export function scoreMeds(cases: MedCase[] = readJsonl<MedCase>("meds-dev.jsonl")): GuardrailsScore["meds"] {
  let expectedN = 0;
  let found = 0;
  let flagged = 0;
  let correctFlagged = 0;
  let clean = 0;
  let cleanOk = 0;
  const errors: GuardrailsScore["meds"]["errors"] = [];
  for (const c of cases) {
    const got = checkMedications({
      patient: c.patient as never,
      proposed: c.proposed,
      audience: c.audience,
      draftText: c.draftText,
    }).filter((f) => f.severity !== "info");
    const exp = c.expected.filter((e) => e.severity !== "info");
    const key = (x: { code: string; severity: string }) => `${x.code}/${x.severity}`;
    const gotKeys = new Set(got.map(key));
    const expKeys = new Set(exp.map(key));
    expectedN += expKeys.size;
    found += [...expKeys].filter((k) => gotKeys.has(k)).length;
    flagged += gotKeys.size;
    correctFlagged += [...gotKeys].filter((k) => expKeys.has(k)).length;
    if (expKeys.size === 0) {
      clean++;
      if (gotKeys.size === 0) cleanOk++;
    }
    const missing = [...expKeys].filter((k) => !gotKeys.has(k));
    const extra = [...gotKeys].filter((k) => !expKeys.has(k));
    if (missing.length || extra.length) errors.push({ id: c.id, missing, extra });
  }
  return {
    n: cases.length,
    recall: found / Math.max(1, expectedN),
    precision: correctFlagged / Math.max(1, flagged),
    cleanUnflagged: cleanOk / Math.max(1, clean),
    errors,
  };
}

export function scorePhi(cases: PhiCase[] = readJsonl<PhiCase>("phi-dev.jsonl")): GuardrailsScore["phi"] {
  let total = 0;
  let hit = 0;
  let typed = 0;
  let keepN = 0;
  let kept = 0;
  const errors: GuardrailsScore["phi"]["errors"] = [];
  for (const c of cases) {
    const { redacted, spans } = redact(c.text);
    const missed: string[] = [];
    for (const p of c.phi) {
      total++;
      const start = c.text.indexOf(p.text);
      const end = start + p.text.length;
      // Found = every character of the identifier lies inside some span.
      let ok = true;
      for (let i = start; i < end; i++) if (!spans.some((s) => s.start <= i && i < s.end)) ok = false;
      if (ok) {
        hit++;
        if (spans.some((s) => s.start < end && s.end > start && s.type === p.type)) typed++;
      } else missed.push(`${p.type}:${p.text}`);
    }
    const lost: string[] = [];
    for (const k of c.keep) {
      keepN++;
      if (redacted.includes(k)) kept++;
      else lost.push(k);
    }
    if (missed.length || lost.length) errors.push({ id: c.id, missed, lost });
  }
  return {
    n: cases.length,
    recall: hit / Math.max(1, total),
    typeAccuracy: typed / Math.max(1, hit),
    numbersKept: kept / Math.max(1, keepN),
    errors,
  };
}

export function scoreGuardrails(): GuardrailsScore {
  return { triage: scoreTriage(), meds: scoreMeds(), phi: scorePhi() };
}
