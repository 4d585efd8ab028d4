/**
 * Case-based mode, used when no model host is configured: the draft is the similarity-weighted
 * vote of what was ordered for the most similar past cases, cited to the retrieved guideline
 * passages. Labelled "case-based" everywhere it appears; never presented as a model's answer.
 */
import type { DraftBody, Passage, PatientContext, SimilarCase } from "../../core/domain.js";

export const CASE_BASED_VERSION = "case-based-v1";

interface Tally {
  label: string;
  weight: number;
  support: number;
}

function vote(similar: readonly SimilarCase[], pick: (c: SimilarCase) => readonly string[]): Tally[] {
  const byKey = new Map<string, Tally>();
  for (const c of similar) {
    const w = Math.max(0, c.similarity);
    for (const item of new Set(pick(c))) {
      const key = item.trim().toLowerCase();
      if (!key) continue;
      const t = byKey.get(key) ?? { label: item.trim(), weight: 0, support: 0 };
      t.weight += w;
      t.support += 1;
      byKey.set(key, t);
    }
  }
  return [...byKey.values()].sort((a, b) => b.weight - a.weight);
}

/** "metformin hydrochloride 500 MG Oral Tablet" → name "metformin hydrochloride", dose "500 mg". */
export function splitDrugLabel(label: string): { name: string; dose?: string; route?: string } {
  const m = label.match(/^(.*?)\s+(\d+(?:\.\d+)?\s*(?:mg|unt\/ml|units?\/ml|mcg|g|ml|iu)\b(?:\/ml)?)\s*(.*)$/i);
  if (!m) return { name: label };
  const route = /oral/i.test(m[3] ?? "") ? "oral" : /inject|pen|vial|suspension/i.test(m[3] ?? "") ? "subcutaneous" : undefined;
  return { name: (m[1] ?? label).trim(), dose: (m[2] ?? "").toLowerCase().replace(/\s+/, " "), ...(route ? { route } : {}) };
}

export function caseBasedDraft(input: {
  patient?: PatientContext;
  similar: readonly SimilarCase[];
  passages: readonly Passage[];
}): DraftBody {
  const n = input.similar.length;
  const cite = input.passages.slice(0, 2).map((p) => p.citation.chunkId);
  const totalWeight = input.similar.reduce((a, c) => a + Math.max(0, c.similarity), 0) || 1;
  // An item enters the draft when the cases that ordered it carry at least 30% of the similarity mass.
  const keep = (t: Tally) => t.weight / totalWeight >= 0.3;
  const labs = vote(input.similar, (c) => c.labTests).filter(keep);
  const meds = vote(input.similar, (c) => c.medications).filter(keep);
  const current = new Set((input.patient?.medications ?? []).map((m) => m.name.toLowerCase()));
  const support = (t: Tally) => `${t.support}/${n} similar cases`;
  return {
    labTests: labs.map((t) => ({ name: t.label, reason: `ordered for ${support(t)}`, citations: cite })),
    examinations: [],
    medications: meds.map((t) => {
      const d = splitDrugLabel(t.label);
      const onIt = [...current].some((c) => c.includes(d.name.toLowerCase().split(" ")[0] ?? "") && c !== "");
      return {
        name: d.name,
        ...(d.dose ? { dose: d.dose } : {}),
        ...(d.route ? { route: d.route } : {}),
        action: onIt ? ("continue" as const) : ("start" as const),
        citations: cite,
      };
    }),
    recommendations: input.passages.slice(0, 3).map((p) => ({
      text: `Review: ${p.citation.title}`,
      citations: [p.citation.chunkId],
    })),
    confidence: n === 0 ? 0 : Math.min(1, totalWeight / n),
  };
}
