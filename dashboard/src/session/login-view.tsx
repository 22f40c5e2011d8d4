import { useState } from "preact/hooks";
import { login } from "./session.ts";

export function LoginView() {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(await login(token));
    setBusy(false);
  };
  return (
    <main class="login">
      <form class="login-card" onSubmit={submit}>
        <div class="brand brand-lg">
          <Logo /> HoneyMesh
        </div>
        <p class="muted">Operator console. Sign in with an API token (<code>honeymesh token create</code>).</p>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken(e.currentTarget.value)} placeholder="eyJhbGciOiJFZERTQSIs…" required />
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p class="fine">The token stays in this tab's session storage and is sent only in the Authorization header.</p>
      </form>
    </main>
  );
}

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d="M12 2 21 7v10l-9 5-9-5V7z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
      <path d="M12 7v10M7.5 9.5 12 12l4.5-2.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
    </svg>
  );
}
