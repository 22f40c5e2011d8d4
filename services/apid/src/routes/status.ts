import { Elysia } from "elysia";
import { SERVICES } from "@honeymesh/schema/services";
import { json } from "../http/respond.ts";
import type { HealthBoard } from "../live/health-board.ts";
import type { BanReader } from "../read/ban-reader.ts";

/** `/v1/health` (no auth: is apid itself serving) and `/v1/status` (the node as its services report it). */
export function statusRoutes(board: HealthBoard, reader: BanReader, nodeId: string, version: string) {
  return new Elysia({ name: "status", normalize: false })
    .get("/v1/health", () => json({ status: "ok", service: "apid", node: nodeId, version }), { detail: { summary: "apid is serving (no auth)", tags: ["status"] } })
    .get(
      "/v1/status",
      () => {
        const now = Date.now();
        const services = SERVICES.map((name) => {
          const s = board.get(name);
          return {
            name,
            up: name === "apid" || board.up(name, now),
            status: name === "apid" ? "ok" : (s?.health.status ?? null),
            pid: name === "apid" ? process.pid : (s?.health.pid ?? null),
            uptime_s: s?.health.uptime_s ?? null,
            rss_bytes: name === "apid" ? process.memoryUsage.rss() : (s?.health.rss_bytes ?? null),
            last_health_s: s ? Math.round((now - s.receivedAt) / 100) / 10 : null,
            details: s?.health.details ?? {},
          };
        });
        const enf = board.details("enforcerd");
        const kernel: Record<string, number> = {};
        for (const [k, v] of Object.entries(enf)) if (k.startsWith("kernel_") && typeof v === "number") kernel[k.slice(7)] = v;
        const mode = typeof enf.mode === "string" ? enf.mode : null;
        return json({
          node: nodeId,
          services,
          enforcement: {
            state: typeof enf.enforcement === "string" ? enf.enforcement : "unknown",
            mode,
            mode_source: enf.mode_source ?? null,
            note: mode === "test" ? "TEST mode: bans are recorded and counted, no packet is dropped" : mode === "lockdown" ? "LOCKDOWN: everything not allowlisted is dropped" : null,
            interfaces: enf.interfaces ?? null,
          },
          kernel,
          active_bans: reader.count(now),
        });
      },
      { detail: { summary: "Services, enforcement mode and kernel counters", tags: ["status"] } },
    );
}
