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
// trapd too, for the verified path; a trap touch bans at once (no grace) so both paths are one hop.
const en = await startEnforcingNode({ services: ["enforcerd", "scand", "trapd"], env: () => ({ HONEYMESH_NODE_LOG_LEVEL: "warn", HONEYMESH_SCAN_TRAP_TOUCH_DELAY_S: "0" }) });
const { pair, pinRoot, node } = en;
let unverified: number[] = [];
let verified: number[] = [];
let breakdown = "";
const NV = Math.min(N, 100);
try {
  const k = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!k.ok) throw new Error(k.reason);
  /** Runs a sender that prints {src, t0_ns} lines and polls the kernel's ban map until each src is in it. */
  const measure = async (argv: string[]): Promise<{ lat: number[]; sent: Map<string, number>; missed: number }> => {
    const sender = Bun.spawn(pair.argv("attacker", argv), { stdout: "pipe", stderr: "inherit" });
    const pending = new Map<string, number>();
    const sent = new Map<string, number>();
    const lat: number[] = [];
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
            lat.push(now - t0);
            pending.delete(b.address);
          }
        }
      }
      await Bun.sleep(0.5);
    }
    return { lat, sent, missed: pending.size };
  };
  // Unverified: spoofable SYNs (raw socket, made-up sources) crossing the kernel's port threshold.
  const u = await measure(["/usr/bin/python3", join(import.meta.dir, "syn-sender.py"), pair.victim.v4, String(N), "3", "20", "10.200"]);
  unverified = u.lat;
  // Verified: one completed handshake with the ssh trap from each of NV real addresses on the attacker side.
  const net = pair.attacker.v4.split(".").slice(0, 3).join(".");
  for (let i = 0; i < NV; i++) Bun.spawnSync(["ip", "-n", pair.attacker.ns, "addr", "add", `${net}.${100 + i}/24`, "dev", pair.attacker.ifname]);
  const v = await measure(["/usr/bin/python3", join(import.meta.dir, "connect-sender.py"), pair.victim.v4, "2222", String(NV), net, "100", "20"]);
  verified = v.lat;
  k.value.close();
  // Where the time goes on the unverified path, per stage, from the timestamps each hop stamps on its message.
  const at = (topic: string, src: string) => Number(node.lines.find((l) => l.topic === topic && (l.d.src === src || l.d.address?.text === src))?.d.at ?? Number.NaN);
  const stages = { kernel: [] as number[], syn: [] as number[], decide: [] as number[], apply: [] as number[] };
  for (const l of node.lines) {
    if (l.topic !== "hm/v1/enforcerd/ban" || l.d.change !== "added") continue;
    const src = String(l.d.address?.text);
    const t0 = u.sent.get(src);
    if (t0 === undefined) continue;
    const syn = at("hm/v1/enforcerd/syn", src);
    const dec = at("hm/v1/scand/decision", src);
    stages.kernel.push(syn - t0);
    stages.decide.push(dec - syn);
    stages.apply.push(Number(l.d.at) - dec);
  }
  breakdown = `  unverified stages p50 (ms): sender→kernel event ${quantile(stages.kernel, 0.5).toFixed(1)}, syn→scand decision ${quantile(stages.decide, 0.5).toFixed(1)}, decision→enforcerd applied ${quantile(stages.apply, 0.5).toFixed(1)}`;
  const conf = (c: string) => node.lines.filter((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.change === "added" && l.d.confidence === c).length;
  breakdown += `\n  bans added: ${conf("unverified")} unverified (short, local), ${conf("verified")} verified`;
  if (u.missed + v.missed > 0) console.log(`warning: ${u.missed} unverified and ${v.missed} verified sources never banned within the run`);
} finally {
  await en.stop();
}
const f2b = await measureFail2ban(F2B);
console.log("bench/latency — threshold-crossing packet → drop in force");
console.log(`HoneyMesh unverified (3rd-port SYN → XDP ban map entry)       ${summary(unverified)}`);
console.log(`HoneyMesh verified (trap handshake start → XDP ban map entry) ${summary(verified)}`);
console.log(breakdown);
console.log(`Fail2Ban 1.0.2 (3rd log line → nftables set)                  ${summary(f2b)}`);
console.log(`ratio at p50 (unverified): ${(quantile(f2b, 0.5) / quantile(unverified, 0.5)).toFixed(0)}×   at p99: ${(quantile(f2b, 0.99) / quantile(unverified, 0.99)).toFixed(0)}×   (goals: HoneyMesh p99 ≤ 10 ms, ≥ 50× faster)`);
console.log(`ratio at p50 (verified): ${(quantile(f2b, 0.5) / quantile(verified, 0.5)).toFixed(0)}×   at p99: ${(quantile(f2b, 0.99) / quantile(verified, 0.99)).toFixed(0)}×`);
