import type { Socket, TCPSocketListener } from "bun";
import type { TrapService } from "@honeymesh/schema/trap";
import { TrapdError } from "../errors.ts";
import { normalizeAddress } from "./address.ts";
import { widenBacklog } from "./listen-backlog.ts";
import { peerOf } from "./peer-address.ts";
import type { EndReason, TrapLimits } from "./limits.ts";
import type { SessionRecord } from "./session-record.ts";
import type { TrapHub } from "./trap-hub.ts";

/** What a protocol sees of its connection. */
export interface TrapIO {
  readonly rec: SessionRecord;
  readonly limits: TrapLimits;
  write(data: string | Uint8Array): void;
  /** Closes once what was written is flushed. */
  close(): void;
  /** Ends the session at once under a named limit (line_cap, …). */
  cut(reason: EndReason): void;
}

/** One connection's protocol state; `data` only ever sees bytes within the byte cap. */
export interface TrapProtocol {
  data(chunk: Uint8Array): void;
}
export type ProtocolFactory = (io: TrapIO) => TrapProtocol;

// A peer that does not read cannot make us buffer replies without bound.
const MAX_OUT = 256 * 1024;

/**
 * One connection: its record, its protocol and what it could not write yet. A class, so its
 * methods are shared: per-connection closures were a large part of each open connection's heap.
 */
class Conn implements TrapIO {
  proto: TrapProtocol | undefined;
  out: Buffer | undefined;
  closing = false;

  constructor(
    readonly sock: Socket<Conn | undefined>,
    readonly hub: TrapHub,
    readonly rec: SessionRecord,
  ) {}

  get limits(): TrapLimits {
    return this.hub.limits;
  }

  write(data: string | Uint8Array): void {
    if (this.closing || this.rec.endReason) return;
    // Not copied: sock.write takes what it can at once, and only the rest is kept (copied) below.
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    if (this.out) {
      if (this.out.length + bytes.length > MAX_OUT) return this.hub.cut(this.rec, "write_backlog");
      this.out = Buffer.concat([this.out, bytes]);
      return;
    }
    const n = this.sock.write(bytes);
    if (n > 0) this.rec.sent(n);
    if (n < bytes.length) this.out = Buffer.from(bytes.subarray(Math.max(0, n)));
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.flush();
  }

  cut(reason: EndReason): void {
    this.hub.cut(this.rec, reason);
  }

  flush(): void {
    if (this.out) {
      const n = this.sock.write(this.out);
      if (n > 0) this.rec.sent(n);
      this.out = n >= this.out.length ? undefined : this.out.subarray(Math.max(0, n));
    }
    if (!this.out && this.closing) this.sock.end();
  }
}

export interface TcpTrapOptions {
  hub: TrapHub;
  service: TrapService;
  bind: string;
  port: number;
  factory: ProtocolFactory;
}

/** A Bun TCP listener (dual stack on "::") that feeds each connection to a protocol under the hub's limits. */
export function listenTcpTrap(o: TcpTrapOptions): TCPSocketListener<Conn | undefined> {
  const { hub } = o;
  let listener: TCPSocketListener<Conn | undefined>;
  try {
    listener = Bun.listen<Conn | undefined>({
      hostname: o.bind,
      port: o.port,
      socket: {
        open(sock) {
          // Banners and replies are small writes: Nagle would hold them behind delayed ACKs.
          sock.setNoDelay?.(true);
          // Read here, at accept: a connect scan has already reset the socket, and Bun's
          // remoteAddress (getpeername) is then empty; peerOf asks the kernel for what accept saw.
          const peer = peerOf(sock.remoteAddress, sock.remotePort, (sock as unknown as { fd?: number }).fd);
          if (!peer) {
            hub.drops.inc("no_peer_address");
            sock.terminate();
            return;
          }
          const rec = hub.open(
            { service: o.service, src: peer.address, srcPort: peer.port, dst: normalizeAddress(sock.localAddress ?? o.bind), dstPort: sock.localPort ?? o.port },
            () => sock.terminate(),
          );
          if (!rec) {
            sock.terminate();
            return;
          }
          const c = new Conn(sock, hub, rec);
          sock.data = c;
          c.proto = o.factory(c);
        },
        data(sock, chunk) {
          const c = sock.data;
          if (!c || c.closing) return;
          if (hub.received(c.rec, chunk)) c.proto?.data(chunk);
        },
        drain(sock) {
          sock.data?.flush();
        },
        end(sock) {
          // The peer half-closed: a trap has nothing more to say.
          sock.end();
        },
        close(sock) {
          if (sock.data) hub.finish(sock.data.rec);
        },
        error(sock) {
          if (sock.data) hub.finish(sock.data.rec, "error");
        },
      },
    });
  } catch (e) {
    throw new TrapdError("TRAPD_BIND", `cannot listen for the ${o.service} trap on [${o.bind}]:${o.port}: ${(e as Error).message}`);
  }
  // The listener has its fd at run time (Bun 1.x) though bun-types does not declare it.
  widenBacklog((listener as unknown as { fd?: number }).fd);
  return listener;
}
