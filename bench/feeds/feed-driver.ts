// Runs inside the node's namespace and does what apid does for a feed: read, parse, diff against the
// list in force, send the parts signed as apid, wait for enforcerd's FeedResult. Prints one JSON
// line per round: {"topic":"bench/feeds","d":{round, entries, add, remove, parse_ms, apply_ms, total_ms, result}}.
// argv: stateDir nodeId busPort pids file1 [file2 …]  (pids: enforcerd,busd, whose CPU time each
// round also reports; each file is one snapshot of the same feed)
import { readFileSync } from "node:fs";
import { BusClient } from "../../packages/bus/src/client.ts";
import { diffSnapshots, emptySnapshot, snapshotSize } from "../../packages/feeds/src/snapshot.ts";
import { parseFeed } from "../../packages/feeds/src/parse.ts";
import { loadSigningKey, readJwks } from "../../packages/keys/src/keystore.ts";
import { createLogger } from "../../packages/telemetry/src/logger.ts";
import { feedParts, FeedResultWaiter } from "../../services/apid/src/feeds/feed-publisher.ts";

const [stateDir, nodeId, port, pidList, ...files] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const pids = pidList.split(",").map(Number);
const HZ = 100; // USER_HZ, proc(5)
/** utime + stime of a process in ms (proc(5): fields 14 and 15). */
const cpuOf = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / HZ;
};
const cpuNow = () => {
  const u = process.cpuUsage();
  return [(u.user + u.system) / 1000, ...pids.map(cpuOf)];
};
const logger = createLogger("bench", "error", (l) => process.stderr.write(l));
const bus = await BusClient.connect({ url: `mqtt://127.0.0.1:${port}`, key: await loadSigningKey(stateDir, "apid", nodeId), jwks: () => readJwks(stateDir), logger, clientId: `bench-feeds-${process.pid}` });
const waiter = new FeedResultWaiter();
await bus.subscribe("enforcerd", "feedresult", (r) => waiter.accept(r));
let old = emptySnapshot();
for (const [round, file] of files.entries()) {
  const text = await Bun.file(file).text();
  const c0 = cpuNow();
  const t0 = performance.now();
  const parsed = parseFeed("plain", text, 2_000_000);
  const { add, remove } = diffSnapshots(old, parsed.entries);
  const t1 = performance.now();
  const parts = feedParts("bench", nodeId, Date.now(), add, remove);
  const answer = waiter.wait(parts[0]!.id, 120_000);
  for (const p of parts) await bus.publish("feed", p);
  const r = await answer;
  const t2 = performance.now();
  const c2 = cpuNow();
  const cpu = { apid_side_ms: c2[0]! - c0[0]!, enforcerd_ms: c2[1]! - c0[1]!, busd_ms: c2[2]! - c0[2]! };
  old = parsed.entries;
  process.stdout.write(`${JSON.stringify({ topic: "bench/feeds", d: { round, entries: snapshotSize(parsed.entries), add: add.length, remove: remove.length, parts: parts.length, parse_ms: t1 - t0, apply_ms: t2 - t1, total_ms: t2 - t0, cpu, result: r } })}\n`);
}
await bus.close();
process.exit(0);
