/**
 * Terminal rendering of a consultation result for `glycopilot ask`: the decision first, then
 * triage, the draft item by item (lab tests, examinations, a medications table, recommendations)
 * with numbered citations resolved to the retrieved sources, and the findings. Pure: text in,
 * text out; colour only when asked for.
 */
import type { Citation, Decision, Draft, Finding, Triage } from "../../core/domain.js";

export interface ResultView {
  id: string;
  status: string;
  mode?: string;
  triage?: Triage | null;
  draft?: Draft | null;
  findings?: Finding[];
  decision?: Decision | null;
  reply?: string | null;
  held?: boolean;
  error?: string | null;
  passages?: { score: number; citation: Citation }[];
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s };
const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const ansi: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) };

export const styleFor = (color: boolean): Style => (color ? ansi : plain);

const ACTION_LABEL: Record<string, string> = {
  send: "SEND",
  "send-with-caveat": "SEND WITH CAVEAT",
  "hold-for-review": "HELD FOR REVIEW",
  escalate: "ESCALATE",
};

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));

function table(headers: string[], rows: string[][], st: Style): string[] {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join("  ")
      .trimEnd()}`;
  return [st.dim(line(headers)), ...rows.map(line)];
}

export function renderResult(r: ResultView, st: Style = plain): string {
  const out: string[] = [];
  // Citations are chunk ids; number them in order of first use and list the sources at the end.
  const byChunk = new Map((r.passages ?? []).map((p) => [p.citation.chunkId, p.citation]));
  const used: string[] = [];
  const cite = (ids: readonly string[] | undefined) => {
    if (!ids?.length) return "";
    const n = ids.map((id) => {
      let i = used.indexOf(id);
      if (i < 0) i = used.push(id) - 1;
      return `[${i + 1}]`;
    });
    return n.join("");
  };

  const mode =
    r.draft?.mode === "guideline-based"
      ? st.yellow("guideline-based — drafted by the guideline engine (ADA/KDIGO), no model")
      : r.draft?.mode === "patient-answer"
        ? st.yellow("patient answer — from the patient's targets or education passages, no model")
        : r.mode === "case-based" || r.draft?.mode === "case-based"
          ? st.yellow("case-based mode — drafted from similar past cases, no model")
          : r.draft?.mode === "safety-net"
            ? st.red("safety-net reply (emergency path, no model)")
            : r.draft
              ? `model ${r.draft.provider}/${r.draft.model}`
              : "";
  out.push(`${st.bold(`Consultation ${r.id}`)}  ${r.status}${mode ? ` · ${mode}` : ""}`);

  if (r.decision) {
    const label = ACTION_LABEL[r.decision.action] ?? r.decision.action.toUpperCase();
    const colour = r.decision.action === "send" ? st.green : r.decision.action === "escalate" ? st.red : st.yellow;
    out.push(
      `${st.bold("Decision")}   ${colour(st.bold(label))}${r.decision.priority ? ` (priority ${r.decision.priority})` : ""}`,
    );
    for (const reason of r.decision.reasons) out.push(`           · ${reason}`);
  } else if (r.status === "failed") {
    out.push(`${st.bold("Decision")}   ${st.yellow("HELD FOR REVIEW")} — processing failed${r.error ? `: ${r.error}` : ""}`);
  }
  if (r.triage) {
    const t = r.triage;
    const flags = t.flags.length ? t.flags.map((f) => f.code).join(", ") : "none";
    const urgency = t.urgency === "emergency" ? st.red(t.urgency) : t.urgency === "urgent" ? st.yellow(t.urgency) : t.urgency;
    out.push(
      `${st.bold("Triage")}     ${urgency} · responder ${t.responder} · red flags: ${flags}${t.injection ? ` · ${st.red("injection attempt")}` : ""}`,
    );
    if (t.complexity.length) out.push(`           complexity: ${t.complexity.map((c) => c.reason || c.code).join("; ")}`);
  }

  const d = r.draft;
  if (d) {
    const list = (title: string, items: { name: string; reason?: string | undefined; citations: string[] }[]) => {
      if (!items.length) return;
      out.push("", st.bold(title));
      items.forEach((it, i) => {
        out.push(`  ${i + 1}. ${it.name}${it.reason ? ` — ${it.reason}` : ""} ${st.dim(cite(it.citations))}`.trimEnd());
      });
    };
    list("Lab tests", d.labTests);
    list("Examinations", d.examinations);
    if (d.medications.length) {
      out.push("", st.bold("Medications"));
      out.push(
        ...table(
          ["action", "name", "dose", "frequency", "route", "sources"],
          d.medications.map((m) => [m.action, m.name, m.dose ?? "", m.frequency ?? "", m.route ?? "", cite(m.citations)]),
          st,
        ),
      );
    }
    if (d.recommendations.length) {
      out.push("", st.bold("Recommendations"));
      d.recommendations.forEach((x, i) => {
        out.push(`  ${i + 1}. ${x.text} ${st.dim(cite(x.citations))}`.trimEnd());
      });
    }
    out.push(
      "",
      st.dim(
        `confidence ${d.confidence.toFixed(2)}${d.agreement !== undefined ? ` · agreement ${d.agreement.toFixed(2)}` : ""} · prompt ${d.promptVersion}`,
      ),
    );
  }
  if (r.reply) out.push("", st.bold("Reply"), ...r.reply.split("\n").map((l) => `  ${l}`));

  const findings = r.findings ?? [];
  if (findings.length) {
    out.push("", st.bold("Findings"));
    for (const f of findings) {
      const sev = f.severity === "block" ? st.red("BLOCK") : f.severity === "warn" ? st.yellow("WARN ") : st.dim("INFO ");
      out.push(`  ${sev} ${f.code}${f.item ? ` (${f.item})` : ""}: ${f.message}${f.source ? st.dim(` — ${f.source}`) : ""}`);
    }
  }
  if (used.length) {
    out.push("", st.bold("Sources"));
    used.forEach((id, i) => {
      const c = byChunk.get(id);
      out.push(
        c
          ? `  [${i + 1}] ${c.title}${c.version ? ` (${c.version})` : ""}${c.url ? st.dim(`  ${c.url}`) : ""}`
          : `  [${i + 1}] ${id}`,
      );
    });
  }
  return `${out.join("\n")}\n`;
}
