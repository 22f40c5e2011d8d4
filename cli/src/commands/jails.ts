import type { FrozenConfig } from "@honeymesh/config/schema";
import type { LogdJailMetrics } from "@honeymesh/schema/metrics";
import { renderTable } from "../table.ts";
import { statusView } from "./status.ts";

/**
 * `honeymesh jails [--json]`: logd's jails with their counters (lines, failures, bans, last match)
 * and the health of each jail's log source, from logd's last metrics as the supervisor recorded
 * them. Exit 1 when the node or logd is not running, or a jail's source is not ok.
 */
export function jailsCommand(config: FrozenConfig, json: boolean, now = Date.now()): number {
  const view = statusView(config);
  const logd = view.services.find((s) => s.name === "logd");
  const m = logd?.metrics;
  const jails: LogdJailMetrics[] = m?.service === "logd" ? m.jails : [];
  const configured = Object.entries(config.jails).filter(([, j]) => j.enabled).map(([n]) => n);
  const ok = Boolean(view.running && logd?.up) && jails.every((j) => j.source_ok);
  if (json) {
    process.stdout.write(`${JSON.stringify({ running: view.running, logd_up: Boolean(logd?.up), configured, jails }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  if (!view.running || !logd?.up) {
    process.stdout.write(`logd is not running (${configured.length} jail(s) configured: ${configured.join(", ") || "none"}). Start the node with: honeymesh up\n`);
    return 1;
  }
  if (jails.length === 0) {
    process.stdout.write(configured.length ? "logd has not reported its jails yet\n" : "no jail is enabled: add [jails.<name>] enabled = true to the config\n");
    return configured.length ? 1 : 0;
  }
  const ago = (t: number) => (t ? `${Math.max(0, Math.round((now - t) / 1000))}s ago` : "never");
  const rows = jails.map((j) => [j.jail, j.source, String(j.lines), String(j.failures), String(j.bans), String(j.tracked), ago(j.last_match), j.source_ok ? "ok" : `DEGRADED: ${j.source_detail}`]);
  process.stdout.write(renderTable(["JAIL", "SOURCE", "LINES", "FAILURES", "BANS", "TRACKED", "LAST MATCH", "SOURCE HEALTH"], rows));
  return ok ? 0 : 1;
}
