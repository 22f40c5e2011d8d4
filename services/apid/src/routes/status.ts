import { Elysia } from "elysia";
import { HealthAnswer, StatusAnswer } from "@honeymesh/api/status";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { json } from "../http/respond.ts";
import type { HealthBoard } from "../live/health-board.ts";
import type { MetricsBoard } from "../live/metrics-board.ts";
import type { BanReader } from "../read/ban-reader.ts";
import { statusAnswer } from "./status-answer.ts";
import { needs } from "../auth/scope.ts";
import type { EnrichmentStatus } from "@honeymesh/api/enrich";

/** `/v1/health` (no auth: is apid itself serving) and `/v1/status` (the node as its services report it). */
export function statusRoutes(board: HealthBoard, metrics: MetricsBoard, reader: BanReader, nodeId: string, version: string, enrichment?: () => EnrichmentStatus) {
  return new Elysia({ name: "status", normalize: false })
    .get("/v1/health", () => json({ status: "ok", service: "apid", node: nodeId, version }), { response: { 200: HealthAnswer }, detail: { ...needs("none"), summary: "apid is serving (no auth)", tags: ["status"] } })
    .get("/v1/status", () => json({ ...statusAnswer(board, metrics, nodeId, reader.count(Date.now())), ...(enrichment ? { enrichment: enrichment() } : {}) }), {
      response: { 200: StatusAnswer, ...COMMON_PROBLEMS },
      detail: { ...needs("read"), summary: "Services (health and typed metrics), enforcement mode and kernel counters", tags: ["status"] },
    });
}
