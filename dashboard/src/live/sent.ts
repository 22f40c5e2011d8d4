import type { Session } from "../api/types.ts";

/** What an attacker sent, in one line: credentials, commands, or the request line. */
export function sentSummary(s: Session): string {
  const parts: string[] = [];
  for (const c of s.credentials.slice(0, 3)) parts.push(c.method === "publickey" ? `${c.username} 🔑${c.key_fingerprint?.slice(7, 19) ?? ""}` : `${c.username}:${c.password ?? ""}`);
  const request = `${s.meta.method ?? ""} ${s.meta.path ?? ""}`.trim();
  if (request) parts.push(request);
  // trapd records an HTTP request line as a command too; show it once.
  for (const c of s.commands.filter((c) => !request || !c.startsWith(request)).slice(0, 3)) parts.push(`$ ${c}`);
  if (!parts.length) parts.push(s.bytes_in ? `${s.bytes_in} bytes` : "connected, sent nothing");
  return parts.join("  ·  ");
}
