import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { NetnsPair } from "@honeymesh/netns/netns-pair";

/** The demo node's configuration: its own state, pins and veth; enforcing; short bans. */
export function demoEnv(pair: NetnsPair): { env: Record<string, string>; stateDir: string; pinRoot: string } {
  const stateDir = mkdtempSync(join(tmpdir(), "honeymesh-demo-"));
  const pinRoot = `/sys/fs/bpf/hm-demo-${randomBytes(3).toString("hex")}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HONEYMESH_NODE_STATE_DIR: stateDir,
    HONEYMESH_NODE_HEALTH_INTERVAL_S: "1",
    HONEYMESH_NODE_LOG_LEVEL: "warn",
    HONEYMESH_ENFORCER_INTERFACES: pair.victim.ifname,
    HONEYMESH_ENFORCER_MODE: "enforce",
    HONEYMESH_ENFORCER_XDP_MODE: "native",
    HONEYMESH_ENFORCER_PIN_ROOT: pinRoot,
    HONEYMESH_BANS_DEFAULT_TTL_S: "300",
    HONEYMESH_MESH_LISTEN: "127.0.0.1:7946",
  };
  return { env, stateDir, pinRoot };
}
