/** The console's page frame: landmarks, a skip link, the navigation, the signed-in user. */
import type { Child } from "hono/jsx";
import type { Principal } from "../auth/credentials.js";

export interface LayoutProps {
  title: string;
  principal?: Principal | null;
  csrf?: string | null;
  children?: Child;
}

export function Layout(p: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} — GlycoPilot review`}</title>
        <link rel="stylesheet" href="/console/static/console.css" />
        <script src="/console/static/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to main content
        </a>
        <header class="top">
          <strong>GlycoPilot review</strong>
          {p.principal ? (
            <nav aria-label="Console">
              <ul>
                <li>
                  <a href="/console">Queue</a>
                </li>
                <li>
                  <a href="/console/rubric">Rubric</a>
                </li>
              </ul>
            </nav>
          ) : null}
          {p.principal ? (
            <div class="who">
              <span>
                {p.principal.name} ({p.principal.role})
              </span>
              <form method="post" action="/console/logout">
                <input type="hidden" name="_csrf" value={p.csrf ?? ""} />
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {p.children}
        </main>
      </body>
    </html>
  );
}
