import { describe, expect, test } from "bun:test";
import { PublishBatcher } from "./publish-batcher.ts";

/** A broker stand-in whose acknowledgements the test releases by hand. */
function fakeBroker() {
  const sent: { topic: string; items: string[] }[] = [];
  const acks: { ok: () => void; fail: (e: Error) => void }[] = [];
  const send = (topic: string, items: readonly string[]) =>
    new Promise<void>((ok, fail) => {
      sent.push({ topic, items: [...items] });
      acks.push({ ok, fail });
    });
  return { sent, acks, send };
}
const settle = () => new Promise((r) => setImmediate(r));

describe("PublishBatcher", () => {
  test("an idle topic sends at once, alone; what waits behind it goes as one batch", async () => {
    const b = fakeBroker();
    const p = new PublishBatcher(b.send, { maxBytes: 1_000, maxItems: 100, maxQueuedBytes: 10_000 });
    const first = p.push("t", '{"d":1}');
    expect(b.sent).toEqual([{ topic: "t", items: ['{"d":1}'] }]);
    const rest = [2, 3, 4].map((n) => p.push("t", `{"d":${n}}`));
    expect(b.sent).toHaveLength(1);
    b.acks[0]!.ok();
    await first;
    await settle();
    expect(b.sent[1]).toEqual({ topic: "t", items: ['{"d":2}', '{"d":3}', '{"d":4}'] });
    b.acks[1]!.ok();
    await Promise.all(rest);
    expect(b.sent).toHaveLength(2);
    expect(p.queued).toBe(0);
  });

  test("topics batch independently", () => {
    const b = fakeBroker();
    const p = new PublishBatcher(b.send, { maxBytes: 1_000, maxItems: 100, maxQueuedBytes: 10_000 });
    void p.push("a", "1");
    void p.push("b", "2");
    expect(b.sent.map((s) => s.topic)).toEqual(["a", "b"]);
  });

  test("a batch is cut at maxBytes and maxItems", async () => {
    const b = fakeBroker();
    const p = new PublishBatcher(b.send, { maxBytes: 25, maxItems: 3, maxQueuedBytes: 10_000 });
    void p.push("t", "x");
    for (let i = 0; i < 5; i++) void p.push("t", "0123456789");
    b.acks[0]!.ok();
    await settle();
    // 10 bytes + a separator each: two fit under 25.
    expect(b.sent[1]!.items).toHaveLength(2);
    const c = fakeBroker();
    const q = new PublishBatcher(c.send, { maxBytes: 1_000, maxItems: 3, maxQueuedBytes: 10_000 });
    void q.push("t", "x");
    for (let i = 0; i < 5; i++) void q.push("t", "y");
    c.acks[0]!.ok();
    await settle();
    expect(c.sent[1]!.items).toEqual(["y", "y", "y"]);
  });

  test("a lone item larger than maxBytes still goes, alone", () => {
    const b = fakeBroker();
    const p = new PublishBatcher(b.send, { maxBytes: 4, maxItems: 3, maxQueuedBytes: 10_000 });
    void p.push("t", "0123456789");
    expect(b.sent[0]!.items).toEqual(["0123456789"]);
  });

  test("past maxQueuedBytes a publish is refused at once; a failed send rejects every item it carried", async () => {
    const b = fakeBroker();
    const p = new PublishBatcher(b.send, { maxBytes: 1_000, maxItems: 100, maxQueuedBytes: 18 });
    const first = p.push("t", "0123456789"); // sent at once: no longer waiting
    const second = p.push("t", "0123456789");
    // Bytes are counted in UTF-8: three 3-byte characters do not fit in the 8 bytes left…
    await expect(p.push("t", "€€€")).rejects.toThrow("publish queue full");
    // …three ASCII ones do.
    const third = p.push("t", "abc");
    b.acks[0]!.fail(new Error("gone"));
    await expect(first).rejects.toThrow("gone");
    await settle();
    const rest = Promise.allSettled([second, third]);
    b.acks[1]!.fail(new Error("still gone"));
    expect((await rest).map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual(["still gone", "still gone"]);
    expect(p.queued).toBe(0);
  });
});
