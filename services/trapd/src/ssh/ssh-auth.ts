import { createHash } from "node:crypto";
import type { AuthContext, Connection } from "ssh2";
import type { SessionRecord } from "../core/session-record.ts";

const METHODS = ["publickey", "password", "keyboard-interactive"];
const MAX_AUTH_TRIES = 6; // OpenSSH MaxAuthTries default

/** OpenSSH's fingerprint form: SHA256:<base64 of the key blob's SHA-256, unpadded>. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Captures every login attempt and refuses it, after the configured delay for guesses (as sshd's
 * failed-password delay does); public-key queries are refused at once, as sshd does for an
 * unknown key. After MaxAuthTries the connection is closed.
 */
export function trapAuthentication(client: Connection, rec: SessionRecord, delayMs: number): void {
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
    switch (ctx.method) {
      case "password":
        tries++;
        rec.credential({ method: "password", username: ctx.username, password: ctx.password });
        return rec.later(delayMs, refuse);
      case "publickey":
        tries++;
        rec.credential({ method: "publickey", username: ctx.username, key_fingerprint: keyFingerprint(ctx.key.data) });
        return refuse();
      case "keyboard-interactive":
        return ctx.prompt([{ prompt: "Password: ", echo: false }], "", "", (answers) => {
          tries++;
          rec.credential({ method: "keyboard-interactive", username: ctx.username, password: answers[0] ?? "" });
          rec.later(delayMs, refuse);
        });
      default:
        rec.setMeta("first_user", ctx.username);
        return refuse();
    }
  });
}
