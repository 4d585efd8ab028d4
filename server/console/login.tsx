/** The sign-in form. Login CSRF is a double-submit token: a SameSite=Strict cookie echoed in a hidden field. */
import type { Strings } from "./i18n.js";

export function LoginPage(p: { t: Strings; next: string; token: string; error?: string }) {
  const { t } = p;
  return (
    <>
      <h1>{t.signInTitle}</h1>
      {p.error ? (
        <p class="error" role="alert">
          {p.error}
        </p>
      ) : null}
      <form method="post" action="/console/login">
        <input type="hidden" name="_csrf" value={p.token} />
        <input type="hidden" name="next" value={p.next} />
        <p>
          <label for="username">{t.username}</label>
          <input id="username" name="username" autocomplete="username" required autofocus />
        </p>
        <p>
          <label for="password">{t.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </p>
        <button type="submit">{t.signIn}</button>
      </form>
    </>
  );
}
