/**
 * The queue view: filters (urgency, status, channel, rule fired, age), and for each case its
 * patient (a pseudonymous label and the redacted age/sex/diagnoses), a redacted preview of the
 * message, the rules fired and the SLA countdown.
 */
import type { z } from "zod";
import { ReviewStatus, Urgency } from "../../core/domain.js";
import type { QueueQuery } from "../review/api.js";
import type { CaseRow } from "../review/store.js";
import { rulesOf } from "../review/store.js";
import { countdown } from "./assets.js";
import type { QueueExtras } from "./extras.js";
import { label, type Strings } from "./i18n.js";

export const AGE_VALUES = ["", "300000", "3600000", "86400000"] as const;
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
  x?: QueueExtras | undefined;
}

export function QueuePage(p: { t: Strings; rows: QueueRow[]; q: z.infer<typeof QueueQuery>; rules: string[]; nowMs: number }) {
  const { q, t } = p;
  return (
    <>
      <h1>{t.queueHeading}</h1>
      <form class="filters" method="get" action="/console" aria-label={t.filterLabel}>
        <Select
          id="urgency"
          label={t.fUrgency}
          value={q.urgency}
          options={[["", t.all], ...Urgency.options.map((u): [string, string] => [u, label(t.urgency, u)])]}
        />
        <Select
          id="status"
          label={t.fStatus}
          value={q.status ?? "active"}
          options={[
            ["active", t.activeStatus],
            ...ReviewStatus.options.map((s): [string, string] => [s, label(t.status, s)]),
            ["all", t.all],
          ]}
        />
        <Select
          id="channel"
          label={t.fChannel}
          value={q.channel}
          options={[["", t.all], ...CHANNELS.map((c): [string, string] => [c, c])]}
        />
        <Select
          id="rule"
          label={t.fRule}
          value={q.rule}
          options={[["", t.any], ...p.rules.map((r): [string, string] => [r, r])]}
        />
        <Select
          id="minAgeMs"
          label={t.fAge}
          value={q.minAgeMs === undefined ? "" : String(q.minAgeMs)}
          options={AGE_VALUES.map((v, i): [string, string] => [v, t.ages[i] ?? v])}
        />
        <button type="submit">{t.applyFilters}</button>
      </form>
      <table class="fixed queue">
        <caption>{t.caption(p.rows.length)}</caption>
        <colgroup>
          <col class="w-case" />
          <col class="w-pat" />
          <col class="w-msg" />
          <col class="w-urg" />
          <col class="w-st" />
          <col class="w-ch" />
          <col class="w-rules" />
          <col class="w-open" />
          <col class="w-sla" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t.colCase}</th>
            <th scope="col">
              <abbr title={t.patientHint}>{t.colPatient}</abbr>
            </th>
            <th scope="col">{t.colMessage}</th>
            <th scope="col">{t.colUrgency}</th>
            <th scope="col">{t.colStatus}</th>
            <th scope="col">{t.colChannel}</th>
            <th scope="col">{t.colRules}</th>
            <th scope="col">{t.colOpened}</th>
            <th scope="col">{t.colSla}</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map(({ c, dueMs, x }) => {
            const active = c.status === "open" || c.status === "acknowledged";
            return (
              <tr>
                <td>
                  <a href={`/console/cases/${encodeURIComponent(c.id)}`}>
                    {label(t.kind, c.kind)} {c.id.slice(0, 8)}
                  </a>
                </td>
                <td class="patient">
                  {x?.patient ? (
                    <>
                      <span class="pat">{x.patient.label}</span>
                      {x.patient.summary ? <div class="muted">{x.patient.summary}</div> : null}
                    </>
                  ) : (
                    <span class="muted">{t.noPatient}</span>
                  )}
                </td>
                <td class="preview">{x?.preview ?? "—"}</td>
                <td>
                  <span class={`badge u-${c.priority}`}>{label(t.urgency, c.priority)}</span>
                </td>
                <td>{label(t.status, c.status)}</td>
                <td>{c.channel}</td>
                <td>{rulesOf(c).join(", ") || "—"}</td>
                <td>
                  <time datetime={c.createdAt.toISOString()}>{c.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</time>
                </td>
                <td>
                  {active && c.status === "open" ? (
                    <span data-due={new Date(dueMs).toISOString()} class={dueMs < p.nowMs ? "overdue" : ""}>
                      {countdown(dueMs, p.nowMs, t)}
                    </span>
                  ) : (
                    <span class="muted">
                      {c.status === "acknowledged" ? t.acknowledgedBy(c.acknowledgedBy ?? "?") : t.decided}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.rows.length === 0 ? <p class="muted">{t.emptyQueue}</p> : null}
    </>
  );
}
