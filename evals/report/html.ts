/**
 * A self-contained HTML eval report: summary figures, inline SVG charts, optional tables.
 * No scripts, no external assets — the file can be attached to a ticket or opened offline.
 */
import { type ChartSpec, renderSvg } from "./charts.js";

export interface ReportTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}
export interface ReportInput {
  title: string;
  summary: Record<string, number | string>;
  charts: ChartSpec[];
  tables?: ReportTable[];
  /** Shown under the title, e.g. dataset and command. */
  subtitle?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function cell(v: string | number): string {
  if (typeof v === "number") return `<td class="num">${escapeHtml(formatNumber(v))}</td>`;
  return `<td>${escapeHtml(v)}</td>`;
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 10 ? 2 : 4);
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}.sub{color:#666}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}`;

export async function renderReport(input: ReportInput): Promise<string> {
  const svgs = await Promise.all(input.charts.map((c) => renderSvg(c)));
  const summary = Object.entries(input.summary)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`)
    .join("");
  const tables = (input.tables ?? [])
    .map(
      (t) =>
        `<h2>${escapeHtml(t.title)}</h2><table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${t.rows
          .map((r) => `<tr>${r.map(cell).join("")}</tr>`)
          .join("")}</tbody></table>`,
    )
    .join("\n");
  const figures = svgs
    .map((svg, i) => `<figure aria-label="${escapeHtml(input.charts[i]?.title ?? "")}">${svg}</figure>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p class="sub">${escapeHtml(input.subtitle)}</p>` : ""}
<h2>Summary</h2><table>${summary}</table>
${figures ? `<h2>Charts</h2><div class="charts">${figures}</div>` : ""}
${tables}
</body></html>
`;
}
