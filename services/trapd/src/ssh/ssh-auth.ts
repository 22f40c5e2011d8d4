import { createHash } from "node:crypto";
import type { AuthContext, Connection } from "ssh2";
import type { SessionRecord } from "../core/session-record.ts";
import type { CredentialPolicy } from "../shell/credential-policy.ts";

const METHODS = ["publickey", "password", "keyboard-interactive"];
const MAX_AUTH_TRIES = 6; // OpenSSH MaxAuthTries default

/** OpenSSH's fingerprint form: SHA256:<base64 of the key blob's SHA-256, unpadded>. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Captures every login attempt. A password the credential policy accepts opens a session (after
 * the same delay a refusal gets, so timing tells nothing); everything else is refused after the
 * configured delay, as sshd's failed-password delay does. Public-key queries are refused at once,
 * as sshd does for an unknown key. After MaxAuthTries the connection is closed.
 */
export function trapAuthentication(client: Connection, rec: SessionRecord, delayMs: number, policy?: CredentialPolicy, onLogin?: (user: string) => void): void {
  let tries = 0;
  client.on("authentication", (ctx: AuthContext) => {
    const refuse = () => {
      try {
        ctx.reject(METHODS);
      } catch {
        // the connection went away meanwhile
      }
      if (tries >= MAX_AUTH_TRIES) client.end();
    };
    const decide = (password: string) => {
      if (!policy?.check(rec.at.src, ctx.username, password)) return refuse();
      try {
        ctx.accept();
        rec.setMeta("login", ctx.username);
        onLogin?.(ctx.username);
      } catch {
        // gone
      }
    };
    switch (ctx.method) {
      case "password":
        tries++;
        rec.credential({ method: "password", username: ctx.username, password: ctx.password });
        return rec.later(delayMs, () => decide(ctx.password));
      case "publickey":
        tries++;
        rec.credential({ method: "publickey", username: ctx.username, key_fingerprint: keyFingerprint(ctx.key.data) });
        return refuse();
      case "keyboard-interactive":
        return ctx.prompt([{ prompt: "Password: ", echo: false }], "", "", (answers) => {
          tries++;
          rec.credential({ method: "keyboard-interactive", username: ctx.username, password: answers[0] ?? "" });
          rec.later(delayMs, () => decide(answers[0] ?? ""));
        });
      default:
        rec.setMeta("first_user", ctx.username);
        return refuse();
    }
  });
}
