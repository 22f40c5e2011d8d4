import { afterAll, expect, test } from "bun:test";
import type { Decision } from "../packages/schema/src/decision.ts";
import { TestNode, waitFor } from "./support/bus-node.ts";
import { newWriteId } from "@honeymesh/schema/decision";

const decision = (seq: number): Decision => ({
  id: newWriteId("test"), action: "ban", address: { kind: "ip", text: `198.51.100.${seq % 250}` }, reasons: 2, ttl_s: 60, origin: "n", source: "scand", evidence: [], offence: seq, at: Date.now(),
});

const node = new TestNode();
afterAll(() => node.stop());

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  test(`a broker restart (${signal}) under a steady QoS 1 stream loses no decision`, async () => {
    await node.init();
    let busd = await node.startBusd();
    // Stable client ids: the broker must keep both sessions across its restart.
    const sub = await node.client("enforcerd", `enforcerd-restart-${signal}`);
    const pub = await node.client("scand", `scand-restart-${signal}`);
    const seen = new Set<number>();
    await sub.subscribe("scand", "decision", (d) => void seen.add(d.offence));

    const total = 600;
    const sends: Promise<void>[] = [];
    for (let seq = 0; seq < total; seq++) {
      sends.push(pub.publish("decision", decision(seq)));
      if (seq === 200) {
        busd.kill(signal);
        await busd.exited;
        busd = await node.startBusd();
      }
      await Bun.sleep(2); // steady ~400 msg/s
    }
    await Promise.all(sends);
    await waitFor(() => seen.size === total, 20_000, `all ${total} decisions (have ${seen.size})`);
    expect(seen.size).toBe(total);
    await sub.close(true);
    await pub.close(true);
    busd.kill("SIGTERM");
    await busd.exited;
  }, 60_000);
}
