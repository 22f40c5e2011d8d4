import { openLibc } from "./libc.ts";

/**
 * Accept-queue length asked of the kernel for every trap listener; Linux caps it at
 * net.core.somaxconn (4096 by default since 5.4).
 */
export const LISTEN_BACKLOG = 4096;

/**
 * Bun listens with a fixed backlog of 512. A connect scan's burst (SYN, ACK, FIN at once) fills
 * that while the event loop is busy, and the kernel then drops SYNs (TcpExtListenOverflows): the
 * scanner retries after its 1 s SYN timeout, or is never seen. listen(2) on a socket already
 * listening only sets the new backlog (net/ipv4/af_inet.c inet_listen), so it is safe to repeat.
 * Returns whether the kernel took it.
 */
export function widenBacklog(fd: number | undefined, backlog = LISTEN_BACKLOG): boolean {
  const l = openLibc();
  if (!l || fd === undefined || !Number.isInteger(fd) || fd < 0) return false;
  return l.listen(fd, backlog) === 0;
}
