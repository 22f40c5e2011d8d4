import type { Server } from "node:net";
import type { TCPSocketListener } from "bun";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { TrapService } from "@honeymesh/schema/trap";
import { listenTcpTrap, type ProtocolFactory } from "./core/tcp-trap.ts";
import type { TrapHub } from "./core/trap-hub.ts";
import { ftpTrap } from "./protocols/ftp.ts";
import { genericTrap } from "./protocols/generic.ts";
import { httpTrap } from "./protocols/http.ts";
import { mysqlTrap } from "./protocols/mysql.ts";
import { redisTrap } from "./protocols/redis.ts";
import { smtpTrap } from "./protocols/smtp.ts";
import { telnetTrap } from "./protocols/telnet.ts";
import { loadHostKey } from "./ssh/host-key.ts";
import { listenSshTrap } from "./ssh/ssh-trap.ts";
import type { CredentialPolicy } from "./shell/credential-policy.ts";
import type { ShellDeps } from "./shell/shell-session.ts";

export interface RunningTraps {
  /** "service:port" → "listening" or why it is not. */
  state: Record<string, string>;
  failed: number;
  stop(): void;
}

/** Opens every enabled trap. A trap that cannot bind is reported, not fatal: the others still catch. */
export async function startTraps(config: FrozenConfig, hub: TrapHub, login?: { policy: CredentialPolicy; shell: ShellDeps }): Promise<RunningTraps> {
  const t = config.traps;
  const state: Record<string, string> = {};
  const bun: TCPSocketListener<unknown>[] = [];
  const node: Server[] = [];
  let failed = 0;
  const tcp: [TrapService, { enabled: boolean; port: number; banner: string }, (b: string) => ProtocolFactory][] = [
    ["telnet", t.telnet, (b) => telnetTrap(b, login?.shell.persona.hostname, login)],
    ["ftp", t.ftp, ftpTrap],
    ["http", t.http, httpTrap],
    ["smtp", t.smtp, smtpTrap],
    ["redis", t.redis, redisTrap],
    ["mysql", t.mysql, mysqlTrap],
  ];
  const open = async (name: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
      state[name] = "listening";
    } catch (e) {
      failed++;
      state[name] = (e as Error).message.slice(0, 200);
    }
  };
  if (t.ssh.enabled) {
    await open(`ssh:${t.ssh.port}`, async () => {
      node.push(await listenSshTrap({ hub, bind: t.bind, port: t.ssh.port, banner: t.ssh.banner, hostKey: loadHostKey(config.node.state_dir), ...login }));
    });
  }
  for (const [service, c, make] of tcp) {
    if (!c.enabled) continue;
    await open(`${service}:${c.port}`, () => void bun.push(listenTcpTrap({ hub, service, bind: t.bind, port: c.port, factory: make(c.banner) })));
  }
  if (t.generic.enabled) {
    for (const port of t.generic.ports) {
      await open(`generic:${port}`, () => void bun.push(listenTcpTrap({ hub, service: "generic", bind: t.bind, port, factory: genericTrap(t.generic.banner) })));
    }
  }
  return {
    state,
    failed,
    stop() {
      for (const l of bun) l.stop(true);
      for (const s of node) s.close();
    },
  };
}
