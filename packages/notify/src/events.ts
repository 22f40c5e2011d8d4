/** What an operator can be told about (`events = [...]` of a `[notify.<name>]`). */
export const NOTIFY_EVENTS = ["ban", "session", "mode", "enforcement", "peer_lost", "test"] as const;
export type NotifyEventType = (typeof NOTIFY_EVENTS)[number];

export type NotifyEvent =
  | { type: "ban"; at: number; address: string; reasons: string[]; origin: string; local: boolean; jails: string[]; summary: string; expires_at: number }
  | { type: "session"; at: number; service: string; src: string; usernames: string[]; credentials: number; commands: number }
  | { type: "mode"; at: number; mode: string; source: string }
  | { type: "enforcement"; at: number; kernel: "active" | "unavailable"; detail: string }
  | { type: "peer_lost"; at: number; connected: number; previous: number }
  | { type: "test"; at: number; target: string };

/** One line for people. Attacker-controlled text (user names) is quoted and cut short. */
export function describe(e: NotifyEvent): string {
  switch (e.type) {
    case "ban": {
      const until = e.expires_at === 0 ? "permanently" : `until ${new Date(e.expires_at).toISOString()}`;
      const where = e.local ? "on this node" : `by peer ${e.origin}`;
      return `banned ${e.address} for ${e.reasons.join(",")}${e.jails.length ? ` (jail ${e.jails.join(",")})` : ""} ${where} ${until}${e.summary ? `: ${e.summary}` : ""}`;
    }
    case "session":
      return `trap session on ${e.service} from ${e.src} with ${e.credentials} credential${e.credentials === 1 ? "" : "s"}${e.usernames.length ? ` (users ${e.usernames.map((u) => JSON.stringify(u.slice(0, 32))).join(", ")})` : ""}${e.commands ? `, ${e.commands} commands` : ""}`;
    case "mode":
      return `enforcement mode is now ${e.mode} (${e.source})`;
    case "enforcement":
      return e.kernel === "unavailable" ? `enforcement unavailable: ${e.detail}` : "enforcement active again";
    case "peer_lost":
      return `mesh peer lost: ${e.connected} connected (was ${e.previous})`;
    case "test":
      return `test notification for ${e.target}`;
  }
}

/** A digest of many events: counts by type (bans by reason), and the first few lines. */
export interface Digest {
  total: number;
  /** Events not kept for detail (queue full); included in `total`. */
  dropped: number;
  by_type: Record<string, number>;
  by_reason: Record<string, number>;
  sample: string[];
  from: number;
  to: number;
}

export function digestOf(events: readonly NotifyEvent[], dropped: number, sampleSize = 10): Digest {
  const by_type: Record<string, number> = {};
  const by_reason: Record<string, number> = {};
  for (const e of events) {
    by_type[e.type] = (by_type[e.type] ?? 0) + 1;
    if (e.type === "ban") for (const r of e.reasons) by_reason[r] = (by_reason[r] ?? 0) + 1;
  }
  const ats = events.map((e) => e.at);
  return {
    total: events.length + dropped,
    dropped,
    by_type,
    by_reason,
    sample: events.slice(0, sampleSize).map(describe),
    from: ats.length ? Math.min(...ats) : Date.now(),
    to: ats.length ? Math.max(...ats) : Date.now(),
  };
}

export function describeDigest(d: Digest): string {
  const types = Object.entries(d.by_type).map(([t, n]) => `${n} ${t}`).join(", ");
  const reasons = Object.entries(d.by_reason).map(([r, n]) => `${r} ${n}`).join(", ");
  return `${d.total} events (${types}${d.dropped ? `, ${d.dropped} more not itemised` : ""})${reasons ? `; bans by reason: ${reasons}` : ""}`;
}
