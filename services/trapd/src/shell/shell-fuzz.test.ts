import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SessionRecord } from "../core/session-record.ts";
import { baseTree } from "./base-tree.ts";
import { FileTree } from "./file-tree.ts";
import { generatePersona } from "./persona.ts";
import { Quarantine } from "./quarantine.ts";
import { DEFAULT_SHELL_LIMITS } from "./session-limits.ts";
import { ShellSession } from "./shell-session.ts";
import { FakeShell } from "./shell.ts";

// Deterministic randomness, so a failure reproduces.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(16);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const PIECES = [
  "echo", "cat", "ls", "-la", "cd", "..", "/", "/proc/cpuinfo", "/etc/passwd", "wget", "curl", "http://198.51.100.1/x", "busybox", "sh", "-c", "rm", "-rf",
  "mkdir", "-p", "chmod", "+x", "777", "/tmp/x", "crontab", "-", "uname", "-a", "ps", "aux", "grep", "x", "if", "then", "else", "fi", "[", "]", "-f", "test",
  ";", "&&", "||", "|", ">", ">>", "<", "2>&1", "&", "\n", "'", '"', "`", "$(", ")", "$", "${", "}", "\\", "*", "?", "#", "=", "A=1", "$A", "$?", "printf", "%s%d%x",
  "echo -e '\\x41\\x00'", "export", "history", "eval", "sudo", "tftp", "-g", "-r", "ftpget", "scp", "h:/p", "/dev/tcp/1.2.3.4/80", "head", "-n", "99999", "tail", "wc",
];
const limits = DEFAULT_SHELL_LIMITS;

function line(): string {
  const n = 1 + Math.floor(r() * 24);
  let s = "";
  for (let i = 0; i < n; i++) {
    if (r() < 0.08) s += String.fromCharCode(Math.floor(r() * 0x2000));
    else s += pick(PIECES) + (r() < 0.7 ? " " : "");
  }
  return s;
}

const persona = generatePersona("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", rng(1));

test("10 000 random command lines: no crash, output and tree within their caps, steps bounded", () => {
  let sh = new FakeShell(persona, new FileTree(baseTree(persona), limits), "root", limits);
  const heap0 = process.memoryUsage().heapUsed;
  let maxOut = 0;
  for (let i = 0; i < 10_000; i++) {
    if (i % 200 === 0) sh = new FakeShell(persona, new FileTree(baseTree(persona), limits), "root", limits);
    const out = sh.run(line());
    maxOut = Math.max(maxOut, out.length);
  }
  // stdout and stderr of a line each have the cap.
  expect(maxOut).toBeLessThanOrEqual(limits.maxOutputPerLine * 2);
  Bun.gc(true);
  expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 * 1024 * 1024);
});

test("pathological lines stay bounded: deep substitution, long words, many operators", () => {
  const sh = new FakeShell(persona, new FileTree(baseTree(persona), limits), "root", limits);
  expect(() => sh.run("$(".repeat(5000))).not.toThrow();
  expect(() => sh.run(`echo ${"$(echo ".repeat(200)}x${")".repeat(200)}`)).not.toThrow();
  expect(sh.run("x".repeat(1_000_000)).length).toBeLessThan(limits.maxLine + 64);
  expect(sh.run(";".repeat(100_000))).toMatch(/^-bash: (syntax error|too many words)/);
  expect(sh.run("a|".repeat(3000) + "a").length).toBeLessThanOrEqual(limits.maxOutputPerLine * 2);
  sh.run(`A=${"x".repeat(5000)}`);
  expect(Number(sh.run(`echo ${"$A".repeat(4000)} | wc -c`))).toBeLessThanOrEqual(limits.maxOutputPerLine + 1);
  for (let i = 0; i < 2000; i++) sh.run(`export V${i}=1`);
  expect(sh.env.size).toBeLessThanOrEqual(256);
  expect(sh.run("echo $(cat /proc/cpuinfo /proc/cpuinfo /proc/cpuinfo /proc/cpuinfo) | cat | cat | cat").length).toBeLessThanOrEqual(limits.maxOutputPerLine);
});

test("1 000 random byte streams into the interactive terminal: no crash, bounded", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-shell-fuzz-"));
  try {
    const deps = { persona, limits, quarantine: new Quarantine(join(dir, "q"), limits.maxFileBytes, 1 << 20), transcriptDir: join(dir, "t") };
    for (let i = 0; i < 1_000; i++) {
      const rec = new SessionRecord({ service: "ssh", src: "192.0.2.1", srcPort: 1, dst: "192.0.2.2", dstPort: 22 }, 64);
      const s = new ShellSession(deps, rec, "root", { echo: true, crlf: true, width: 80, height: 24 });
      s.greeting();
      for (let k = 0; k < 8 && !s.exited; k++) {
        const bytes = Buffer.from(Array.from({ length: Math.floor(r() * 2048) }, () => (r() < 0.3 ? pick([10, 13, 27, 3, 4, 127, 91, 65]) : Math.floor(r() * 256))));
        const back = s.keys(bytes.toString("latin1"));
        expect(back.length).toBeLessThan(limits.maxOutputPerLine * 2 * 2048 + 65_536);
      }
      rec.runEndHooks();
      expect(rec.session().commands.length).toBeLessThanOrEqual(64);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
