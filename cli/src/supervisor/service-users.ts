import { SERVICES, type ServiceName } from "@honeymesh/schema/services";
import { groupId, NODE_GROUP, serviceUser, userIds } from "@honeymesh/runtime/accounts";
import type { Logger } from "@honeymesh/telemetry/logger";

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
  /** setpriv's --init-groups needs a passwd entry with the node group; the fallback has none. */
  initGroups: boolean;
  /** Supplementary groups beyond the node group (logd: the groups that may read logs). */
  extraGroups?: number[];
}

/**
 * logd reads the logs its jails name: on Debian /var/log/auth.log, syslog, nginx/ etc. are group
 * `adm`, and journalctl reads the journal as a member of `systemd-journal` (or `adm`, through the
 * ACL on /var/log/journal). The same groups the systemd unit gives it (SupplementaryGroups=);
 * a group the system lacks is left out.
 */
export const LOG_GROUPS = ["adm", "systemd-journal"];
const extraGroupsOf = (svc: ServiceName): number[] | undefined =>
  svc === "logd" ? LOG_GROUPS.map(groupId).filter((g): g is number => g !== undefined) : undefined;

export interface ServiceUsers {
  /** The node group's gid: shared files, the bus socket. */
  gid: number;
  byService: Map<ServiceName, RunAs>;
  /** True when the per-service users could not be made and every service runs as nobody. */
  fallback: boolean;
}

const run = (cmd: string[]) => Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" });

/**
 * Makes sure the group `honeymesh` and one system user per service exist (LAYOUT: honeymesh-<svc>,
 * primary group honeymesh, no home, no login shell). Only called as root. If they cannot be
 * made (no useradd, read-only /etc), every service runs as nobody:nogroup instead: still not root,
 * but the services can then read each other's files, so this is said loudly.
 */
export function ensureServiceUsers(logger: Logger): ServiceUsers {
  const problems: string[] = [];
  if (groupId(NODE_GROUP) === undefined) {
    const r = run(["groupadd", "--system", NODE_GROUP]);
    if (r.exitCode !== 0) problems.push(`groupadd ${NODE_GROUP}: ${r.stderr.toString().trim() || `exit ${r.exitCode}`}`);
  }
  const gid = groupId(NODE_GROUP);
  const byService = new Map<ServiceName, RunAs>();
  if (gid !== undefined) {
    for (const svc of SERVICES) {
      const user = serviceUser(svc);
      if (!userIds(user)) {
        const r = run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--gid", NODE_GROUP, user]);
        if (r.exitCode !== 0) problems.push(`useradd ${user}: ${r.stderr.toString().trim() || `exit ${r.exitCode}`}`);
      }
      const ids = userIds(user);
      if (ids) byService.set(svc, { user, uid: ids.uid, gid, initGroups: true, extraGroups: extraGroupsOf(svc) });
    }
  }
  if (gid !== undefined && byService.size === SERVICES.length) return { gid, byService, fallback: false };

  const nobody = userIds("nobody") ?? { uid: 65534, gid: 65534 };
  logger.warn("cannot create the honeymesh service users; every service runs as nobody (enforcerd with its capabilities), all sharing one uid", { problems });
  for (const svc of SERVICES) byService.set(svc, { user: "nobody", uid: nobody.uid, gid: nobody.gid, initGroups: false });
  return { gid: nobody.gid, byService, fallback: true };
}
