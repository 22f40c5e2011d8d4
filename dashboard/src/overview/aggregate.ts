import type { Session } from "../api/types.ts";

/** Top sources and credentials of recent trap sessions. */
export function aggregate(sessions: Session[]): { sources: [string, number][]; creds: [string, number][]; users: [string, number][] } {
  const sources = new Map<string, number>();
  const creds = new Map<string, number>();
  const users = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of sessions) {
    inc(sources, s.src);
    for (const c of s.credentials) {
      inc(users, c.username || "(empty)");
      if (c.method === "password") inc(creds, `${c.username}:${c.password ?? ""}`);
    }
  }
  return { sources: [...sources], creds: [...creds], users: [...users] };
}
