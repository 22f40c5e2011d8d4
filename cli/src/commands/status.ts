import type { FrozenConfig } from "@honeymesh/config/schema";
import type { Degraded, EnforcementState } from "@honeymesh/schema/health";
import type { Metrics } from "@honeymesh/schema/metrics";
import { SERVICES } from "@honeymesh/schema/services";
import { statusFile } from "../paths.ts";
import { isAlive, readStatus, type NodeStatus } from "../supervisor/status-file.ts";
import { renderTable } from "../table.ts";

/** A service counts as healthy when its last health is younger than three intervals. */
export function healthy(s: NodeStatus["services"][keyof NodeStatus["services"]] | undefined, intervalS: number, now = Date.now()): boolean {
  return Boolean(s && s.pid && isAlive(s.pid) && s.last_health_at && now - s.last_health_at < intervalS * 3000 + 1000);
}

export interface StatusView {
  running: boolean;
  node: string | null;
  services: { name: string; pid: number | null; up: boolean; healthy: boolean; restarts: number; last_health_s: number | null; last_exit: string | null; degraded: Degraded[]; enforcement: EnforcementState | null; metrics: Metrics | null }[];
}

export function statusView(config: FrozenConfig): StatusView {
  const st = readStatus(statusFile(config.node.state_dir));
  const running = Boolean(st && isAlive(st.supervisor_pid));
  const now = Date.now();
  return {
    running,
    node: st?.node ?? null,
    services: SERVICES.map((name) => {
      const s = st?.services[name];
      const up = running && Boolean(s?.pid && isAlive(s.pid));
      return {
        name,
        pid: up ? (s?.pid ?? null) : null,
        up,
        healthy: running && healthy(s, config.node.health_interval_s, now),
        restarts: s?.restarts ?? 0,
        last_health_s: s?.last_health_at ? Math.round((now - s.last_health_at) / 100) / 10 : null,
        last_exit: s?.last_exit ?? null,
        degraded: s?.health?.degraded ?? [],
        enforcement: s?.health?.enforcement ?? null,
        metrics: s?.metrics ?? null,
      };
    }),
  };
}

export function statusCommand(config: FrozenConfig, json: boolean): number {
  const view = statusView(config);
  const ok = view.running && view.services.every((s) => s.healthy);
  if (json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  if (!view.running) {
    process.stdout.write(`HoneyMesh is not running (state dir ${config.node.state_dir}). Start it with: honeymesh up\n`);
    return 1;
  }
  const rows = view.services.map((s) => [
    s.name,
    s.pid ? String(s.pid) : "-",
    s.healthy ? "healthy" : s.up ? "up (no health yet)" : "down",
    String(s.restarts),
    s.last_health_s === null ? "-" : `${s.last_health_s}s ago`,
    notes(s),
  ]);
  process.stdout.write(`node ${view.node}\n`);
  process.stdout.write(renderTable(["SERVICE", "PID", "STATE", "RESTARTS", "LAST HEALTH", "NOTES"], rows));
  const enforcement = view.services.find((s) => s.name === "enforcerd")?.enforcement;
  if (enforcement?.mode === "test") process.stdout.write("\nEnforcement is in TEST mode: bans are recorded and counted, no packet is dropped. Set [enforcer] mode = \"enforce\" to block.\n");
  return ok ? 0 : 1;
}

/** A few typed facts per service: why it is degraded, the enforcement mode, busd's clients and refusals. */
function notes(s: StatusView["services"][number]): string {
  const out: string[] = s.degraded.map((d) => `${d.code}: ${d.detail}`);
  if (s.enforcement) out.push(`mode=${s.enforcement.mode} kernel=${s.enforcement.kernel}${s.enforcement.guard && s.enforcement.guard !== "off" ? ` guard=${s.enforcement.guard}${s.enforcement.guard_ports?.length ? `:${s.enforcement.guard_ports.join(",")}` : ""}` : ""}`);
  const m = s.metrics;
  if (m?.service === "busd") out.push(`clients=${m.clients} refused=${Object.values(m.refused).reduce((a, b) => a + b, 0)}`);
  if (m?.service === "enforcerd") out.push(`bans=${m.active_bans}`);
  return out.join(" ");
}
