/**
 * Plain-text rendering of a draft for channels without rich formatting (HTTP result, WeChat).
 * Slack renders Block Kit from the structured draft instead.
 */
import type { Draft, Lang } from "../../core/domain.js";

const L = {
  en: {
    labs: "Lab tests",
    exams: "Examinations",
    meds: "Medications",
    recs: "Recommendations",
    caseBased: "[case-based: aggregated from similar past cases, not a model answer]",
    guidelineBased:
      "[guideline-based: derived from the ADA Standards of Care and KDIGO by the guideline engine, not a model answer]",
  },
  zh: {
    labs: "检验项目",
    exams: "检查项目",
    meds: "用药建议",
    recs: "治疗建议",
    caseBased: "【基于相似病例汇总，非模型生成】",
    guidelineBased: "【基于指南引擎（ADA诊疗标准、KDIGO）生成，非模型生成】",
  },
};

/** Medication actions in Chinese, so a Chinese answer does not read "continue 二甲双胍". */
const ZH_ACTION: Record<string, string> = {
  start: "起始",
  continue: "继续",
  stop: "停用",
  increase: "加量",
  decrease: "减量",
  change: "调整",
};

export function renderDraftText(draft: Draft, lang: Lang): string {
  const t = lang === "zh" ? L.zh : L.en;
  const cites = (c: string[]) => (c.length ? ` [${c.join(", ")}]` : "");
  const out: string[] = [];
  if (draft.mode === "case-based") out.push(t.caseBased);
  if (draft.mode === "guideline-based") out.push(t.guidelineBased);
  if (draft.labTests.length) out.push(`${t.labs}:`, ...draft.labTests.map((x) => `- ${x.name}${cites(x.citations)}`));
  if (draft.examinations.length) out.push(`${t.exams}:`, ...draft.examinations.map((x) => `- ${x.name}${cites(x.citations)}`));
  if (draft.medications.length) {
    out.push(
      `${t.meds}:`,
      ...draft.medications.map(
        (m) =>
          `- ${lang === "zh" ? (ZH_ACTION[m.action] ?? m.action) : m.action} ${[m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" ")}${cites(m.citations)}`,
      ),
    );
  }
  if (draft.recommendations.length)
    out.push(`${t.recs}:`, ...draft.recommendations.map((r) => `- ${r.text}${cites(r.citations)}`));
  return out.join("\n");
}
