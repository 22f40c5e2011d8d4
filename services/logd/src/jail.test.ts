import { expect, test } from "bun:test";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import { Jail } from "./jail.ts";

const line = (ip: string, s: number, user = "root") => `Nov 30 10:00:${String(s).padStart(2, "0")} h sshd[${s}]: Failed password for ${user} from ${ip} port 1 ssh2`;
const now = new Date(2026, 10, 30, 10, 0, 59).getTime();

test("maxretry within findtime fires once with the users named; older failures fall out of the window", () => {
  const j = new Jail({ name: "sshd", maxretry: 3, findtime_s: 30, bantime_s: 60, ignore: () => false }, loadFilter("sshd"));
  expect(j.line(line("198.51.100.1", 1), now).fired).toBe(null);
  expect(j.line(line("198.51.100.1", 40, "admin"), now).fired).toBe(null); // second 1 is now outside 30 s
  expect(j.line(line("198.51.100.1", 45), now).fired).toBe(null);
  const f = j.line(line("198.51.100.1", 50, "admin"), now).fired;
  expect(f).toMatchObject({ address: "198.51.100.1", count: 3, users: ["admin", "root"], summary: "sshd: 3 failures for admin, root in 10 s" });
  expect(j.tracked()).toBe(0);
  expect(j.line("Nov 30 10:00:51 h sshd[9]: Failed password for root from evil.example.org port 1 ssh2", now).failure).toBe(null);
});

test("a flood of distinct addresses is bounded: the oldest tracked address is evicted and counted", () => {
  const j = new Jail({ name: "sshd", maxretry: 5, findtime_s: 600, bantime_s: 60, ignore: () => false }, loadFilter("sshd"), 100);
  for (let i = 0; i < 250; i++) j.line(line(`198.51.${i >> 8}.${i & 255}`, 10), now);
  expect(j.tracked()).toBe(100);
  expect(j.evicted).toBe(150);
});

test("catching up on an old file, failures older than findtime are history; live, odd times count as now", () => {
  const j = new Jail({ name: "sshd", maxretry: 2, findtime_s: 30, bantime_s: 60, ignore: () => false }, loadFilter("sshd"));
  const later = now + 3_600_000;
  expect(j.line(line("198.51.100.2", 1), later, undefined, true).failure).toBe(null);
  expect(j.stale).toBe(1);
  const live = j.line(line("198.51.100.2", 2), later);
  expect(live.failure?.at).toBe(later);
});
