import type { FrozenConfig } from "@honeymesh/config/schema";
import type { StatusAnswer } from "@honeymesh/api/status";
import type { LogdJailMetrics, Metrics } from "@honeymesh/schema/metrics";
import { ApiClient, ApiProblem, findToken } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { detectRunner } from "./node-status.ts";
import { statusView } from "./status.ts";

/** What the jails view needs of the node: is it running, is logd up, logd's last metrics. */
interface LogdView {
  running: boolean;
  up: boolean;
  metrics: Metrics | null;
}

/**
 * logd as the node reports it: under `honeymesh up` from the supervisor's status file, otherwise
 * (systemd, compose) from apid's GET /v1/status, which carries every service's last metrics.
 */
async function logdView(config: FrozenConfig, token: string | undefined): Promise<LogdView> {
  if (detectRunner(config) === "up") {
    const view = statusView(config);
    const logd = view.services.find((s) => s.name === "logd");
    return { running: view.running, up: Boolean(logd?.up), metrics: logd?.metrics ?? null };
  }
  try {
    const r = await new ApiClient(config, findToken(config, token)).call<StatusAnswer>("GET", "/v1/status");
    if (r instanceof ApiProblem) return { running: false, up: false, metrics: null };
    const logd = r.data.services.find((s) => s.name === "logd");
    return { running: true, up: Boolean(logd?.up), metrics: logd?.metrics ?? null };
  } catch {
    return { running: false, up: false, metrics: null };
  }
}

/**
 * `honeymesh jails [--json]`: logd's jails with their counters (lines, failures, bans, last match)
 * and the health of each jail's log source, from logd's last metrics as the supervisor recorded
 * them (or, under systemd or compose, as apid reports them). Exit 1 when the node or logd is not
 * running, or a jail's source is not ok.
 */
export async function jailsCommand(config: FrozenConfig, json: boolean, token?: string, now = Date.now()): Promise<number> {
  const view = await logdView(config, token);
  const logd = view;
  const m = logd.metrics;
  const jails: LogdJailMetrics[] = m?.service === "logd" ? m.jails : [];
  const configured = Object.entries(config.jails).filter(([, j]) => j.enabled).map(([n]) => n);
  const ok = Boolean(view.running && logd.up) && jails.every((j) => j.source_ok);
  if (json) {
    process.stdout.write(`${JSON.stringify({ running: view.running, logd_up: logd.up, configured, jails }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  if (!view.running || !logd.up) {
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
