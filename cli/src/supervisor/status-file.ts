import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Health } from "@honeymesh/schema/health";
import type { Metrics } from "@honeymesh/schema/metrics";
import type { ServiceName } from "@honeymesh/schema/services";

export type ServiceState = "starting" | "up" | "backoff" | "stopping" | "stopped";

export interface ServiceStatus {
  pid: number | null;
  state: ServiceState;
  restarts: number;
  started_at: number | null;
  last_exit: string | null;
  last_health_at: number | null;
  health: Health | null;
  /** The service's last `hm/v1/<svc>/metrics`. */
  metrics: Metrics | null;
}

export interface NodeStatus {
  node: string;
  supervisor_pid: number;
  started_at: number;
  updated_at: number;
  services: Record<ServiceName, ServiceStatus>;
}

export function writeStatus(path: string, status: NodeStatus): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(status, null, 1));
  renameSync(tmp, path);
}

export function readStatus(path: string): NodeStatus | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as NodeStatus;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
