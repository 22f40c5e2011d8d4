import { expect, test } from "bun:test";
import { WireMeter } from "./wire-meter.ts";

class FakeStream {
  sent = 0;
  got = 0;
  constructor(readonly protocol?: string) {}
  sendData(d: Uint8Array) {
    this.sent += d.byteLength;
    return { sentBytes: d.byteLength, canSendMore: true };
  }
  onData(d: Uint8Array) {
    this.got += d.byteLength;
  }
}

test("counts bytes both ways per protocol and per connection, passing data through unchanged", () => {
  const meter = new WireMeter();
  const m = meter.metrics() as { trackMultiaddrConnection(c: unknown): void; trackProtocolStream(s: unknown): void };
  const conn = new FakeStream();
  const sync = new FakeStream("/honeymesh/sync/2");
  m.trackMultiaddrConnection(conn);
  m.trackProtocolStream(sync);
  expect(conn.sendData(new Uint8Array(100))).toEqual({ sentBytes: 100, canSendMore: true });
  conn.onData(new Uint8Array(40));
  sync.sendData(new Uint8Array(7));
  sync.onData(new Uint8Array(3));
  sync.onData(new Uint8Array(2));
  expect(conn.sent).toBe(100);
  expect(sync.got).toBe(5);
  const r = meter.report();
  expect(r.connections).toEqual({ tx: { bytes: 100, chunks: 1 }, rx: { bytes: 40, chunks: 1 }, opened: 1 });
  expect(r.protocols["/honeymesh/sync/2"]).toEqual({ tx: { bytes: 7, chunks: 1 }, rx: { bytes: 5, chunks: 2 }, opened: 1 });
});

test("a peer inventing protocol names cannot grow the table without bound", () => {
  const meter = new WireMeter();
  const m = meter.metrics() as { trackProtocolStream(s: unknown): void };
  for (let i = 0; i < 1000; i++) m.trackProtocolStream(new FakeStream(`/made-up/${i}`));
  const names = Object.keys(meter.report().protocols);
  expect(names.length).toBeLessThanOrEqual(33);
  expect(meter.report().protocols.other?.opened).toBe(1000 - 32);
});
