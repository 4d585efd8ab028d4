/** The sign-in form. Login CSRF is a double-submit token: a SameSite=Strict cookie echoed in a hidden field. */
export function LoginPage(p: { next: string; token: string; error?: string }) {
  return (
    <>
      <h1>Sign in</h1>
      {p.error ? (
        <p class="error" role="alert">
          {p.error}
        </p>
      ) : null}
      <form method="post" action="/console/login">
        <input type="hidden" name="_csrf" value={p.token} />
        <input type="hidden" name="next" value={p.next} />
        <p>
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" required autofocus />
        </p>
        <p>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </p>
        <button type="submit">Sign in</button>
      </form>
    </>
  );
}
