import { expect, test } from "bun:test";
import { context } from "@opentelemetry/api";
import type { Decision } from "@honeymesh/schema/decision";
import { DecisionQueue } from "./decision-queue.ts";

const d = (i: number) => ({ id: `d${i}` }) as unknown as Decision;

test("while the consumer is not listening decisions wait in the bounded queue; release publishes them in order", async () => {
  const out: string[] = [];
  let listening = false;
  const q = new DecisionQueue(1000, 3, async (x) => void out.push((x as unknown as { id: string }).id), () => listening);
  for (let i = 1; i <= 4; i++) q.push(d(i), context.active());
  expect([out, q.depth, q.counters.get("dropped_queue_full")]).toEqual([[], 3, 1]);
  listening = true;
  q.release();
  await Bun.sleep(0);
  expect([out, q.depth]).toEqual([["d1", "d2", "d3"], 0]);
  q.stop();
});
