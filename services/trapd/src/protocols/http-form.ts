import type { Credential } from "@honeymesh/schema/trap";

const USER_FIELDS = ["log", "user", "username", "login", "user_login", "email", "name", "usr", "uname"];
const PASS_FIELDS = ["pwd", "pass", "password", "passwd", "user_pass", "pw"];

function pick(fields: Record<string, string>, names: string[]): string | undefined {
  const lower = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of names) if (lower.has(n)) return lower.get(n);
  return undefined;
}

/** Login credentials in a form or JSON body, and in an Authorization: Basic header (RFC 7617). */
export function credentialsOf(contentType: string, body: string, authorization: string | undefined): Credential[] {
  const out: Credential[] = [];
  if (authorization && /^basic /i.test(authorization)) {
    const raw = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
    const i = raw.indexOf(":");
    out.push({ method: "password", username: i < 0 ? raw : raw.slice(0, i), password: i < 0 ? "" : raw.slice(i + 1) });
  }
  let fields: Record<string, string> = {};
  if (/json/i.test(contentType)) {
    try {
      const j = JSON.parse(body) as unknown;
      if (j && typeof j === "object" && !Array.isArray(j)) for (const [k, v] of Object.entries(j)) if (typeof v === "string") fields[k] = v;
    } catch {
      // not JSON after all: nothing to pick
    }
  } else if (body) {
    fields = Object.fromEntries(new URLSearchParams(body));
  }
  const password = pick(fields, PASS_FIELDS);
  const username = pick(fields, USER_FIELDS);
  if (password !== undefined || username !== undefined) out.push({ method: "password", username: username ?? "", password: password ?? "" });
  return out;
}
