import { expect, test } from "bun:test";
import { FailureOutbox } from "./failure-outbox.ts";

test("nothing goes out before the consumer is seen; then everything, in order", async () => {
  const sent: number[] = [];
  const o = new FailureOutbox<number>(async (m) => void sent.push(m));
  o.push(1);
  o.push(2);
  await o.flush();
  expect([sent, o.queued]).toEqual([[], 2]);
  o.consumerUp();
  await o.flush();
  o.push(3);
  await Bun.sleep(0);
  expect(sent).toEqual([1, 2, 3]);
  expect([o.queued, o.published]).toEqual([0, 3]);
});

test("a refused publish stays queued, is retried after retryMs, and is reported once per run of refusals", async () => {
  let refuse = true;
  const sent: string[] = [];
  const errors: string[] = [];
  const o = new FailureOutbox<string>(
    async (m) => {
      if (refuse) throw new Error("offline");
      sent.push(m);
    },
    (e) => errors.push(e.message),
    1000,
    2000,
  );
  o.consumerUp();
  o.push("a");
  await Bun.sleep(0);
  o.push("b");
  await o.flush(Date.now() + 10); // too early: not even tried
  expect([o.failed, o.queued]).toEqual([1, 2]);
  await o.flush(Date.now() + 2500);
  expect([o.failed, errors]).toEqual([2, ["offline"]]);
  refuse = false;
  await o.flush(Date.now() + 5000);
  expect([sent, o.queued, o.published]).toEqual([["a", "b"], 0, 2]);
});

test("bounded: beyond max the oldest is dropped and counted", async () => {
  const sent: number[] = [];
  const o = new FailureOutbox<number>(async (m) => void sent.push(m), () => {}, 3);
  for (let i = 0; i < 5; i++) o.push(i);
  expect([o.queued, o.dropped]).toEqual([3, 2]);
  o.consumerUp(); // flushes
  await Bun.sleep(0);
  expect(sent).toEqual([2, 3, 4]);
});
