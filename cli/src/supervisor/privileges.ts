import type { FrozenConfig } from "@honeymesh/config/schema";
import type { ServiceName } from "@honeymesh/schema/services";
import type { RunAs } from "./service-users.ts";

/** enforcerd loads XDP programs and maps (CAP_BPF, CAP_PERFMON) and attaches them to interfaces (CAP_NET_ADMIN). */
const ENFORCERD_CAPS = ["bpf", "net_admin", "perfmon"];

/** Every trap port this config listens on. */
export function trapPorts(config: FrozenConfig): number[] {
  const ports: number[] = [];
  for (const trap of Object.values(config.traps as Record<string, unknown>)) {
    if (typeof trap !== "object" || trap === null || (trap as { enabled?: unknown }).enabled !== true) continue;
    const t = trap as { port?: unknown; ports?: unknown };
    if (typeof t.port === "number") ports.push(t.port);
    if (Array.isArray(t.ports)) for (const p of t.ports) if (typeof p === "number") ports.push(p);
  }
  return ports;
}

/** The capabilities a service keeps (capabilities(7) names without CAP_): nothing but what it needs. */
export function capabilitiesOf(name: ServiceName, config: FrozenConfig): string[] {
  if (name === "enforcerd") return ENFORCERD_CAPS;
  // Binding a port below 1024 (ip_unprivileged_port_start, ip(7)) needs CAP_NET_BIND_SERVICE.
  if (name === "trapd" && trapPorts(config).some((p) => p < 1024)) return ["net_bind_service"];
  return [];
}

/**
 * The setpriv(1) prefix that starts a service as its own user with exactly `caps`: they go
 * into the inheritable and ambient sets (so they survive the change of uid and the execve,
 * capabilities(7) "Ambient capability set") and the bounding set holds nothing else, so
 * nothing can add any later; no_new_privs stops setuid binaries from giving any back.
 */
export function setprivPrefix(as: RunAs, caps: readonly string[]): string[] {
  const set = ["-all", ...caps.map((c) => `+${c}`)].join(",");
  // setpriv takes either --init-groups (the account's groups) or an explicit --groups list; a
  // service with extra groups (logd) gets the node group plus exactly those.
  const groups = as.extraGroups?.length ? `--groups=${[as.gid, ...as.extraGroups].join(",")}` : as.initGroups ? "--init-groups" : "--clear-groups";
  return [
    "setpriv",
    `--reuid=${as.uid}`,
    `--regid=${as.gid}`,
    groups,
    "--no-new-privs",
    `--inh-caps=${set}`,
    ...(caps.length > 0 ? [`--ambient-caps=${set}`] : []),
    `--bounding-set=${set}`,
    "--",
  ];
}
