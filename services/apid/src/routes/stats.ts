import { Elysia } from "elysia";
import { json } from "../http/respond.ts";
import type { BanReader } from "../read/ban-reader.ts";
import type { PeerReader, SessionReader } from "../read/owner-queries.ts";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { Stats } from "@honeymesh/api/stats";
import { needs } from "../auth/scope.ts";

/** `/v1/stats`: what the node has done, in counts. */
export function statsRoutes(reader: BanReader, sessions: SessionReader, peers: PeerReader) {
  return new Elysia({ name: "stats", normalize: false }).get(
    "/v1/stats",
    () => {
      const b = reader.breakdown();
      const s = sessions.count("service");
      return json({
        bans: { active: reader.count(), permanent: b.permanent, by_reason: b.byReason, by_origin: b.byOrigin, by_source: b.bySource },
        unbans: reader.tombstoneCount(),
        allowlist: reader.allowEntries().length,
        sessions: { total: s.total, by_service: s.groups },
        peers: peers.count(),
      });
    },
    { response: { 200: Stats, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Counts: bans by reason/origin/source, sessions by trap, peers", tags: ["status"] } },
  );
}
