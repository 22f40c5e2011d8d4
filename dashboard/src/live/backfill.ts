import type { Api } from "../api/client.ts";
import { reasonMask } from "../api/types.ts";
import type { Ban, LiveEvent, Session } from "../api/types.ts";

/** How far back the live view reaches on load, and how much it takes. */
export const BACKFILL_SESSIONS = 200;
const BAN_SCAN = 1000;
const BAN_WINDOW_MS = 24 * 3_600_000;
const BANS_SHOWN = 100;

/** A stored session as the hit that opened it (what the stream would have shown). */
export function hitOf(s: Session, id: number): LiveEvent {
  return { kind: "hit", id, received: s.started_at, backfill: true, data: { session_id: s.session_id, service: s.service, src: s.src, src_port: s.src_port, dst_port: s.dst_port, at: s.started_at } };
}

/** A ban as the change that last touched it: `added` when it is new, `extended` when renewed. */
export function banEventOf(b: Ban, id: number, now: number): LiveEvent {
  const ended = b.expires_at !== 0 && b.expires_at <= now;
  const change = ended ? "expired" : b.updated_at > b.created_at ? "extended" : "added";
  const at = ended ? b.expires_at : b.updated_at;
  return { kind: "ban", id, received: at, backfill: true, data: { change, address: b.address, reasons: reasonMask(b.reasons) ?? 0, expires_at: b.expires_at, origin: b.origin, offence: b.offence, evidence: b.evidence, confidence: b.confidence, at } };
}

/**
 * The last events from the lists apid already has, so the live view does not open empty: the
 * newest trap sessions (as hits, joined to what was sent) and the bans changed in the last 24 h.
 * /v1/bans pages in address order, so bans come from its first BAN_SCAN rows: complete on a node
 * with fewer bans, a sample beyond (the stream is exact from here on).
 */
export async function backfill(api: Api, now = Date.now()): Promise<{ events: LiveEvent[]; sessions: Session[] }> {
  const [sessions, bans] = await Promise.all([api.events({ limit: BACKFILL_SESSIONS }).catch(() => ({ items: [] as Session[] })), api.bans({ state: "all", limit: BAN_SCAN }).catch(() => ({ items: [] as Ban[] }))]);
  let id = -1_000_000;
  const events: LiveEvent[] = sessions.items.map((s) => hitOf(s, id++));
  const recent = bans.items.filter((b) => now - Math.max(b.updated_at, b.expires_at > 0 && b.expires_at <= now ? b.expires_at : 0) < BAN_WINDOW_MS);
  for (const b of recent.sort((a, z) => z.updated_at - a.updated_at).slice(0, BANS_SHOWN)) events.push(banEventOf(b, id++, now));
  events.sort((a, z) => z.received - a.received);
  return { events, sessions: sessions.items };
}
