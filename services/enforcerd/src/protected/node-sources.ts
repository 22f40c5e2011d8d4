import type { FrozenConfig } from "@honeymesh/config/schema";
import { readLiveSessions } from "./live-sessions.ts";
import { SessionReader, type SessionSnapshot } from "./session-reader.ts";
import type { ProtectedSources } from "./protected-set.ts";
import { parseMeshPeers, parseNtpConf, parseResolvConf, readText } from "./system-files.ts";

/** Every port a trap listens on: connections to them are attacks, not sessions to protect. */
export function trapPorts(config: FrozenConfig): Set<number> {
  const t = config.traps;
  const ports = new Set<number>();
  for (const trap of [t.ssh, t.telnet, t.ftp, t.http, t.smtp, t.redis, t.mysql]) if (trap.enabled) ports.add(trap.port);
  if (t.generic.enabled) for (const p of t.generic.ports) ports.add(p);
  return ports;
}

/**
 * The protected set's sources on this node: its files, its mesh config plus the peers meshd
 * reports as connected (`setPeers`, from `hm/v1/meshd/peers`), and the kernel's TCP table.
 */
export function nodeSources(config: FrozenConfig, allowed: (text: string) => boolean = () => false): ProtectedSources & { setPeers(addresses: readonly string[]): void } {
  const traps = trapPorts(config);
  let connected: string[] = [];
  // What the allowlist already covers (loopback, own addresses, …) is not listed again.
  const fresh = (texts: string[]) => texts.filter((t) => !allowed(t));
  const reader = new SessionReader({ trapPorts: traps });
  /** What the allowlist covers needs no protecting (filters the set in place). */
  const withoutAllowed = (live: Set<string>) => {
    for (const t of live) if (allowed(t)) live.delete(t);
    return live;
  };
  let seen: SessionSnapshot | undefined;
  return {
    setPeers: (addresses) => void (connected = addresses.slice(0, 1024)),
    fixed: () => ({
      resolver: fresh(parseResolvConf(readText(config.node.resolv_conf))),
      ntp: fresh(config.node.ntp_confs.flatMap((p) => parseNtpConf(readText(p)))),
      peer: fresh([...parseMeshPeers(config.mesh.bootstrap, config.mesh.clusters), ...connected]),
    }),
    sessions: () => withoutAllowed(readLiveSessions(traps)),
    background: {
      touch: (now) => reader.touch(now),
      snapshot: () => {
        const s = reader.snapshot();
        // Each snapshot is a fresh set from the worker: filtered once, when first seen.
        if (s && s !== seen) withoutAllowed((seen = s).set);
        return s;
      },
      close: () => reader.close(),
    },
  };
}
