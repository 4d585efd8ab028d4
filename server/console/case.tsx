/** The case view: everything a reviewer needs to decide, PHI removed, and the decision forms. */
import { RejectReason } from "../review/actions.js";
import { AXIS_LABELS, RUBRIC_AXES } from "../review/agreement.js";
import type { CaseDetail } from "../review/detail.js";
import { countdown } from "./assets.js";

const Hidden = (p: { csrf: string | null }) => <input type="hidden" name="_csrf" value={p.csrf ?? ""} />;

export function CasePage(p: {
  d: CaseDetail;
  csrf: string | null;
  nowMs: number;
  reviewer: string;
  notice?: string;
  error?: string;
}) {
  const { d } = p;
  const active = d.status === "open" || d.status === "acknowledged";
  const mine = d.scores.find((s) => s.reviewer === p.reviewer);
  const due = Date.parse(d.dueAt);
  return (
    <>
      <h1>
        Case {d.id.slice(0, 8)} <span class={`badge u-${d.urgency}`}>{d.urgency}</span>
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
      <dl class="kv">
        <dt>Status</dt>
        <dd>
          {d.status}
          {d.reviewer ? ` by ${d.reviewer}` : d.acknowledgedBy ? ` by ${d.acknowledgedBy}` : ""}
          {d.reasonCode ? ` (reason: ${d.reasonCode})` : ""}
        </dd>
        <dt>Service level</dt>
        <dd>
          {d.status === "open" ? <span data-due={d.dueAt}>{countdown(due, p.nowMs)}</span> : "met (acknowledged or decided)"}
        </dd>
        <dt>Channel</dt>
        <dd>
          {d.channel} · {d.kind} from a {d.senderRole} · {d.held ? "reply held" : "a reply was already sent"}
        </dd>
        <dt>Decision</dt>
        <dd>
          {d.decision.action}
          {d.decision.reasons.length ? ` — ${d.decision.reasons.join("; ")}` : ""}
        </dd>
      </dl>

      <div class="grid">
        <section aria-labelledby="h-msg">
          <h2 id="h-msg">Message (redacted)</h2>
          <p class="msg">{d.message}</p>
          <h2 id="h-pat">Patient context (redacted)</h2>
          {d.patient.length ? (
            <dl class="kv" aria-labelledby="h-pat">
              {d.patient.map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
          ) : (
            <p class="muted">No patient context.</p>
          )}
          <h2>Triage flags</h2>
          {d.flags.length || d.complexity.length ? (
            <ul>
              {d.flags.map((f) => (
                <li>
                  <strong>{f.code}</strong>: “{f.evidence}” <span class="muted">({f.source})</span>
                </li>
              ))}
              {d.complexity.map((x) => (
                <li>
                  <strong>{x.code}</strong> (complexity): {x.reason}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">None.</p>
          )}
          <h2>Conversation so far</h2>
          <ol>
            {d.conversation.map((t) => (
              <li aria-current={t.current ? "true" : undefined}>
                <strong>{t.from}</strong> <span class="muted">{t.at}</span>
                {t.current ? " (this case)" : ""}
                <p class="msg">{t.text}</p>
                {t.reply !== null ? <p class="msg">Reply (delivered): {t.reply}</p> : null}
                {t.undelivered !== null ? (
                  <p class="msg muted">
                    <strong>Not delivered</strong> (draft): {t.undelivered}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </section>

        <section aria-labelledby="h-draft">
          <h2 id="h-draft">Draft</h2>
          {d.draft ? (
            <>
              <p class="muted">
                {d.draft.mode} · {d.draft.provider}/{d.draft.model} · confidence {d.draft.confidence.toFixed(2)}
              </p>
              <table>
                <caption class="muted">Draft items and their citations</caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Content</th>
                    <th scope="col">Citations</th>
                  </tr>
                </thead>
                <tbody>
                  {d.draft.items.map((i) => (
                    <tr>
                      <td>{i.section}</td>
                      <td>{i.text}</td>
                      <td>{i.citations.join(", ") || <span class="overdue">none</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.draft.reply ? (
                <p class="msg">
                  Patient reply{d.held ? <strong> (draft — not delivered)</strong> : null}: {d.draft.reply}
                </p>
              ) : null}
            </>
          ) : (
            <p class="muted">No draft (emergency path or pipeline error).</p>
          )}
          <h2>Findings</h2>
          {d.findings.length ? (
            <ul>
              {d.findings.map((f) => (
                <li>
                  <strong>{f.severity}</strong> {f.code} on “{f.item}”: {f.message}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">None.</p>
          )}
          <h2>Retrieved passages</h2>
          {d.passages.length ? (
            <ol>
              {d.passages.map((x) => (
                <li>
                  <a href={x.citation.url}>{x.citation.title}</a>{" "}
                  <span class="muted">
                    ({x.citation.chunkId}, v{x.citation.version}, score {x.score.toFixed(3)})
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p class="muted">None.</p>
          )}
        </section>
      </div>

      <section class="actions" aria-labelledby="h-act">
        <h2 id="h-act">Decision</h2>
        {active ? (
          <>
            {d.status === "open" ? (
              <form method="post" action={`/console/cases/${d.id}/action`}>
                <Hidden csrf={p.csrf} />
                <input type="hidden" name="action" value="acknowledge" />
                <button type="submit" class="secondary">
                  Acknowledge
                </button>
              </form>
            ) : null}
            <form method="post" action={`/console/cases/${d.id}/action`}>
              <Hidden csrf={p.csrf} />
              <input type="hidden" name="action" value="approve" />
              <button type="submit" disabled={d.held && !d.proposedReply}>
                Approve and send as drafted
              </button>
            </form>
            <form method="post" action={`/console/cases/${d.id}/action`}>
              <Hidden csrf={p.csrf} />
              <input type="hidden" name="action" value="edit" />
              <label for="edit-text">Edited reply (this exact text is delivered)</label>
              <textarea id="edit-text" name="text" required>
                {d.proposedReply ?? ""}
              </textarea>
              <button type="submit">Send edited reply</button>
            </form>
            <form method="post" action={`/console/cases/${d.id}/action`}>
              <Hidden csrf={p.csrf} />
              <input type="hidden" name="action" value="reject" />
              <fieldset>
                <legend>Reject and withhold</legend>
                <label for="reason">Reason</label>
                <select id="reason" name="reason" required>
                  <option value="">Choose a reason…</option>
                  {RejectReason.options.map((r) => (
                    <option value={r}>{r}</option>
                  ))}
                </select>
                <label for="alt-text">What should have been said (optional; used for training)</label>
                <textarea id="alt-text" name="text"></textarea>
                <button type="submit" class="danger">
                  Reject
                </button>
              </fieldset>
            </form>
          </>
        ) : (
          <p>This case is decided.</p>
        )}
      </section>

      <section aria-labelledby="h-triage-fix">
        <h2 id="h-triage-fix">Correct the triage</h2>
        <p class="muted">The queue follows your correction; corrections train the triage model (glycopilot export triage-dpo).</p>
        <form method="post" action={`/console/cases/${d.id}/triage`}>
          <Hidden csrf={p.csrf} />
          <label for="fix-urgency">Urgency</label>
          <select id="fix-urgency" name="urgency" required>
            {["emergency", "urgent", "routine"].map((u) => (
              <option value={u} selected={u === d.urgency}>
                {u}
              </option>
            ))}
          </select>
          <label for="fix-responder">Responder</label>
          <select id="fix-responder" name="responder" required>
            {["physician", "nurse", "assistant", "bot"].map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Save triage correction
          </button>
        </form>
      </section>

      <section aria-labelledby="h-rubric">
        <h2 id="h-rubric">Rubric score</h2>
        <form method="post" action={`/console/cases/${d.id}/score`}>
          <Hidden csrf={p.csrf} />
          <div class="rubric">
            {RUBRIC_AXES.map((a) => (
              <div>
                <label for={`score-${a}`}>{AXIS_LABELS[a]} (1–5)</label>
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
            <button type="submit">Save score</button>
          </p>
        </form>
        <p class="muted">{d.scores.length} reviewer score(s) on this case.</p>
      </section>

      <section aria-labelledby="h-audit">
        <h2 id="h-audit">Audit trail and pages</h2>
        <ul>
          {d.pages.map((pg) => (
            <li>
              page level {pg.level} → {pg.target} at {pg.at.toISOString()}
            </li>
          ))}
          {d.audit.map((e) => (
            <li>
              #{e.seq} {e.kind} <span class="muted">{e.at}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
