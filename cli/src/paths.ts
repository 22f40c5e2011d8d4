import { join, resolve } from "node:path";
import type { ServiceName } from "@honeymesh/schema/services";

/** The checkout this CLI belongs to: services are started from here. */
export const REPO_ROOT = resolve(import.meta.dir, "..", "..");

export function serviceEntry(name: ServiceName): string {
  return join(REPO_ROOT, "services", name, "src", "main.ts");
}

export const runDir = (stateDir: string) => join(stateDir, "run");
export const logDir = (stateDir: string) => join(stateDir, "logs");
export const statusFile = (stateDir: string) => join(runDir(stateDir), "status.json");
export const pidFile = (stateDir: string) => join(runDir(stateDir), "supervisor.pid");
