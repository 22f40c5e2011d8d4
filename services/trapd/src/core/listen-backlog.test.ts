import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { widenBacklog } from "./listen-backlog.ts";

/** The kernel's cap for a listen backlog (net.core.somaxconn). */
const somaxconn = Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));

/** A listener's backlog as the kernel reports it: ss's Send-Q of a LISTEN socket (tcp_diag idiag_wqueue). */
function backlogOf(port: number): number {
  const out = Bun.spawnSync(["ss", "-ltnH", `sport = :${port}`]).stdout.toString().trim().split(/\s+/);
  return Number(out[2]);
}

// Where somaxconn is 512 or less, Bun's 512 is already the kernel's cap: nothing to widen.
test.skipIf(somaxconn <= 512)("a Bun listener's accept queue is widened past Bun's fixed 512 (up to somaxconn)", () => {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  try {
    const before = backlogOf(l.port);
    const want = Math.min(somaxconn, 1000);
    expect(widenBacklog((l as unknown as { fd: number }).fd, want)).toBe(true);
    expect(backlogOf(l.port)).toBe(want);
    expect(before).not.toBe(want);
  } finally {
    l.stop(true);
  }
});

test("no fd, a negative one or a closed one: false, nothing thrown", () => {
  expect(widenBacklog(undefined)).toBe(false);
  expect(widenBacklog(-1)).toBe(false);
  expect(widenBacklog(1_000_000)).toBe(false);
});
