// nmap -sV and real attacker clients (ssh/sshpass, curl, redis-cli, lftp) from an attacker
// namespace against the real trapd process in the victim namespace. Every session is checked
// twice: in what trapd published on the bus, and in what it stored in trapd.sqlite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { TrapNode } from "./harness.ts";

const missing = ["nmap", "ssh", "sshpass", "curl", "redis-cli", "lftp", "nsenter"].filter((t) => !Bun.which(t));
const skip = process.getuid?.() !== 0 ? "needs root for network namespaces" : missing.length ? `missing tools (apt-get install -y nmap openssh-client sshpass curl redis-tools lftp): ${missing.join(", ")}` : undefined;
if (skip) console.warn(`trapd real-client tests skipped: ${skip}`);

describe.skipIf(Boolean(skip))("trapd against real clients from an attacker namespace", () => {
  let pair: NetnsPair;
  let trap: TrapNode;
  const attacker = (argv: string[], timeoutMs = 60_000) => pair.run("attacker", argv, timeoutMs);

  beforeAll(async () => {
    pair = createNetnsPair();
    trap = await new TrapNode({ HONEYMESH_TRAPS_MAX_CONCURRENT_PER_SOURCE: "64" }, pair).start();
    // On failure, say which trap did not listen and why (trapd's health names each one).
    const health = trap.lines.findLast((l) => l.topic === "health")?.d;
    expect(trap.metrics()?.traps_listening, JSON.stringify(health)).toBe(7);
  });
  afterAll(async () => {
    await trap?.stop();
    pair?.destroy();
  });

  test("nmap -sV names each trap as the product its banner claims", async () => {
    const p = trap.ports;
    const r = await attacker(["nmap", "-sV", "-Pn", "-n", "-p", [p.ssh, p.ftp, p.http, p.smtp, p.redis, p.mysql].join(","), pair.victim.v4], 180_000);
    expect(r.code).toBe(0);
    const line = (port: number) => r.stdout.split("\n").find((l) => l.startsWith(`${port}/tcp`)) ?? "";
    expect(line(p.ssh)).toMatch(/open\s+ssh\s+OpenSSH 9\.2p1 Debian 2\+deb12u3/);
    expect(line(p.ftp)).toMatch(/open\s+ftp\s+vsftpd 3\.0\.3/);
    expect(line(p.http)).toMatch(/open\s+http\s+nginx 1\.22\.1/);
    expect(line(p.smtp)).toMatch(/open\s+smtp\s+Postfix smtpd/);
    expect(line(p.redis)).toMatch(/open\s+redis\s+Redis key-value store/);
    expect(line(p.mysql)).toMatch(/open\s+mysql\s+MySQL 8\.0\.36-0\+deb12u1/);
    // nmap's connections were published as hits from the attacker's address.
    expect(trap.hits().some((h) => h.src === pair.attacker.v4 && h.service === "mysql")).toBe(true);
  }, 200_000);

  test("ssh with passwords (sshpass): every password and the client's HASSH are in the session record", async () => {
    const from = trap.lines.length;
    const r = await attacker([
      "sshpass", "-p", "Winter2024!", "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
      "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1", "-p", String(trap.ports.ssh), `oracle@${pair.victim.v4}`, "id",
    ]);
    expect(r.code).not.toBe(0); // always refused
    expect(r.stderr).toContain("Permission denied");
    const s = await trap.waitSession((x) => x.service === "ssh" && x.src === pair.attacker.v4 && x.credentials.some((c) => c.password === "Winter2024!"), "ssh session");
    expect(trap.lines.slice(from).some((l) => l.topic === "hit" && l.d.session_id === s.session_id)).toBe(true);
    expect(s.credentials[0]).toEqual({ method: "password", username: "oracle", password: "Winter2024!" });
    expect(s.meta.client_version).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(s.meta.hassh).toMatch(/^[0-9a-f]{32}$/);
    // HASSH recomputed here from the four lists trapd read off the wire (salesforce/hassh).
    const lists = [s.meta.hassh_kex, s.meta.hassh_enc, s.meta.hassh_mac, s.meta.hassh_cmp].join(";");
    expect(s.meta.hassh_kex).toContain("curve25519-sha256");
    expect(s.meta.hassh).toBe(new Bun.CryptoHasher("md5").update(lists).digest("hex"));
    const row = await trap.waitStored(s.session_id);
    expect(row.credentials).toEqual(s.credentials);
    expect(row.meta.hassh).toBe(s.meta.hassh);
    expect(Buffer.from(row.payload).subarray(0, 8).toString()).toBe("SSH-2.0-");
  }, 60_000);

  test("ssh over IPv6 with a public key: the key's fingerprint is captured", async () => {
    const dir = (await attacker(["mktemp", "-d"])).stdout.trim();
    await attacker(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", `${dir}/id`]);
    const fp = (await attacker(["ssh-keygen", "-l", "-f", `${dir}/id.pub`])).stdout.split(" ")[1]!;
    // IPv6 neighbour discovery on a fresh veth can eat the first SYNs on a loaded machine: retry.
    for (let i = 0; i < 3 && !trap.sessions().some((x) => x.service === "ssh" && x.src === pair.attacker.v6); i++) {
      await attacker([
        "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=5",
        "-i", `${dir}/id`, "-p", String(trap.ports.ssh), `admin@${pair.victim.v6}`, "true",
      ]);
      await Bun.sleep(500);
    }
    await attacker(["rm", "-rf", dir]);
    const s = await trap.waitSession((x) => x.service === "ssh" && x.src === pair.attacker.v6, "ssh v6 session");
    expect(s.credentials).toContainEqual({ method: "publickey", username: "admin", key_fingerprint: fp });
    expect((await trap.waitStored(s.session_id)).credentials).toContainEqual({ method: "publickey", username: "admin", key_fingerprint: fp });
  }, 60_000);

  test("curl POSTing a login form: method, path, user agent, body and credentials captured", async () => {
    const r = await attacker(["curl", "-s", "-i", "-A", "evil-scanner/1.0", "--data", "log=admin&pwd=hunter2&wp-submit=Log+In", `http://${pair.victim.v4}:${trap.ports.http}/wp-login.php`]);
    expect(r.stdout).toContain("Server: nginx/1.22.1");
    expect(r.stdout).toContain("The password you entered");
    const s = await trap.waitSession((x) => x.service === "http" && x.meta.user_agent === "evil-scanner/1.0", "http session");
    expect(s.meta.method).toBe("POST");
    expect(s.meta.path).toBe("/wp-login.php");
    expect(s.meta.body).toBe("log=admin&pwd=hunter2&wp-submit=Log+In");
    expect(s.credentials).toEqual([{ method: "password", username: "admin", password: "hunter2" }]);
    const row = await trap.waitStored(s.session_id);
    expect(Buffer.from(row.payload).toString()).toContain("log=admin&pwd=hunter2");
    expect(row.meta.user_agent).toBe("evil-scanner/1.0");
  }, 30_000);

  test("redis-cli CONFIG SET dir /tmp: the command is captured", async () => {
    const r = await attacker(["redis-cli", "-h", pair.victim.v4, "-p", String(trap.ports.redis), "CONFIG", "SET", "dir", "/tmp"]);
    expect(r.stdout.trim()).toBe("OK");
    const s = await trap.waitSession((x) => x.service === "redis" && x.commands.includes("CONFIG SET dir /tmp"), "redis session");
    expect((await trap.waitStored(s.session_id)).commands).toEqual(["CONFIG SET dir /tmp"]);
  }, 30_000);

  test("an FTP client (lftp): USER and PASS captured", async () => {
    const r = await attacker(["lftp", "-e", "set ftp:ssl-allow no; set net:max-retries 1; ls; bye", "-u", "anonymous,guest@example.com", "-p", String(trap.ports.ftp), pair.victim.v4], 30_000);
    expect(`${r.stdout}${r.stderr}`).toContain("530");
    const s = await trap.waitSession((x) => x.service === "ftp" && x.credentials.some((c) => c.username === "anonymous"), "ftp session");
    expect(s.credentials[0]).toEqual({ method: "password", username: "anonymous", password: "guest@example.com" });
    expect(s.commands).toContain("USER anonymous");
    expect((await trap.waitStored(s.session_id)).credentials[0]?.password).toBe("guest@example.com");
  }, 40_000);

  test("curl over SMTP with AUTH: the login is captured and the relay refused", async () => {
    const r = await attacker([
      "bash", "-c",
      `printf 'Subject: hi\\r\\n\\r\\nspam\\r\\n' | curl -s --max-time 10 smtp://${pair.victim.v4}:${trap.ports.smtp} --user 'postmaster:letmein' --login-options AUTH=PLAIN --mail-from a@example.org --mail-rcpt b@example.net -T -`,
    ]);
    expect(r.code).not.toBe(0);
    const s = await trap.waitSession((x) => x.service === "smtp" && x.credentials.length > 0, "smtp session");
    expect(s.credentials[0]).toEqual({ method: "password", username: "postmaster", password: "letmein" });
    expect((await trap.waitStored(s.session_id)).credentials[0]?.username).toBe("postmaster");
  }, 30_000);
});
