import type { Static } from "@sinclair/typebox";
import type { StatusAnswer } from "@honeymesh/api/status";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { ApiClient, findToken, ApiProblem } from "../api/client.ts";
import type { OutputFormat } from "../args.ts";
import { statusFile } from "../paths.ts";
import { isAlive, readStatus } from "../supervisor/status-file.ts";
import { renderTable } from "../table.ts";
import { printOut } from "./api-output.ts";
import { statusCommand } from "./status.ts";

export type Runner = "up" | "systemd" | "compose" | "unknown";

function quiet(cmd: string[]): boolean {
  if (!Bun.which(cmd[0]!)) return false;
  const p = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "ignore" });
  return p.exitCode === 0 && (cmd[0] !== "docker" || p.stdout.toString().trim() !== "");
}

/** Who supervises the node: `honeymesh up` (its status file), systemd (honeymesh.target), or compose. */
export function detectRunner(config: FrozenConfig): Runner {
  const st = readStatus(statusFile(config.node.state_dir));
  if (st && isAlive(st.supervisor_pid)) return "up";
  if (quiet(["systemctl", "is-active", "--quiet", "honeymesh.target"])) return "systemd";
  if (quiet(["docker", "ps", "-q", "--filter", "label=com.docker.compose.service=apid"])) return "compose";
  return "unknown";
}

type ApiStatus = Static<typeof StatusAnswer>;

/**
 * `honeymesh status`: the node as its services report it (apid's /v1/status), and how it runs.
 * Under `honeymesh up` the supervisor's own view (restarts, exits) is shown as before.
 */
export async function nodeStatusCommand(config: FrozenConfig, out: OutputFormat, token: string | undefined): Promise<number> {
  const runner = detectRunner(config);
  if (runner === "up") return statusCommand(config, out !== "table");
  let r: { status: number; data: ApiStatus } | ApiProblem;
  try {
    r = await new ApiClient(config, findToken(config, token)).call<ApiStatus>("GET", "/v1/status");
  } catch (e) {
    const why = (e as Error).message;
    if (out !== "table") printOut({ running: false, runner, error: why }, out);
    else process.stdout.write(`HoneyMesh is not answering (supervised by: ${runner}): ${why}\nStart it with: ${runner === "systemd" || runner === "unknown" ? "systemctl start honeymesh.target, or honeymesh up" : "docker compose up -d"}\n`);
    return 1;
  }
  if (r instanceof ApiProblem) {
    process.stderr.write(`honeymesh: the node's API refused the status request: ${r.detail}\n`);
    return r.exitCode;
  }
  const s = r.data;
  const ok = s.services.every((x) => x.up && x.status === "ok");
  if (out !== "table") {
    printOut({ running: true, runner, ...s }, out);
    return ok ? 0 : 1;
  }
  const guard = s.enforcement.guard && s.enforcement.guard !== "off" ? `, connection guard ${s.enforcement.guard}` : "";
  process.stdout.write(`node ${s.node}, supervised by ${runner}, enforcement ${s.enforcement.state} (mode ${s.enforcement.mode ?? "unknown"})${guard}\n`);
  const rows = s.services.map((x) => [x.name, x.pid === null ? "-" : String(x.pid), x.up ? (x.status ?? "up") : "down", x.last_health_s === null ? "-" : `${x.last_health_s}s ago`, x.degraded.map((d) => `${d.code}: ${d.detail}`).join(" ")]);
  process.stdout.write(renderTable(["SERVICE", "PID", "STATE", "LAST HEALTH", "NOTES"], rows));
  if (s.enforcement.mode === "test") process.stdout.write("\nEnforcement is in TEST mode: bans are recorded and counted, no packet is dropped. Switch with: honeymesh mode enforce\n");
  return ok ? 0 : 1;
}
