import net from "node:net";
import ssh2 from "ssh2";
import { normalizeAddress } from "../core/address.ts";
import { widenBacklog } from "../core/listen-backlog.ts";
import { peerOf } from "../core/peer-address.ts";
import type { SessionRecord } from "../core/session-record.ts";
import type { TrapHub } from "../core/trap-hub.ts";
import { TrapdError } from "../errors.ts";
import { parseClientKexinit } from "./hassh.ts";
import type { CredentialPolicy } from "../shell/credential-policy.ts";
import type { ShellDeps } from "../shell/shell-session.ts";
import { trapAuthentication } from "./ssh-auth.ts";
import { serveSessions } from "./ssh-session.ts";

export interface SshTrapOptions {
  hub: TrapHub;
  bind: string;
  port: number;
  /** Full identification, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3". */
  banner: string;
  hostKey: string;
  /** Logins the policy accepts get the fake shell; without these every login is refused. */
  policy?: CredentialPolicy;
  shell?: ShellDeps;
}

// What the KEXINIT tap may hold: the identification line plus one 35000-byte packet.
const MAX_HEAD = 40_000;

/**
 * A real SSH server (ssh2) behind our own listener: the listener admits the socket under the
 * hub's caps and taps what arrives (bytes, payload sample, the client's KEXINIT for HASSH) before
 * ssh2 speaks the protocol.
 */
export async function listenSshTrap(o: SshTrapOptions): Promise<net.Server> {
  const { hub } = o;
  const ident = o.banner.startsWith("SSH-2.0-") ? o.banner.slice(8) : o.banner;
  const records = new Map<string, SessionRecord>();
  const ssh = new ssh2.Server({ hostKeys: [o.hostKey], ident }, (client, info) => {
    client.on("error", () => {}); // protocol errors end the socket; its close records the session
    const rec = records.get(`${info.ip}|${info.port}`);
    if (!rec) return void client.end();
    rec.setMeta("client_version", info.header.identRaw);
    let user = "root";
    trapAuthentication(client, rec, hub.limits.authDelayMs, o.shell ? o.policy : undefined, (u) => (user = u));
    if (o.shell) serveSessions(client, rec, o.shell, () => user);
  });
  ssh.on("error", () => {});

  const server = net.createServer((sock) => {
    const key = `${sock.remoteAddress}|${sock.remotePort}`;
    sock.on("error", () => {});
    // A connect scan resets the socket before we see it: node:net's remoteAddress is then empty
    // and the kernel is asked (peer-address.ts).
    const peer = peerOf(sock.remoteAddress, sock.remotePort, (sock as unknown as { _handle?: { fd?: number } })._handle?.fd);
    if (!peer) {
      hub.drops.inc("no_peer_address");
      return void sock.destroy();
    }
    const rec = hub.open(
      { service: "ssh", src: peer.address, srcPort: peer.port, dst: normalizeAddress(sock.localAddress), dstPort: sock.localPort ?? o.port },
      () => {
        rec?.sent(sock.bytesWritten);
        sock.destroy();
      },
    );
    if (!rec) return void sock.destroy();
    // ssh2 finds the record by the runtime's address: a reset socket (no address) never reaches it.
    if (sock.remoteAddress) records.set(key, rec);
    let head: Buffer | undefined = Buffer.alloc(0);
    // Registered before ssh2's own listener, so caps apply before it parses anything.
    sock.on("data", (chunk: Buffer) => {
      if (!hub.received(rec, chunk) || !head) return;
      head = Buffer.concat([head, chunk]);
      const k = parseClientKexinit(head);
      if (k === "more") {
        if (head.indexOf(10) < 0 && head.length > hub.limits.maxLine) hub.cut(rec, "line_cap");
        else if (head.length > MAX_HEAD) head = undefined;
        return;
      }
      if (k) {
        rec.setMeta("hassh", k.hassh);
        // Each list on its own (a meta value holds 512 characters; the joined string can be longer).
        ["hassh_kex", "hassh_enc", "hassh_mac", "hassh_cmp"].forEach((name, i) => rec.setMeta(name, k.lists[i]!));
      }
      head = undefined;
    });
    sock.once("close", () => {
      records.delete(key);
      if (!rec.endReason) rec.sent(sock.bytesWritten);
      hub.finish(rec);
    });
    ssh.injectSocket(sock);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new TrapdError("TRAPD_BIND", `cannot listen for the ssh trap on [${o.bind}]:${o.port}: ${e.message}`)));
    server.listen({ host: o.bind, port: o.port }, () => resolve());
  });
  server.on("error", () => {});
  widenBacklog((server as unknown as { _handle?: { fd?: number } })._handle?.fd);
  return server;
}
