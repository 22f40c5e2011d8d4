// An SMTP session of control bytes and multi-byte characters against the real trapd: bounded in
// characters it serialised past the bus's 64 KiB and was refused (`oversize`), so scand never saw
// its credentials. It now arrives, verified by a real bus subscriber (signature, size, schema, as
// scand's own client checks them), trimmed and marked, with its credentials intact (issue 13).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TrapNode } from "./harness.ts";

describe("trapd sessions are bounded in serialised bytes", () => {
  let trap: TrapNode;
  beforeAll(async () => {
    trap = await new TrapNode().start();
  });
  afterAll(async () => {
    await trap?.stop();
  });

  test("an SMTP session full of control bytes and multi-byte characters reaches the bus with its credentials", async () => {
    // Every byte but CR and LF below 0x20 (6 bytes each in JSON), 0xff (invalid UTF-8: U+FFFD, 3
    // bytes) and "€" (3 bytes).
    const junk = (i: number) => {
      const ctl = Buffer.from(Array.from({ length: 300 }, (_, k) => [1, 2, 3, 7, 8, 11, 12, 27, 31][(k + i) % 9]!));
      return Buffer.concat([ctl, Buffer.from([0xff, 0xfe, 0xff]), Buffer.from("€".repeat(60))]);
    };
    const lines: Buffer[] = [Buffer.concat([Buffer.from("EHLO "), junk(0), Buffer.from("\r\n")])];
    for (let i = 0; i < 64; i++) lines.push(Buffer.concat([Buffer.from("NOOP "), junk(i), Buffer.from("\r\n")]));
    const auth = Buffer.from("\0postmaster\0letmein\u0001€").toString("base64");
    lines.push(Buffer.from(`AUTH PLAIN ${auth}\r\n`));
    const replies: Buffer[] = [];
    const done = Promise.withResolvers<void>();
    const sock = await Bun.connect({
      hostname: "127.0.0.1",
      port: trap.ports.smtp,
      socket: {
        data(_s, d) {
          replies.push(Buffer.from(d));
          if (Buffer.concat(replies).includes("535 5.7.8")) done.resolve();
        },
        close: () => done.resolve(),
      },
    });
    // Read now: once the trap closed the socket, Bun no longer knows its local port.
    const port = sock.localPort;
    sock.write(Buffer.concat(lines));
    await done.promise;
    sock.write("QUIT\r\n");
    const s = await trap.waitSession((x) => x.service === "smtp" && x.src_port === port, "the control-byte smtp session on the bus");
    sock.end();
    expect(s.credentials).toEqual([{ method: "password", username: "postmaster", password: "letmein\u0001€" }]);
    expect(s.meta.truncated).toBe("bytes");
    expect(s.commands.length).toBeGreaterThan(0);
    expect(s.commands[0]!.startsWith("EHLO ")).toBe(true);
    expect(s.entropy).toBeGreaterThan(0);
    expect(Buffer.byteLength(JSON.stringify({ sessions: [s] }))).toBeLessThanOrEqual(46 * 1024);
    const row = await trap.waitStored(s.session_id);
    expect(row.credentials).toEqual(s.credentials);
    expect(row.meta.truncated).toBe("bytes");
  }, 30_000);
});
