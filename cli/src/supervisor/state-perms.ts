import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { assignKeyOwners } from "@honeymesh/keys/owners";
import { BUS_IDENTITIES, SERVICES, type ServiceName } from "@honeymesh/schema/services";
import { logDir, runDir } from "../paths.ts";
import type { Logger } from "@honeymesh/telemetry/logger";
import type { ServiceUsers } from "./service-users.ts";

/** What each service owns in the state dir besides its key: its database and its own directory. */
function ownedBy(svc: ServiceName): string[] {
  const own = [svc, `${svc}.sqlite`, `${svc}.sqlite-wal`, `${svc}.sqlite-shm`, `${svc}.sqlite-journal`];
  if (svc === "busd") own.push("bus-sessions.json", "bus-sessions.json.tmp");
  return own;
}

/** chown -R, without following symbolic links (lchown semantics via lstat). */
function chownTree(path: string, uid: number, gid: number): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  chownSync(path, uid, gid);
  if (st.isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), uid, gid);
}

/** Takes every permission from "other" below `path` (files 0640 or tighter, dirs 0750 or tighter). */
function closeToOthers(path: string): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  if ((st.mode & 0o007) !== 0) chmodSync(path, st.mode & 0o7770);
  if (st.isDirectory()) for (const e of readdirSync(path)) closeToOthers(join(path, e));
}

/**
 * The state dir's owners and modes before `up` as root starts services under their own users
 * (LAYOUT "State dir"): keys per service, each service's files its own, nothing for "other".
 *
 * The state dir and run dir are 01770 root:honeymesh, not 0750: services create their SQLite
 * files (with -wal/-shm beside them) in the state dir, and busd (apid) its socket in run/, so
 * the group needs write; the sticky bit keeps one service from removing or replacing another's
 * files (unlink(2)/rename(2), EPERM in a sticky directory for a file one does not own).
 */
export function prepareStateDir(stateDir: string, users: ServiceUsers, enforcerPinRoot: string, logger: Logger): void {
  const gid = users.gid;
  mkdirSync(stateDir, { recursive: true, mode: 0o750 });
  for (const d of [runDir(stateDir), logDir(stateDir)]) mkdirSync(d, { recursive: true, mode: 0o750 });
  chownSync(stateDir, 0, gid);
  chmodSync(stateDir, 0o1770);
  chownSync(runDir(stateDir), 0, gid);
  chmodSync(runDir(stateDir), 0o1770);
  // Logs are written by the supervisor through the fds it hands each service.
  chownSync(logDir(stateDir), 0, 0);
  chmodSync(logDir(stateDir), 0o750);
  for (const f of ["node-id", "run/bundle"]) {
    const p = join(stateDir, f);
    if (existsSync(p)) chownTree(p, 0, gid);
  }
  const owners = new Map<string, number>();
  for (const svc of SERVICES) {
    const as = users.byService.get(svc)!;
    owners.set(svc, as.uid);
    for (const f of ownedBy(svc)) {
      const p = join(stateDir, f);
      if (existsSync(p)) chownTree(p, as.uid, gid);
    }
  }
  // Identities that are not services (the CLI's) keep root as owner.
  for (const id of BUS_IDENTITIES) if (!owners.has(id)) owners.set(id, 0);
  assignKeyOwners(stateDir, owners, gid);
  closeToOthers(stateDir);
  // enforcerd pins its maps and links below its pin root (bpffs honours file permissions).
  try {
    mkdirSync(enforcerPinRoot, { recursive: true, mode: 0o700 });
    chownTree(enforcerPinRoot, users.byService.get("enforcerd")!.uid, gid);
  } catch (e) {
    logger.warn("cannot give enforcerd its bpffs pin root; it will report the kernel path degraded", { pin_root: enforcerPinRoot, err: e as Error });
  }
}
