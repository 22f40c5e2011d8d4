// Sessions at their character bounds, for the session-fit and batcher tests.
import { SessionRecord } from "./session-record.ts";

/** n control characters (1..31): 6 bytes each in JSON ("\u0001"). */
export const ctl = (n: number, seed = 1) => Array.from({ length: n }, (_, i) => String.fromCharCode((i + seed) % 31 + 1)).join("");

/** A record filled to every character bound with what serialises largest. */
export function hostileRecord(text: (n: number, i: number) => string = ctl): SessionRecord {
  const rec = new SessionRecord({ service: "smtp", src: "198.51.100.7", srcPort: 40_000, dst: "192.0.2.1", dstPort: 25 }, 4096);
  rec.received(Buffer.from(text(4096, 0), "utf8").subarray(0, 4096));
  for (let i = 0; i < 64; i++) rec.command(text(512, i));
  for (let i = 0; i < 16; i++) rec.setMeta(`k${i}`, text(512, i));
  for (let i = 0; i < 64; i++) rec.credential({ method: "password", username: `u${i}-${text(250, i)}`, password: `p${i}-${text(250, i)}` });
  return rec;
}

