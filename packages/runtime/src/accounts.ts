import { readFileSync } from "node:fs";

/** The group every HoneyMesh service user belongs to (shared files, the bus and API sockets). */
export const NODE_GROUP = "honeymesh";

/** The unprivileged user a service runs as under `honeymesh up` as root and under systemd. */
export const serviceUser = (service: string) => `honeymesh-${service}`;

function field(file: string, name: string, idIndex: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f[0] === name && f[idIndex] !== undefined && /^\d+$/.test(f[idIndex]!)) return Number(f[idIndex]);
  }
  return undefined;
}

/** A local group's gid from /etc/group, or undefined (no NSS: system groups are local files). */
export const groupId = (name: string): number | undefined => field("/etc/group", name, 2);

/** A local user's uid and primary gid from /etc/passwd, or undefined. */
export function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = field("/etc/passwd", name, 2);
  const gid = field("/etc/passwd", name, 3);
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}
