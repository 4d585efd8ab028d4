/**
 * Guideline-based mode, the default when no model host is configured: the draft is the
 * guideline engine's plan for this patient (guardrails/guideline) — medications with dose and
 * frequency, monitoring labs and examinations, actionable recommendations — each item citing the
 * guideline passage that supports it. What similar past cases were ordered is kept as one
 * clearly labelled supplementary recommendation, never mixed into the guideline items.
 * Labelled "guideline-based" everywhere it appears; never presented as a model's answer.
 */

import type { DraftBody, Lang, Passage, PatientContext, SimilarCase } from "../../core/domain.js";
import { type GuidelinePlan, guidelinePlan } from "../../guardrails/guideline/index.js";
import guidelinePassages from "../../rag/corpus/guidelines/ada-2025-kdigo-2022.json" with { type: "json" };
import { caseBasedDraft } from "./case-based.js";

export const GUIDELINE_BASED_VERSION = "guideline-engine-v1";

interface CorpusPassage {
  id: string;
  title: string;
  text: string;
  url: string;
  version: string;
}
const CORPUS = new Map((guidelinePassages as CorpusPassage[]).map((p) => [p.id, p]));

/** The knowledge-store passages a plan cites, as Passages (score 0: they were not retrieved by similarity). */
export function citedPassages(plan: GuidelinePlan): Passage[] {
  const ids = [...new Set(plan.items.map((i) => i.source.id))];
  return ids.flatMap((id) => {
    const p = CORPUS.get(id);
    return p
      ? [
          {
            text: p.text,
            score: 0,
            kind: "guideline" as const,
            audience: "clinician" as const,
            citation: { sourceId: p.id, chunkId: p.id, title: p.title, url: p.url, version: p.version },
          },
        ]
      : [];
  });
}

export interface GuidelineDraftInput {
  patient: PatientContext;
  lang: Lang;
  similar: readonly SimilarCase[];
  now: Date;
  /** Similar cases that vote in the supplement. @defaultValue 10 */
  k?: number;
}

/** The plan as a draft. Confidence is fixed and modest: the engine knows the rules, not the patient's whole story. */
export function guidelineDraft(input: GuidelineDraftInput): { draft: DraftBody; plan: GuidelinePlan } {
  const plan = guidelinePlan({ patient: input.patient, lang: input.lang === "en" ? "en" : "zh", now: input.now });
  const zh = plan.lang === "zh";
  const cite = (id: string) => [id];
  const draft: DraftBody = {
    labTests: plan.items
      .filter((i) => i.kind === "lab")
      .map((i) => ({ name: i.text, ...(i.reason ? { reason: i.reason } : {}), citations: cite(i.source.id) })),
    examinations: plan.items
      .filter((i) => i.kind === "exam")
      .map((i) => ({ name: i.text, ...(i.reason ? { reason: i.reason } : {}), citations: cite(i.source.id) })),
    medications: plan.items.flatMap((i) =>
      i.med
        ? [
            {
              name: i.med.name,
              dose: i.med.dose,
              frequency: i.med.frequency,
              ...(i.med.route ? { route: i.med.route } : {}),
              action: i.med.action,
              citations: cite(i.source.id),
            },
          ]
        : [],
    ),
    recommendations: plan.items.filter((i) => i.kind === "rec").map((i) => ({ text: i.text, citations: cite(i.source.id) })),
    confidence: 0.6,
  };
  const supplement = similarSupplement(input, draft, zh);
  if (supplement) draft.recommendations.push({ text: supplement, citations: [] });
  for (const r of plan.escalate)
    draft.recommendations.unshift({ text: zh ? `需医生处理：${r}。` : `Needs a clinician: ${r}.`, citations: [] });
  draft.recommendations = draft.recommendations.slice(0, 30);
  draft.medications = draft.medications.slice(0, 30);
  return { draft, plan };
}

/** What similar past cases were ordered that the guideline draft does not already contain, labelled as such. */
function similarSupplement(input: GuidelineDraftInput, draft: DraftBody, zh: boolean): string | undefined {
  if (input.similar.length === 0) return undefined;
  const peers = caseBasedDraft({ similar: input.similar, passages: [], options: { selfInformed: false, k: input.k ?? 10 } });
  const known = [...draft.labTests.map((l) => l.name), ...draft.medications.map((m) => m.name)].join(" ").toLowerCase();
  const extra = [...peers.labTests.map((l) => l.name), ...peers.medications.map((m) => m.name)].filter(
    (n) => !known.includes(n.toLowerCase().split(/\s+/)[0] ?? n.toLowerCase()),
  );
  const n = Math.min(input.similar.length, input.k ?? 10);
  if (extra.length === 0) return undefined;
  const list = extra.slice(0, 8).join(zh ? "、" : ", ");
  return zh
    ? `补充信息（相似既往病例，非指南证据）：${n}例相似病例中常见的其他医嘱：${list}。仅供参考。`
    : `Supplement (similar past cases, not guideline evidence): other orders common among ${n} similar cases: ${list}. For reference only.`;
}
