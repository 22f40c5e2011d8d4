import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TrafficReport } from "./wire-meter.ts";

export const TRAFFIC_FILE = "traffic.json";

/** What meshd writes on SIGUSR2: each cluster's byte counts since start. */
export interface TrafficFile {
  at: number;
  clusters: Record<string, TrafficReport>;
}

/**
 * On SIGUSR2 meshd writes its mesh bytes per protocol to `<dir>/traffic.json` (a diagnostic for
 * benches and operators measuring what the mesh costs; nothing is written unless asked).
 * Replaced atomically, so a reader never sees half a file. Returns the handler's removal.
 */
export function writeTrafficOnSignal(dir: string, clusters: () => [string, TrafficReport][]): () => void {
  const path = join(dir, TRAFFIC_FILE);
  const write = () => {
    const body: TrafficFile = { at: Date.now(), clusters: Object.fromEntries(clusters()) };
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(body), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    } catch {
      // A diagnostic only: a full disk must not stop the mesh.
    }
  };
  process.on("SIGUSR2", write);
  return () => void process.off("SIGUSR2", write);
}
