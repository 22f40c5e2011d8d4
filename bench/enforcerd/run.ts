// bench/enforcerd: a restarted enforcerd reconciles 1 M bans from SQLite into the kernel.
// Prints the reconcile time, the time until health reports them all, and enforcerd's RSS.
// Runs inside its own network namespaces, with private pins; cleans up after itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import * as schema from "@honeymesh/tables/enforcerd";
import { makePinRoot, removePinRoot } from "../../test/kernel/harness.ts";
import { ROOT, waitFor } from "../../test/support/bus-node.ts";
import { createNetnsPair } from "../../test/support/netns.ts";
import { NsNode } from "../../test/support/ns-node.ts";

const N = Number(process.argv[2] ?? 1_000_000);
const pair = createNetnsPair();
const pinRoot = makePinRoot();
const node = new NsNode(pair, { HONEYMESH_ENFORCER_INTERFACES: pair.victim.ifname, HONEYMESH_ENFORCER_MODE: "enforce", HONEYMESH_ENFORCER_PIN_ROOT: pinRoot, HONEYMESH_NODE_LOG_LEVEL: "info" });
try {
  await node.start();
  const store = new BanStore(openStore({ path: join(node.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") }));
  const now = Date.now();
  let t = performance.now();
  const rows: BanRow[] = Array.from({ length: N }, (_, i) => ({
    address: `${100 + (i >> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: "ip", reasons: 2, expiresAt: now + 86_400_000, createdAt: now, updatedAt: now, origin: "bench", source: "scand", offence: 1, evidence: [], confidence: "verified",
  }));
  store.putMany(rows);
  const writeMs = performance.now() - t;

  t = performance.now();
  const proc = node.spawn("enforcerd");
  await waitFor(() => (node.metrics("enforcerd")?.active_bans ?? 0) >= N && node.health("enforcerd")?.enforcement?.kernel === "active", 120_000, "all bans live");
  const liveMs = performance.now() - t;
  await Bun.sleep(2_000);
  const first = node.metrics("enforcerd")!.reconcile!;
  // Second restart: now the kernel already holds them all, so reconcile must read and diff both sides.
  proc.kill("SIGKILL");
  await proc.exited;
  node.lines.length = 0;
  const proc2 = node.spawn("enforcerd");
  await waitFor(() => node.metrics("enforcerd")?.reconcile !== undefined, 120_000, "second reconcile");
  const second = node.metrics("enforcerd")!.reconcile!;
  await Bun.sleep(1_000);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc2.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  console.log(`bench/enforcerd — ${N.toLocaleString()} bans in SQLite, enforcerd restarted`);
  console.log(`write ${N.toLocaleString()} rows to SQLite      ${(writeMs / 1000).toFixed(2)} s`);
  console.log(`start → all bans in kernel + healthy ${(liveMs / 1000).toFixed(2)} s   (process start, bus connect, reconcile)`);
  const line = (r: typeof first) => `${r.ms} ms (read SQLite ${r.read_store_ms} ms, read kernel ${r.read_kernel_ms} ms, written ${r.written}, removed ${r.removed})`;
  console.log(`reconcile, empty kernel                ${line(first)}   (goal ≤ 5 s)`);
  console.log(`reconcile, kernel already full         ${line(second)}`);
  console.log(`enforcerd RSS with ${N.toLocaleString()} bans       ${rss.toFixed(0)} MB   (goal ≤ 150 MB)`);
} finally {
  await node.stop();
  pair.destroy();
  removePinRoot(pinRoot);
}
