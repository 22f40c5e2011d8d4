import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseTree } from "./base-tree.ts";
import { FileTree } from "./file-tree.ts";
import { generatePersona, loadPersona } from "./persona.ts";
import { DEFAULT_SHELL_LIMITS } from "./session-limits.ts";
import { FakeShell } from "./shell.ts";

const BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";
const shellOf = (seed: number) => {
  let a = seed;
  const r = () => ((a = (a * 1103515245 + 12345) % 2147483648), a / 2147483648);
  const p = generatePersona(BANNER, r);
  return new FakeShell(p, new FileTree(baseTree(p), DEFAULT_SHELL_LIMITS), "root", DEFAULT_SHELL_LIMITS);
};
// What the battery of probes botnets use to spot Cowrie (cowrie#1102, #1512) would print.
const PROBES = ["uname -a", "hostname", "ls /home", "cat /etc/passwd", "ps aux", "w", "cat /proc/version", "cat /etc/hostname", "id", "cat /proc/cpuinfo | head -5", "free"];

test("two personas differ in uname -a, host name and file tree", () => {
  const a = shellOf(1);
  const b = shellOf(2);
  expect(a.run("uname -a")).not.toBe(b.run("uname -a"));
  expect(a.run("hostname")).not.toBe(b.run("hostname"));
  expect(a.run("ls /home; cat /etc/passwd | tail -2")).not.toBe(b.run("ls /home; cat /etc/passwd | tail -2"));
});

test("no persona shows Cowrie's known fingerprints (user richard/phil, host svr04, kernel 3.2.0-4-amd64)", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const sh = shellOf(seed);
    const out = PROBES.map((p) => sh.run(p)).join("\n");
    for (const tell of ["richard", "phil", "svr04", "3.2.0-4-amd64", "cowrie", "Jun22", "Jun23", "@LocalHost:]", "EmbyLinux"]) expect(out).not.toContain(tell);
  }
});

test("the persona promised by a Debian banner is Debian; an Ubuntu banner gets Ubuntu", () => {
  expect(shellOf(3).run("cat /etc/os-release")).toContain("ID=debian");
  const p = generatePersona("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10");
  expect(p.distro).toBe("ubuntu2204");
  expect(p.kernel).toMatch(/-generic$/);
});

test("a node keeps its persona in the state dir across restarts", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-persona-"));
  try {
    const first = loadPersona(dir, BANNER);
    expect(loadPersona(dir, BANNER)).toEqual(first);
    const other = mkdtempSync(join(tmpdir(), "hm-persona-"));
    expect(loadPersona(other, BANNER).hostname === first.hostname && loadPersona(other, BANNER).kernel === first.kernel && loadPersona(other, BANNER).mac === first.mac).toBe(false);
    rmSync(other, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
