// bench/bus: end-to-end signed-and-verified bus messages, one publisher → busd → one subscriber.
// Prints sustained messages/s and p50/p99 latency at a fixed 1 000 msg/s.
import { join } from "node:path";
import { ROOT, TestNode } from "../../test/support/bus-node.ts";

const node = await new TestNode().init();
await node.startBusd();
const sub = Bun.spawn([process.execPath, join(import.meta.dir, "subscriber.ts"), node.stateDir, node.nodeId, String(node.busPort)], { stdin: "pipe", stdout: "pipe", stderr: "inherit", cwd: ROOT });
const lines = (async function* () {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of sub.stdout) {
    buf += decoder.decode(chunk);
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
})();
await lines.next();
const pub = await node.client("scand");
const probe = (seq: number) => ({ seq, sent_ns: (performance.timeOrigin + performance.now()) * 1e6 });

async function report(): Promise<{ count: number; rejected: number; latencies: number[] }> {
  sub.stdin.write("report\n");
  sub.stdin.flush();
  return JSON.parse((await lines.next()).value as string);
}

async function throughput(seconds: number): Promise<number> {
  await report();
  const t0 = performance.now();
  let seq = 0;
  const inflight: Promise<void>[] = [];
  while (performance.now() - t0 < seconds * 1000) {
    inflight.push(pub.publish("probe", probe(seq++)));
    if (inflight.length >= 256) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  let r = await report();
  let received = r.count;
  // Wait until the subscriber has caught up, then count end to end.
  for (let i = 0; i < 50 && received < seq; i++) {
    await Bun.sleep(100);
    r = await report();
    received += r.count;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return received / elapsed;
}

async function fixedRate(rate: number, seconds: number): Promise<{ p50: number; p99: number; max: number; count: number }> {
  await report();
  const t0 = performance.now();
  const total = rate * seconds;
  for (let seq = 0; seq < total; seq++) {
    const due = t0 + (seq * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await Bun.sleep(wait);
    void pub.publish("probe", probe(seq));
  }
  await Bun.sleep(300);
  const r = await report();
  const sorted = r.latencies.sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? Number.NaN, count: r.count };
}

await throughput(1); // warm-up
const rate = await throughput(5);
const lat = await fixedRate(1000, 5);
const fmt = (n: number) => n.toFixed(2);
console.log("bench/bus — signed (EdDSA JWS) and verified, publisher → busd → subscriber, QoS 0 probes");
console.log(`sustained throughput      ${Math.round(rate)} msg/s   (goal ≥ 5000)`);
console.log(`latency at 1000 msg/s     p50 ${fmt(lat.p50)} ms   p99 ${fmt(lat.p99)} ms   max ${fmt(lat.max)} ms   (${lat.count} msgs; goal p99 ≤ 5 ms)`);
sub.stdin.write("exit\n");
sub.stdin.flush();
await sub.exited;
await node.stop();
process.exit(0);
