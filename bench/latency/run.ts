// bench/latency: from the packet that crosses the scan threshold (the 3rd distinct port's SYN)
// to the XDP drop being in force, over many attacker addresses; Fail2Ban side by side (log line
// that reaches maxretry → address in its nftables set). Prints p50/p99 and the ratio.
import { join } from "node:path";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { OBJECT } from "../../test/kernel/harness.ts";
import { startEnforcingNode } from "../../test/support/enforcing-node.ts";
import { measureFail2ban } from "./fail2ban.ts";
import { quantile, summary } from "./stats.ts";

const N = Number(process.argv[2] ?? 250);
const F2B = Number(process.argv[3] ?? 30);
const en = await startEnforcingNode({ services: ["enforcerd", "scand"], env: () => ({ HONEYMESH_NODE_LOG_LEVEL: "warn" }) });
const { pair, pinRoot, node } = en;
const honeymesh: number[] = [];
let breakdown = "";
try {
  const k = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!k.ok) throw new Error(k.reason);
  const sender = Bun.spawn(pair.argv("attacker", ["/usr/bin/python3", join(import.meta.dir, "syn-sender.py"), pair.victim.v4, String(N), "3", "20", "10.200"]), { stdout: "pipe", stderr: "inherit" });
  const pending = new Map<string, number>();
  const sent = new Map<string, number>();
  let senderDone = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of sender.stdout) {
      buf += decoder.decode(chunk);
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const { src, t0_ns } = JSON.parse(buf.slice(0, i)) as { src: string; t0_ns: number };
        buf = buf.slice(i + 1);
        pending.set(src, t0_ns / 1e6);
        sent.set(src, t0_ns / 1e6);
      }
    }
    senderDone = true;
  })();
  // Poll the kernel's ban map: an entry there is a drop in force (mode enforce).
  const deadline = Date.now() + 60_000;
  while ((!senderDone || pending.size > 0) && Date.now() < deadline) {
    if (pending.size > 0) {
      const now = performance.timeOrigin + performance.now();
      for (const b of k.value.listBans()) {
        const t0 = pending.get(b.address);
        if (t0 !== undefined) {
          honeymesh.push(now - t0);
          pending.delete(b.address);
        }
      }
    }
    await Bun.sleep(0.5);
  }
  k.value.close();
  // Where the time goes, per stage, from the timestamps each hop stamps on its message.
  const at = (topic: string, src: string) => Number(node.lines.find((l) => l.topic === topic && (l.d.src === src || l.d.address?.text === src))?.d.at ?? Number.NaN);
  const stages = { kernel: [] as number[], syn: [] as number[], decide: [] as number[], apply: [] as number[] };
  for (const l of node.lines) {
    if (l.topic !== "hm/v1/enforcerd/ban" || l.d.change !== "added") continue;
    const src = String(l.d.address?.text);
    const t0 = sent.get(src);
    if (t0 === undefined) continue;
    const syn = at("hm/v1/enforcerd/syn", src);
    const dec = at("hm/v1/scand/decision", src);
    stages.kernel.push(syn - t0);
    stages.decide.push(dec - syn);
    stages.apply.push(Number(l.d.at) - dec);
  }
  breakdown = `  stages p50 (ms): sender→kernel event ${quantile(stages.kernel, 0.5).toFixed(1)}, syn→scand decision ${quantile(stages.decide, 0.5).toFixed(1)}, decision→enforcerd applied ${quantile(stages.apply, 0.5).toFixed(1)}`;
  if (pending.size > 0) console.log(`warning: ${pending.size} sources never banned within the run`);
} finally {
  await en.stop();
}
const f2b = await measureFail2ban(F2B);
console.log("bench/latency — threshold-crossing packet → drop in force");
console.log(`HoneyMesh (3rd-port SYN → XDP ban map entry)     ${summary(honeymesh)}`);
console.log(breakdown);
console.log(`Fail2Ban 1.0.2 (3rd log line → nftables set)      ${summary(f2b)}`);
console.log(`ratio at p50: ${(quantile(f2b, 0.5) / quantile(honeymesh, 0.5)).toFixed(0)}×   at p99: ${(quantile(f2b, 0.99) / quantile(honeymesh, 0.99)).toFixed(0)}×   (goals: HoneyMesh p99 ≤ 10 ms, ≥ 50× faster)`);
