/**
 * Block Kit rendering of a pipeline answer for clinicians: lab tests, examinations,
 * medications (dose, frequency), recommendations — each item with its citation; findings and
 * escalation as warnings; case-based drafts labelled; Accept / Escalate / Flag buttons.
 * Split within Slack's limits: at most 50 blocks per message, 3000 characters per section.
 */
import type { types } from "@slack/bolt";
import type { Citation, PipelineResult } from "../../core/domain.js";

type Block = types.KnownBlock;

export const MAX_BLOCKS = 50;
export const MAX_SECTION_CHARS = 3000;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

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

function citer(result: PipelineResult) {
  const byId = new Map<string, Citation>();
  for (const p of result.passages) {
    byId.set(p.citation.chunkId, p.citation);
    if (!byId.has(p.citation.sourceId)) byId.set(p.citation.sourceId, p.citation);
  }
  return (ids: string[]) => {
    if (!ids.length) return " _(no citation)_";
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
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: "GlycoPilot answer" } }];
  const d = result.draft;
  if (d?.mode === "case-based") {
    blocks.push(
      section(
        ":label: *Case-based draft* — aggregated from the most similar past cases, not a model answer. Verify before acting.",
      ),
    );
  }
  const warnings = result.findings
    .filter((f) => f.severity !== "info")
    .map((f) => `• ${f.severity === "block" ? ":no_entry:" : ":warning:"} ${esc(f.message)}`);
  if (result.decision?.action === "escalate") {
    warnings.unshift(
      `• :rotating_light: Escalated (${result.decision.priority ?? "routine"}): ${esc(result.decision.reasons.join("; ") || "see review queue")}`,
    );
  }
  for (const t of packLines(warnings.length ? ["*:warning: Warnings*", ...warnings] : [])) blocks.push(section(t));
  if (!d) {
    for (const t of packLines(esc(text).split("\n"))) blocks.push(section(t));
  } else {
    const cite = citer(result);
    const groups: [string, string[]][] = [
      ["Lab tests", d.labTests.map((x) => `• ${esc(x.name)}${x.reason ? ` — ${esc(x.reason)}` : ""}${cite(x.citations)}`)],
      ["Examinations", d.examinations.map((x) => `• ${esc(x.name)}${x.reason ? ` — ${esc(x.reason)}` : ""}${cite(x.citations)}`)],
      [
        "Medications",
        d.medications.map((m) => {
          const how = [m.dose, m.frequency, m.route]
            .filter(Boolean)
            .map((s) => esc(s as string))
            .join(", ");
          return `• *${esc(m.name)}* (${m.action})${how ? ` — ${how}` : ""}${cite(m.citations)}`;
        }),
      ],
      ["Recommendations", d.recommendations.map((r) => `• ${esc(r.text)}${cite(r.citations)}`)],
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
          text: esc(`${d.mode} · ${d.provider}/${d.model} · ${d.promptVersion} · confidence ${d.confidence.toFixed(2)}`),
        },
      ],
    });
  }
  return blocks;
}

export function actionsBlock(messageId: string): Block {
  return {
    type: "actions",
    block_id: "glyco_review",
    elements: [
      {
        type: "button",
        action_id: ACTIONS.accept,
        text: { type: "plain_text", text: "Accept" },
        style: "primary",
        value: messageId,
      },
      {
        type: "button",
        action_id: ACTIONS.escalate,
        text: { type: "plain_text", text: "Escalate" },
        style: "danger",
        value: messageId,
      },
      { type: "button", action_id: ACTIONS.flag, text: { type: "plain_text", text: "Flag for review" }, value: messageId },
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
  return splitMessages(answerBlocks(result, text), [actionsBlock(messageId)], "GlycoPilot answer");
}
