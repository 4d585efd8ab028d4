/** The console's page frame: landmarks, a skip link, the navigation, the language switch, the signed-in user. */
import type { Child } from "hono/jsx";
import type { Principal } from "../auth/credentials.js";
import { label, type Strings, type UiLang } from "./i18n.js";

export interface LayoutProps {
  title: string;
  t: Strings;
  lang: UiLang;
  /** Where the language switch links to (this page with ?lang=…). */
  langLinks?: Record<UiLang, string>;
  principal?: Principal | null;
  csrf?: string | null;
  children?: Child;
}

export function Layout(p: LayoutProps) {
  const { t } = p;
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} — ${t.appName}`}</title>
        <link rel="stylesheet" href="/console/static/console.css" />
        <script src="/console/static/console.js" defer></script>
      </head>
      <body data-due-in={t.dueIn("{t}")} data-overdue={t.overdueBy("{t}")} data-units={t.units.join(",")}>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="top">
          <strong>{t.appName}</strong>
          {p.principal ? (
            <nav aria-label={t.navLabel}>
              <ul>
                <li>
                  <a href="/console">{t.navQueue}</a>
                </li>
                <li>
                  <a href="/console/rubric">{t.navRubric}</a>
                </li>
              </ul>
            </nav>
          ) : null}
          <div class="who">
            {p.langLinks ? (
              <ul class="langs" aria-label={t.language}>
                <li>
                  <a href={p.langLinks.en} hreflang="en" lang="en" aria-current={p.lang === "en" ? "true" : undefined}>
                    English
                  </a>
                </li>
                <li>
                  <a href={p.langLinks.zh} hreflang="zh" lang="zh-CN" aria-current={p.lang === "zh" ? "true" : undefined}>
                    中文
                  </a>
                </li>
              </ul>
            ) : null}
            {p.principal ? (
              <>
                <span>
                  {p.principal.name} ({label(t.roles, p.principal.role)})
                </span>
                <form method="post" action="/console/logout">
                  <input type="hidden" name="_csrf" value={p.csrf ?? ""} />
                  <button type="submit" class="secondary">
                    {t.signOut}
                  </button>
                </form>
              </>
            ) : null}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {p.children}
        </main>
      </body>
    </html>
  );
}
