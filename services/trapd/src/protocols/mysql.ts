import type { ProtocolFactory } from "../core/tcp-trap.ts";
import { errPacket, handshakeV10, parseHandshakeResponse } from "./mysql-packets.ts";

// A login packet is small; anything bigger before it is complete is hostile.
const MAX_FIRST_PACKET = 16 * 1024;
let threadIds = 8;

/** MySQL 8 (protocol v10): captures the login user, database, plugin and client attributes; refuses. */
export function mysqlTrap(version: string): ProtocolFactory {
  return (io) => {
    const { wire, scramble } = handshakeV10(version, threadIds++);
    let buf = Buffer.alloc(0);
    let done = false;
    io.write(wire);
    return {
      data(chunk) {
        if (done) return;
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 4) return;
        const len = buf.readUIntLE(0, 3);
        const seq = buf[3]!;
        if (len > MAX_FIRST_PACKET) return io.cut("line_cap");
        if (buf.length < 4 + len) return;
        done = true;
        const hr = parseHandshakeResponse(buf.subarray(4, 4 + len));
        if (!hr || hr.ssl) {
          io.write(errPacket(seq + 1, 1043, "08S01", "Bad handshake"));
          return io.close();
        }
        io.rec.credential({ method: "other", username: hr.user });
        io.rec.setMeta("auth_plugin", hr.plugin ?? "");
        io.rec.setMeta("auth_response", hr.authResponse.toString("hex"));
        io.rec.setMeta("scramble", scramble.toString("hex"));
        if (hr.database) io.rec.setMeta("database", hr.database);
        for (const [k, v] of Object.entries(hr.attrs)) io.rec.setMeta(`attr${k}`, v);
        const using = hr.authResponse.length ? "YES" : "NO";
        io.rec.later(io.limits.authDelayMs, () => {
          io.write(errPacket(seq + 1, 1045, "28000", `Access denied for user '${hr.user.slice(0, 64)}'@'${io.rec.at.src}' (using password: ${using})`));
          io.close();
        });
      },
    };
  };
}
