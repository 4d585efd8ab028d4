/**
 * The case view, PHI removed. At the top, side by side: what the pipeline decided and why
 * (decision, reasons, triage with responder and the model's second opinion, every rule fired,
 * the message) and the reviewer's decision forms, with A / E / R shortcuts. Below: the draft
 * beside the findings and rule evidence, the patient context beside the conversation, then
 * passages, the triage correction, the rubric and the audit trail.
 */
import { RejectReason } from "../review/actions.js";
import { RUBRIC_AXES } from "../review/agreement.js";
import type { CaseDetail } from "../review/detail.js";
import { countdown } from "./assets.js";
import { type CaseExtras, INJECTION_RULE } from "./extras.js";
import { label, type Strings } from "./i18n.js";

const Hidden = (p: { csrf: string | null }) => <input type="hidden" name="_csrf" value={p.csrf ?? ""} />;
const Key = (p: { k: string }) => (
  <span class="kbd" aria-hidden="true">
    {p.k}
  </span>
);

interface RuleLine {
  code: string;
  tag: string;
  detail: string;
  source: string | null;
}

/** Every rule that fired, with its evidence and source: flags, complexity, findings, injection. */
function ruleLines(d: CaseDetail, x: CaseExtras, t: Strings): RuleLine[] {
  const lines: RuleLine[] = [
    ...d.flags.map((f) => ({ code: f.code, tag: t.hTriage, detail: `“${f.evidence}”`, source: f.source })),
    ...d.complexity.map((c) => ({ code: c.code, tag: t.complexityTag, detail: c.reason, source: null })),
    ...d.findings.map((f) => ({
      code: f.code,
      tag: `${t.findingTag} · ${label(t.severity, f.severity)}`,
      detail: `${t.findingOn(f.item)}: ${f.message}`,
      source: null,
    })),
  ];
  if (x.injection)
    lines.unshift({ code: INJECTION_RULE, tag: t.precheckTag, detail: t.injectionEvidence, source: "guardrails/injection.ts" });
  return lines;
}

export function CasePage(p: {
  d: CaseDetail;
  x: CaseExtras;
  t: Strings;
  csrf: string | null;
  nowMs: number;
  reviewer: string;
  notice?: string;
  error?: string;
}) {
  const { d, x, t } = p;
  const active = d.status === "open" || d.status === "acknowledged";
  const mine = d.scores.find((s) => s.reviewer === p.reviewer);
  const due = Date.parse(d.dueAt);
  const rules = ruleLines(d, x, t);
  const chips = [...new Set([...(x.injection ? [INJECTION_RULE] : []), ...d.rules])];
  const canApprove = !(d.held && !d.proposedReply);
  const second = x.secondOpinion;
  return (
    <>
      <h1>
        {t.caseTitle(d.id.slice(0, 8))} <span class={`badge u-${d.urgency}`}>{label(t.urgency, d.urgency)}</span>
      </h1>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.error ? (
        <p class="error" role="alert">
          {p.error}
        </p>
      ) : null}
      <p class="meta">
        <span>
          <b>{t.fStatus}:</b> {label(t.status, d.status)}
          {d.reviewer ? ` ${t.by(d.reviewer)}` : d.acknowledgedBy ? ` ${t.by(d.acknowledgedBy)}` : ""}
          {d.reasonCode ? ` (${t.reasonCode(label(t.rejectReason, d.reasonCode))})` : ""}
        </span>
        <span>
          <b>{t.colSla}:</b> {d.status === "open" ? <span data-due={d.dueAt}>{countdown(due, p.nowMs, t)}</span> : t.slaMet}
        </span>
        <span>
          <b>{t.fChannel}:</b> {d.channel} · {t.fromA(label(t.kind, d.kind), label(t.sender, d.senderRole))} ·{" "}
          {d.held ? t.held : t.alreadySent}
        </span>
      </p>

      <div class="top-grid">
        <section class={`card decision u-${d.urgency}`} aria-labelledby="h-decision">
          <h2 id="h-decision">
            {t.hDecision}: <strong>{label(t.action, d.decision.action)}</strong>
          </h2>
          {d.decision.reasons.length ? (
            <ul class="reasons">
              {d.decision.reasons.map((r) => (
                <li>{r}</li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t.noReasons}</p>
          )}
          <dl class="kv" aria-label={t.hTriage}>
            <dt>{t.tUrgency}</dt>
            <dd>
              <span class={`badge u-${d.urgency}`}>{label(t.urgency, d.urgency)}</span>
            </dd>
            <dt>{t.tResponder}</dt>
            <dd>{x.responder ? label(t.responder, x.responder) : "—"}</dd>
            <dt>{t.tSecondOpinion}</dt>
            <dd>
              {second ? (
                <>
                  <strong class="overdue">
                    {second.direction === "higher"
                      ? t.secondHigher(label(t.urgency, second.urgency ?? "urgent"))
                      : t.secondLower(second.evidence.slice(0, 80))}
                  </strong>
                  {second.direction === "higher" ? <div class="muted">{second.evidence}</div> : null}
                </>
              ) : (
                <span class="muted">{t.secondNone}</span>
              )}
            </dd>
            {x.correction ? (
              <>
                <dt>{t.hTriageFix}</dt>
                <dd>
                  {t.corrected(
                    x.correction.reviewer,
                    label(t.urgency, x.correction.urgency),
                    label(t.responder, x.correction.responder),
                  )}
                </dd>
              </>
            ) : null}
            <dt>{t.hRules}</dt>
            <dd>
              {chips.length ? (
                <ul class="chips" aria-label={t.hRules}>
                  {chips.map((c) => (
                    <li class={c === INJECTION_RULE || c.startsWith("model-second") ? "danger" : undefined}>{c}</li>
                  ))}
                </ul>
              ) : (
                <span class="muted">{t.noRules}</span>
              )}
            </dd>
          </dl>
          <h3 id="h-msg">{t.hMessage}</h3>
          <p class="msg clamp">{d.message}</p>
        </section>

        <section class="card act actions" aria-labelledby="h-act">
          <h2 id="h-act">{t.hAct}</h2>
          {active ? (
            <>
              <p class="hint" id="shortcut-hint">
                {t.shortcutsHint}
              </p>
              <div class="row">
                <form method="post" action={`/console/cases/${d.id}/action`}>
                  <Hidden csrf={p.csrf} />
                  <input type="hidden" name="action" value="approve" />
                  <button
                    type="submit"
                    disabled={!canApprove}
                    data-shortcut="a"
                    aria-keyshortcuts="a"
                    aria-describedby="shortcut-hint"
                  >
                    {t.approve}
                    <Key k="A" />
                  </button>
                </form>
                {d.status === "open" ? (
                  <form method="post" action={`/console/cases/${d.id}/action`}>
                    <Hidden csrf={p.csrf} />
                    <input type="hidden" name="action" value="acknowledge" />
                    <button type="submit" class="secondary">
                      {t.acknowledge}
                    </button>
                  </form>
                ) : null}
              </div>
              {canApprove ? null : <p class="hint">{t.approveNoDraft}</p>}
              <form method="post" action={`/console/cases/${d.id}/action`}>
                <Hidden csrf={p.csrf} />
                <input type="hidden" name="action" value="edit" />
                <label for="edit-text">
                  {t.editLabel}
                  <Key k="E" />
                </label>
                <textarea id="edit-text" name="text" required data-shortcut="e" aria-keyshortcuts="e">
                  {d.proposedReply ?? ""}
                </textarea>
                <button type="submit">{t.sendEdited}</button>
              </form>
              <form method="post" action={`/console/cases/${d.id}/action`}>
                <Hidden csrf={p.csrf} />
                <input type="hidden" name="action" value="reject" />
                <fieldset>
                  <legend>{t.rejectLegend}</legend>
                  <label for="reason">
                    {t.reasonLabel}
                    <Key k="R" />
                  </label>
                  <div class="row">
                    <select id="reason" name="reason" required data-shortcut="r" aria-keyshortcuts="r">
                      <option value="">{t.chooseReason}</option>
                      {RejectReason.options.map((r) => (
                        <option value={r}>{label(t.rejectReason, r)}</option>
                      ))}
                    </select>
                    <button type="submit" class="danger">
                      {t.reject}
                    </button>
                  </div>
                  <details>
                    <summary>{t.altLabel}</summary>
                    <label for="alt-text">{t.altLabel}</label>
                    <textarea id="alt-text" name="text"></textarea>
                  </details>
                </fieldset>
              </form>
            </>
          ) : (
            <p>{t.decidedNote}</p>
          )}
        </section>
      </div>

      <div class="grid">
        <section aria-labelledby="h-draft">
          <h2 id="h-draft">{t.hDraft}</h2>
          {d.draft ? (
            <>
              <p class="muted">
                {t.draftMeta(d.draft.mode, `${d.draft.provider}/${d.draft.model}`, d.draft.confidence.toFixed(2))}
              </p>
              <table class="fixed draft">
                <caption class="muted">{t.draftCaption}</caption>
                <colgroup>
                  <col class="w-item" />
                  <col />
                  <col class="w-cite" />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">{t.colItem}</th>
                    <th scope="col">{t.colContent}</th>
                    <th scope="col">{t.colCitations}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.draft.items.map((i) => (
                    <tr>
                      <td>{label(t.section, i.section)}</td>
                      <td>{i.text}</td>
                      <td>{i.citations.join(", ") || <span class="overdue">{t.none}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.draft.reply ? (
                <p class="msg">
                  {t.patientReply}
                  {d.held ? <strong>{t.notDelivered}</strong> : null}: {d.draft.reply}
                </p>
              ) : null}
            </>
          ) : (
            <p class="muted">{t.noDraft}</p>
          )}
        </section>

        <section aria-labelledby="h-rules">
          <h2 id="h-rules">
            {t.hFindings} · {t.hRules}
          </h2>
          {rules.length ? (
            <ul class="rules">
              {rules.map((r) => (
                <li>
                  <strong>{r.code}</strong> <span class="tag">{r.tag}</span> — {r.detail}
                  {r.source ? <span class="muted"> ({r.source})</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t.noneFull}</p>
          )}
          <h2 id="h-passages">{t.hPassages}</h2>
          {d.passages.length ? (
            <ol>
              {d.passages.map((x) => (
                <li>
                  <a href={x.citation.url}>{x.citation.title}</a>{" "}
                  <span class="muted">{t.passageMeta(x.citation.chunkId, x.citation.version, x.score.toFixed(3))}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p class="muted">{t.noneFull}</p>
          )}
        </section>
      </div>

      <div class="grid">
        <section aria-labelledby="h-pat">
          <h2 id="h-pat">{t.hPatient}</h2>
          {d.patient.length ? (
            <dl class="kv" aria-labelledby="h-pat">
              {d.patient.map(([k, v]) => (
                <>
                  <dt>{label(t.patientContextLabel, k)}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
          ) : (
            <p class="muted">{t.noPatientContext}</p>
          )}
        </section>
        <section aria-labelledby="h-conv">
          <h2 id="h-conv">{t.hConversation}</h2>
          <ol class="conv">
            {d.conversation.map((c) => (
              <li aria-current={c.current ? "true" : undefined}>
                <strong>{label(t.sender, c.from)}</strong> <span class="muted">{c.at}</span>
                {c.current ? t.thisCase : ""}
                <p class="msg">{c.text}</p>
                {c.reply !== null ? (
                  <p class="msg">
                    {t.replyDelivered} {c.reply}
                  </p>
                ) : null}
                {c.undelivered !== null ? (
                  <p class="msg muted">
                    <strong>{t.notDeliveredDraft}</strong> {t.draftWord} {c.undelivered}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
          {x.history.length ? (
            <>
              <h3 id="h-history">{t.hHistory}</h3>
              <p class="hint">{t.historyNote}</p>
              <ol class="conv history" aria-labelledby="h-history">
                {x.history.map((h) => (
                  <li>
                    {h.from ? <strong>{label(t.sender, h.from)}</strong> : null} {h.at ? <span class="muted">{h.at}</span> : null}
                    <p class="msg">{h.text}</p>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </section>
      </div>

      <div class="grid">
        <section aria-labelledby="h-triage-fix">
          <h2 id="h-triage-fix">{t.hTriageFix}</h2>
          <p class="hint">{t.triageFixNote}</p>
          <form method="post" action={`/console/cases/${d.id}/triage`} class="row-form">
            <Hidden csrf={p.csrf} />
            <label for="fix-urgency">{t.tUrgency}</label>
            <select id="fix-urgency" name="urgency" required>
              {["emergency", "urgent", "routine"].map((u) => (
                <option value={u} selected={u === d.urgency}>
                  {label(t.urgency, u)}
                </option>
              ))}
            </select>
            <label for="fix-responder">{t.tResponder}</label>
            <select id="fix-responder" name="responder" required>
              {["physician", "nurse", "assistant", "bot"].map((r) => (
                <option value={r} selected={r === (x.correction?.responder ?? x.responder)}>
                  {label(t.responder, r)}
                </option>
              ))}
            </select>
            <p>
              <button type="submit" class="secondary">
                {t.saveTriage}
              </button>
            </p>
          </form>
        </section>

        <section aria-labelledby="h-rubric">
          <h2 id="h-rubric">{t.hRubric}</h2>
          <form method="post" action={`/console/cases/${d.id}/score`}>
            <Hidden csrf={p.csrf} />
            <div class="rubric">
              {RUBRIC_AXES.map((a) => (
                <div>
                  <label for={`score-${a}`}>{label(t.axes, a)} (1–5)</label>
                  <select id={`score-${a}`} name={a} required>
                    <option value="">—</option>
                    {[1, 2, 3, 4, 5].map((n) => (
                      <option value={String(n)} selected={mine?.axes[a] === n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            <p>
              <button type="submit">{t.saveScore}</button>
            </p>
          </form>
          <p class="muted">{t.scoresCount(d.scores.length)}</p>
        </section>
      </div>

      <details class="audit">
        <summary id="h-audit">{t.hAudit}</summary>
        <ul aria-labelledby="h-audit">
          {d.pages.map((pg) => (
            <li>{t.pageLine(pg.level, pg.target, pg.at.toISOString())}</li>
          ))}
          {d.audit.map((e) => (
            <li>
              #{e.seq} {e.kind} <span class="muted">{e.at}</span>
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}
