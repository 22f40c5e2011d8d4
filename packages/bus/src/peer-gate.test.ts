import { expect, test } from "bun:test";
import { PeerGate } from "./peer-gate.ts";

/** A bus stand-in: the gate only subscribes to one health topic. */
function fakeBus() {
  let handler: (() => void) | undefined;
  let subscribed = "";
  return {
    bus: {
      subscribe: async (producer: string, kind: string, fn: () => void) => {
        subscribed = `${producer}/${kind}`;
        handler = fn;
      },
    } as never,
    hear: () => handler?.(),
    subscribed: () => subscribed,
  };
}

test("closed until the consumer's health is heard; waiters run once, in order", async () => {
  const f = fakeBus();
  const gate = await PeerGate.watch(f.bus, "enforcerd", 60_000);
  expect(f.subscribed()).toBe("enforcerd/health");
  const ran: number[] = [];
  gate.whenOpen(() => ran.push(1));
  gate.whenOpen(() => ran.push(2));
  expect([gate.open, ran]).toEqual([false, []]);
  f.hear();
  f.hear();
  expect([gate.open, gate.openedBy, ran]).toEqual([true, "heard", [1, 2]]);
  gate.whenOpen(() => ran.push(3));
  expect(ran).toEqual([1, 2, 3]);
  gate.stop();
});

test("opens after the grace time when the consumer never speaks", async () => {
  const gate = await PeerGate.watch(fakeBus().bus, "scand", 30);
  expect(gate.open).toBe(false);
  await Bun.sleep(60);
  expect([gate.open, gate.openedBy]).toEqual([true, "grace"]);
});
