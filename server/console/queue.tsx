/** The queue view: filters (urgency, status, channel, rule fired, age) and each case's SLA countdown. */
import type { z } from "zod";
import { ReviewStatus, Urgency } from "../../core/domain.js";
import type { QueueQuery } from "../review/api.js";
import type { CaseRow } from "../review/store.js";
import { rulesOf } from "../review/store.js";
import { countdown } from "./assets.js";

export const AGE_OPTIONS: Array<[string, string]> = [
  ["", "Any age"],
  ["300000", "Older than 5 minutes"],
  ["3600000", "Older than 1 hour"],
  ["86400000", "Older than 1 day"],
];
const CHANNELS = ["http", "slack", "wechat"];

function Select(p: { id: string; label: string; value: string | undefined; options: Array<[string, string]> }) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} name={p.id}>
        {p.options.map(([v, t]) => (
          <option value={v} selected={(p.value ?? "") === v}>
            {t}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface QueueRow {
  c: CaseRow;
  dueMs: number;
}

export function QueuePage(p: { rows: QueueRow[]; q: z.infer<typeof QueueQuery>; rules: string[]; nowMs: number }) {
  const { q } = p;
  return (
    <>
      <h1>Review queue</h1>
      <form class="filters" method="get" action="/console" aria-label="Filter cases">
        <Select
          id="urgency"
          label="Urgency"
          value={q.urgency}
          options={[["", "All"], ...Urgency.options.map((u): [string, string] => [u, u])]}
        />
        <Select
          id="status"
          label="Status"
          value={q.status ?? "active"}
          options={[
            ["active", "Open or acknowledged"],
            ...ReviewStatus.options.map((s): [string, string] => [s, s]),
            ["all", "All"],
          ]}
        />
        <Select
          id="channel"
          label="Channel"
          value={q.channel}
          options={[["", "All"], ...CHANNELS.map((c): [string, string] => [c, c])]}
        />
        <Select
          id="rule"
          label="Rule fired"
          value={q.rule}
          options={[["", "Any"], ...p.rules.map((r): [string, string] => [r, r])]}
        />
        <Select id="minAgeMs" label="Age" value={q.minAgeMs === undefined ? "" : String(q.minAgeMs)} options={AGE_OPTIONS} />
        <button type="submit">Apply filters</button>
      </form>
      <table>
        <caption>
          {p.rows.length} case{p.rows.length === 1 ? "" : "s"}, most urgent first
        </caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Urgency</th>
            <th scope="col">Status</th>
            <th scope="col">Channel</th>
            <th scope="col">Rules fired</th>
            <th scope="col">Opened</th>
            <th scope="col">Service level</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map(({ c, dueMs }) => {
            const active = c.status === "open" || c.status === "acknowledged";
            return (
              <tr>
                <td>
                  <a href={`/console/cases/${encodeURIComponent(c.id)}`}>
                    {c.kind} {c.id.slice(0, 8)}
                  </a>
                </td>
                <td>
                  <span class={`badge u-${c.priority}`}>{c.priority}</span>
                </td>
                <td>{c.status}</td>
                <td>{c.channel}</td>
                <td>{rulesOf(c).join(", ") || "—"}</td>
                <td>
                  <time datetime={c.createdAt.toISOString()}>{c.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</time>
                </td>
                <td>
                  {active && c.status === "open" ? (
                    <span data-due={new Date(dueMs).toISOString()} class={dueMs < p.nowMs ? "overdue" : ""}>
                      {countdown(dueMs, p.nowMs)}
                    </span>
                  ) : (
                    <span class="muted">
                      {c.status === "acknowledged" ? `acknowledged by ${c.acknowledgedBy ?? "?"}` : "decided"}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
