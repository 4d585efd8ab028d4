/**
 * Block Kit rendering of a pipeline answer for clinicians: lab tests, examinations,
 * medications (dose, frequency), recommendations — each item with its citation; findings and
 * escalation as warnings; case-based drafts labelled; Accept / Escalate / Flag buttons.
 * Split within Slack's limits: at most 50 blocks per message, 3000 characters per section.
 */
import type { types } from "@slack/bolt";
import type { Citation, Lang, PipelineResult } from "../../core/domain.js";

type Block = types.KnownBlock;

export const MAX_BLOCKS = 50;
export const MAX_SECTION_CHARS = 3000;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Block Kit labels in the conversation's language: Chinese in, Chinese out. */
export const LABELS = {
  en: {
    header: "GlycoPilot answer",
    caseBased:
      ":label: *Case-based draft* — aggregated from the most similar past cases, not a model answer. Verify before acting.",
    patientAnswer:
      ":label: *Patient answer* — composed from patient-education passages or the patient's own targets, not a model answer.",
    warnings: "*:warning: Warnings*",
    escalated: "Escalated",
    seeQueue: "see review queue",
    noCitation: " _(no citation)_",
    groups: ["Lab tests", "Examinations", "Medications", "Recommendations"],
    accept: "Accept",
    escalate: "Escalate",
    flag: "Flag for review",
    confidence: "confidence",
    heldHeader: "GlycoPilot: held for review",
    escalatedHeader: "GlycoPilot: escalated to a clinician",
    heldBody: "No answer was sent: a reviewer has the case and the reviewed answer will come to this thread.",
    why: "Why",
    openCase: "Open the case",
    caseId: "Case",
  },
  zh: {
    header: "GlycoPilot 回复",
    caseBased: ":label: *基于相似病例的草稿* — 由最相似的既往病例汇总而来，非模型生成。采用前请核实。",
    patientAnswer: ":label: *患者回复* — 依据患者教育资料或患者本人的血糖目标生成，非模型生成。",
    warnings: "*:warning: 警示*",
    escalated: "已升级",
    seeQueue: "见审核队列",
    noCitation: " _（无引用）_",
    groups: ["检验项目", "检查项目", "用药建议", "治疗建议"],
    accept: "采纳",
    escalate: "升级处理",
    flag: "标记审核",
    confidence: "置信度",
    heldHeader: "GlycoPilot：已转人工审核",
    escalatedHeader: "GlycoPilot：已升级给医生",
    heldBody: "尚未发送回复：审核人员正在处理此病例，审核后的回复会发到本话题。",
    why: "原因",
    openCase: "打开病例",
    caseId: "病例",
  },
} as const;

export const labelsFor = (lang: Lang | undefined) => (lang === "zh" ? LABELS.zh : LABELS.en);

export const ACTIONS = { accept: "glyco_accept", escalate: "glyco_escalate", flag: "glyco_flag" } as const;

/** Slack mrkdwn escaping: &, <, > are control characters. */
export const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Pack lines into section texts of at most `max` chars; a single longer line is cut. */
export function packLines(lines: string[], max = MAX_SECTION_CHARS): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of lines) {
    for (let i = 0; i < Math.max(line.length, 1); i += max) {
      const piece = line.slice(i, i + max);
      if (cur && cur.length + 1 + piece.length > max) {
        out.push(cur);
        cur = piece;
      } else cur = cur ? `${cur}\n${piece}` : piece;
    }
  }
  if (cur) out.push(cur);
  return out;
}

const section = (text: string): Block => ({ type: "section", text: { type: "mrkdwn", text } });

function citer(result: PipelineResult, noCitation: string) {
  const byId = new Map<string, Citation>();
  for (const p of result.passages) {
    byId.set(p.citation.chunkId, p.citation);
    if (!byId.has(p.citation.sourceId)) byId.set(p.citation.sourceId, p.citation);
  }
  return (ids: string[]) => {
    if (!ids.length) return noCitation;
    const parts = ids.map((id) => {
      const c = byId.get(id);
      if (!c) return `\`${esc(id)}\``;
      const label = esc(`${c.title}${c.version ? ` (${c.version})` : ""}`).replaceAll("|", "¦");
      return /^https?:\/\//.test(c.url) ? `<${c.url}|${label}>` : label;
    });
    return `  — ${parts.join("; ")}`;
  };
}

/** All blocks of an answer, before splitting into messages. */
export function answerBlocks(result: PipelineResult, text: string): Block[] {
  const L = labelsFor(result.lang);
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: L.header } }];
  const d = result.draft;
  if (d?.mode === "case-based") blocks.push(section(L.caseBased));
  if (d?.mode === "patient-answer") blocks.push(section(L.patientAnswer));
  const warnings = result.findings
    .filter((f) => f.severity !== "info")
    .map((f) => `• ${f.severity === "block" ? ":no_entry:" : ":warning:"} ${esc(f.message)}`);
  if (result.decision?.action === "escalate") {
    warnings.unshift(
      `• :rotating_light: ${L.escalated} (${result.decision.priority ?? "routine"}): ${esc(result.decision.reasons.join("; ") || L.seeQueue)}`,
    );
  }
  for (const t of packLines(warnings.length ? [L.warnings, ...warnings] : [])) blocks.push(section(t));
  if (!d) {
    for (const t of packLines(esc(text).split("\n"))) blocks.push(section(t));
  } else {
    const cite = citer(result, L.noCitation);
    const [gLabs, gExams, gMeds, gRecs] = L.groups;
    const groups: [string, string[]][] = [
      [gLabs, d.labTests.map((x) => `• ${esc(x.name)}${x.reason ? ` — ${esc(x.reason)}` : ""}${cite(x.citations)}`)],
      [gExams, d.examinations.map((x) => `• ${esc(x.name)}${x.reason ? ` — ${esc(x.reason)}` : ""}${cite(x.citations)}`)],
      [
        gMeds,
        d.medications.map((m) => {
          const how = [m.dose, m.frequency, m.route]
            .filter(Boolean)
            .map((s) => esc(s as string))
            .join(", ");
          return `• *${esc(m.name)}* (${m.action})${how ? ` — ${how}` : ""}${cite(m.citations)}`;
        }),
      ],
      [gRecs, d.recommendations.map((r) => `• ${esc(r.text)}${cite(r.citations)}`)],
    ];
    for (const [title, lines] of groups) {
      if (!lines.length) continue;
      for (const t of packLines([`*${title}*`, ...lines])) blocks.push(section(t));
    }
    blocks.push({ type: "divider" });
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: esc(`${d.mode} · ${d.provider}/${d.model} · ${d.promptVersion} · ${L.confidence} ${d.confidence.toFixed(2)}`),
        },
      ],
    });
  }
  return blocks;
}

export function actionsBlock(messageId: string, lang?: Lang): Block {
  const L = labelsFor(lang);
  return {
    type: "actions",
    block_id: "glyco_review",
    elements: [
      {
        type: "button",
        action_id: ACTIONS.accept,
        text: { type: "plain_text", text: L.accept },
        style: "primary",
        value: messageId,
      },
      {
        type: "button",
        action_id: ACTIONS.escalate,
        text: { type: "plain_text", text: L.escalate },
        style: "danger",
        value: messageId,
      },
      { type: "button", action_id: ACTIONS.flag, text: { type: "plain_text", text: L.flag }, value: messageId },
    ],
  };
}

/** Split into messages of at most 50 blocks; the buttons go with the last one. */
export function splitMessages(blocks: Block[], tail: Block[], fallback: string): SlackMessage[] {
  const room = MAX_BLOCKS;
  const chunks: Block[][] = [];
  for (let i = 0; i < blocks.length; i += room) chunks.push(blocks.slice(i, i + room));
  if (!chunks.length) chunks.push([]);
  const last = chunks[chunks.length - 1] as Block[];
  if (last.length + tail.length > room) chunks.push([...tail]);
  else last.push(...tail);
  return chunks.map((b, i) => ({ text: chunks.length > 1 ? `${fallback} (${i + 1}/${chunks.length})` : fallback, blocks: b }));
}

export function renderAnswer(result: PipelineResult, messageId: string, text: string): SlackMessage[] {
  return splitMessages(answerBlocks(result, text), [actionsBlock(messageId, result.lang)], labelsFor(result.lang).header);
}

/**
 * The thread reply for a held or escalated consultation: that it is held (or escalated), the
 * rule codes behind it — never the evidence or the draft — and a link to the case.
 */
export function renderHeldNotice(result: PipelineResult, codes: readonly string[], caseUrl?: string): SlackMessage {
  const L = labelsFor(result.lang);
  const escalated = result.decision?.action === "escalate";
  const header = escalated ? L.escalatedHeader : L.heldHeader;
  const priority = result.decision?.priority ?? result.triage?.urgency ?? "routine";
  const link = caseUrl ? `<${caseUrl}|${esc(L.openCase)}>` : `${L.caseId} \`${esc(result.id)}\``;
  const why = codes.length ? codes.map((c) => `\`${esc(c)}\``).join(", ") : "—";
  return {
    text: `${header} (${priority}): ${codes.join(", ") || "—"}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: header } },
      section(`${esc(L.heldBody)}\n*${L.why}* (${esc(priority)}): ${why}\n${link}`),
    ],
  };
}
