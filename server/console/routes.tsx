/**
 * The reviewer console at /console: server-rendered pages (Hono JSX), plain forms, no build
 * step. Every page and form route is declared through the auth guard (reviewer or admin);
 * forms carry the session's CSRF token. Decisions call the same operation as Slack. UI strings
 * follow the reviewer's language (server/console/i18n.ts: ?lang=, the gp_lang cookie, Accept-Language).
 */
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import { AppError, toAppError } from "../../core/errors.js";
import type { AuthEnv } from "../auth/guard.js";
import { newCsrfToken, sameToken } from "../auth/session.js";
import { ReviewActionInput } from "../review/actions.js";
import { agreement, perModelAverages } from "../review/agreement.js";
import { pathId, QueueQuery, STAFF } from "../review/api.js";
import type { ReviewCore } from "../review/core.js";
import { caseDetail } from "../review/detail.js";
import { RubricInput } from "../review/rubric.js";
import { slaDeadline } from "../review/sla.js";
import { rulesOf } from "../review/store.js";
import { correctTriage, TriageCorrectionInput } from "../review/triage-correction.js";
import type { AppEnv } from "../services.js";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets.js";
import { CasePage } from "./case.js";
import { caseExtras, queueExtras } from "./extras.js";
import { langHref, STRINGS, type Strings, type UiLang, uiLang } from "./i18n.js";
import { Layout } from "./layout.js";
import { LoginPage } from "./login.js";
import { QueuePage } from "./queue.js";
import { RubricPage } from "./rubric.js";

const LOGIN_CSRF = "gp_login_csrf";
const CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/** Only local paths under /console, so `next` cannot send a signed-in user elsewhere. */
const safeNext = (v: unknown) =>
  typeof v === "string" && /^\/console(\/[\w\-./%]*)?$/.test(v) && !v.includes("//") ? v : "/console";
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

export function consoleRoutes(core: ReviewCore): Hono<AppEnv> {
  const app = new Hono<AuthEnv>();
  const { auth } = core;
  /** The reviewer's language, its strings and the language switch's links for this page. */
  const ui = (c: Context): { lang: UiLang; t: Strings; langLinks: Record<UiLang, string> } => {
    const lang = uiLang(c, auth.secureFor(c));
    return { lang, t: STRINGS[lang], langLinks: { en: langHref(c.req.url, "en"), zh: langHref(c.req.url, "zh") } };
  };
  // hono/secure-headers: CSP, HSTS, frame denial, nosniff, no referrer, cross-origin isolation.
  const headers = secureHeaders({
    contentSecurityPolicy: CSP,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
  });
  for (const path of ["/console", "/console/*"]) {
    app.use(path, headers);
    app.use(path, async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    });
  }

  app.get("/console/static/console.css", (c) => c.body(CONSOLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8" }));
  app.get("/console/static/console.js", (c) => c.body(CONSOLE_JS, 200, { "Content-Type": "text/javascript; charset=utf-8" }));

  app.get("/console/login", (c) => {
    const token = newCsrfToken();
    setCookie(c, LOGIN_CSRF, token, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/console/login",
      secure: auth.secureFor(c),
      maxAge: 1800,
    });
    const u = ui(c);
    return c.html(
      <Layout title={u.t.signInTitle} {...u}>
        <LoginPage t={u.t} next={safeNext(c.req.query("next"))} token={token} />
      </Layout>,
    );
  });
  app.post("/console/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const u = ui(c);
    if (!sameToken(str(form._csrf), getCookie(c, LOGIN_CSRF) ?? "\u0000")) throw new AppError("FORBIDDEN", u.t.formExpired);
    const who = await auth.login(c, str(form.username) ?? "", str(form.password) ?? "");
    if (!who.ok) {
      const token = newCsrfToken();
      setCookie(c, LOGIN_CSRF, token, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/console/login",
        secure: auth.secureFor(c),
        maxAge: 1800,
      });
      // Locked out: 429 with Retry-After and the same page; the lockout doubles with each further failure.
      if (who.retryAfterS !== null) {
        c.status(429);
        c.header("Retry-After", String(who.retryAfterS));
      } else c.status(401);
      return c.html(
        <Layout title={u.t.signInTitle} {...u}>
          <LoginPage
            t={u.t}
            next={next}
            token={token}
            error={who.retryAfterS !== null ? u.t.lockedOut(who.retryAfterS) : u.t.wrongPassword}
          />
        </Layout>,
      );
    }
    await c.var.services.audit.append({
      kind: "console-login",
      caseId: `user:${who.principal.name}`,
      payload: { user: who.principal.name, role: who.principal.role },
    });
    return c.redirect(next, 303);
  });
  auth.route(app, "POST", "/console/logout", { roles: STAFF, kind: "page" }, async (c) => {
    await auth.logout(c);
    await c.var.services.audit.append({
      kind: "console-logout",
      caseId: `user:${c.var.principal.name}`,
      payload: { user: c.var.principal.name },
    });
    return c.redirect("/console/login", 303);
  });

  auth.route(app, "GET", "/console", { roles: STAFF, kind: "page" }, async (c) => {
    const s = c.var.services;
    const q = QueueQuery.parse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== "")));
    const now = s.clock();
    const sql = core.sql(s);
    const rows = await sql.list(q, now);
    const all = q.rule ? await sql.list({ ...q, rule: undefined }, now) : rows;
    const rules = [...new Set(all.flatMap((r) => rulesOf(r)))].sort();
    const extras = await queueExtras(core, s, rows);
    const u = ui(c);
    return c.html(
      <Layout title={u.t.queueTitle} {...u} principal={c.var.principal} csrf={c.var.csrf}>
        <QueuePage
          t={u.t}
          rows={rows.map((r) => ({ c: r, dueMs: slaDeadline(r.priority, r.createdAt, core.sla).getTime(), x: extras.get(r.id) }))}
          q={q}
          rules={rules}
          nowMs={now.getTime()}
        />
      </Layout>,
    );
  });

  auth.route(app, "GET", "/console/cases/:id", { roles: STAFF, kind: "page" }, async (c) => {
    const s = c.var.services;
    const d = await caseDetail(core, s, pathId(c.req.param("id")));
    const rc = d ? await core.sql(s).get(d.id) : null;
    if (!d || !rc) throw new AppError("NOT_FOUND", "no such review case");
    const x = await caseExtras(core, s, rc, d);
    const u = ui(c);
    const done = str(c.req.query("done"));
    const notice = done === "triage" ? u.t.doneTriage : done === "score" ? u.t.doneScore : done;
    const err = str(c.req.query("error"));
    const error = err === "triage" ? u.t.errTriage : err === "score" ? u.t.errScore : err;
    return c.html(
      <Layout title={u.t.caseTitle(d.id.slice(0, 8))} {...u} principal={c.var.principal} csrf={c.var.csrf}>
        <CasePage
          t={u.t}
          x={x}
          d={d}
          csrf={c.var.csrf}
          nowMs={s.clock().getTime()}
          reviewer={c.var.principal.name}
          {...(notice ? { notice: u.t.done(notice.slice(0, 200)) } : {})}
          {...(error ? { error: error.slice(0, 300) } : {})}
        />
      </Layout>,
    );
  });

  auth.route(app, "POST", "/console/cases/:id/action", { roles: STAFF, kind: "page" }, async (c) => {
    const id = pathId(c.req.param("id"));
    const back = `/console/cases/${encodeURIComponent(id)}`;
    const form = await c.req.parseBody();
    const input = ReviewActionInput.safeParse({
      caseId: id,
      reviewer: c.var.principal.name,
      action: form.action,
      text: str(form.text),
      reason: str(form.reason),
    });
    if (!input.success)
      return c.redirect(
        `${back}?error=${encodeURIComponent(input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`,
        303,
      );
    try {
      const out = await core.act(c.var.services, input.data);
      return c.redirect(`${back}?done=${encodeURIComponent(`${out.status}; ${out.detail}`)}`, 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500 && err.code === "INTERNAL") throw e;
      return c.redirect(`${back}?error=${encodeURIComponent(err.message)}`, 303);
    }
  });

  auth.route(app, "POST", "/console/cases/:id/triage", { roles: STAFF, kind: "page" }, async (c) => {
    const id = pathId(c.req.param("id"));
    const back = `/console/cases/${encodeURIComponent(id)}`;
    const parsed = TriageCorrectionInput.safeParse(await c.req.parseBody());
    if (!parsed.success) return c.redirect(`${back}?error=triage`, 303);
    await correctTriage(c.var.services, core.sql(c.var.services), { caseId: id, reviewer: c.var.principal.name, ...parsed.data });
    return c.redirect(`${back}?done=triage`, 303);
  });

  auth.route(app, "POST", "/console/cases/:id/score", { roles: STAFF, kind: "page" }, async (c) => {
    const s = c.var.services;
    const id = pathId(c.req.param("id"));
    const back = `/console/cases/${encodeURIComponent(id)}`;
    const parsed = RubricInput.safeParse(await c.req.parseBody());
    if (!parsed.success) return c.redirect(`${back}?error=score`, 303);
    const rc = await core.sql(s).get(id);
    if (!rc) throw new AppError("NOT_FOUND", "no such review case");
    await core.rubric(s).put(rc.id, c.var.principal.name, rc.result?.draft?.model ?? "none", parsed.data);
    await s.audit.append({
      kind: "review-score",
      caseId: rc.messageId,
      payload: { caseId: rc.id, reviewer: c.var.principal.name, ...parsed.data },
    });
    return c.redirect(`${back}?done=score`, 303);
  });

  auth.route(app, "GET", "/console/rubric", { roles: STAFF, kind: "page" }, async (c) => {
    const scores = await core.rubric(c.var.services).all();
    const u = ui(c);
    return c.html(
      <Layout title={u.t.rubricTitle} {...u} principal={c.var.principal} csrf={c.var.csrf}>
        <RubricPage t={u.t} models={perModelAverages(scores)} agreement={agreement(scores)} />
      </Layout>,
    );
  });

  return app as unknown as Hono<AppEnv>;
}
