import { Elysia } from "elysia";
import { json } from "../http/respond.ts";
import type { BanReader } from "../read/ban-reader.ts";
import type { TableReader } from "../read/table-reader.ts";

/** `/v1/stats`: what the node has done, in counts. */
export function statsRoutes(reader: BanReader, sessions: TableReader, peers: TableReader) {
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
        peers: peers.count().total,
      });
    },
    { detail: { summary: "Counts: bans by reason/origin/source, sessions by trap, peers", tags: ["status"] } },
  );
}
