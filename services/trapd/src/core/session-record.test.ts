import { expect, test } from "bun:test";
import { shannonEntropy } from "./entropy.ts";
import { SessionRecord } from "./session-record.ts";

const at = { service: "generic" as const, src: "198.51.100.7", srcPort: 40000, dst: "192.0.2.1", dstPort: 2323 };

/** A stream of `n` bytes with a varied distribution (not uniform, not constant). */
function stream(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * i + (i >> 3)) % 97;
  return b;
}

test("payload sample and entropy do not depend on how the input was chunked", () => {
  for (const total of [0, 5, 255, 256, 257, 4096, 4097, 10_000]) {
    const all = stream(total);
    const want = { sample: Buffer.from(all.subarray(0, 4096)).toString("base64"), entropy: shannonEntropy(all) };
    for (const size of [1, 7, 300, 4096, 5000]) {
      const rec = new SessionRecord(at, 4096);
      for (let i = 0; i < total; i += size) rec.received(all.subarray(i, i + size));
      const s = rec.session();
      expect({ sample: s.payload_b64, entropy: s.entropy, bytes: s.bytes_in }).toEqual({ ...want, bytes: total });
    }
  }
});

test("with no sample configured, entropy still covers every byte", () => {
  const rec = new SessionRecord(at, 0);
  const all = stream(3000);
  rec.received(all.subarray(0, 1000));
  rec.received(all.subarray(1000));
  expect(rec.session().payload_b64).toBe("");
  expect(rec.session().entropy).toBe(shannonEntropy(all));
});

test("a session that captured nothing has empty collections, and the ones it did are copied out", () => {
  const quiet = new SessionRecord(at, 4096).session();
  expect([quiet.credentials, quiet.commands, quiet.meta, quiet.payload_b64, quiet.entropy, quiet.command_at]).toEqual([[], [], {}, "", 0, undefined]);
  const rec = new SessionRecord(at, 4096);
  rec.command("id");
  rec.credential({ method: "password", username: "root", password: "x" });
  rec.setMeta("k", "v");
  const s = rec.session();
  rec.command("uname");
  expect([s.commands, s.credentials.length, s.meta, s.command_at?.length]).toEqual([["id"], 1, { k: "v" }, 1]);
});
