import type { CommandFn, Ctx } from "../shell.ts";
import { memUsage, unameA, uptimeSeconds } from "../proc.ts";

const flags = (c: Ctx) => c.argv.slice(1).filter((a) => a.startsWith("-")).join("").replaceAll("-", "");

const uname: CommandFn = (c) => {
  const p = c.sh.persona;
  const f = flags(c) || "s";
  if (f.includes("a") || c.argv.includes("--all")) return c.out(`${unameA(p)}\n`), 0;
  const parts: string[] = [];
  if (f.includes("s")) parts.push("Linux");
  if (f.includes("n")) parts.push(p.hostname);
  if (f.includes("r")) parts.push(p.kernel);
  if (f.includes("v")) parts.push(p.kernelBuild);
  if (f.includes("m") || f.includes("p") || f.includes("i")) parts.push("x86_64");
  if (f.includes("o")) parts.push("GNU/Linux");
  c.out(`${parts.join(" ")}\n`);
  return 0;
};

const id: CommandFn = (c) => {
  const uid = c.sh.uid;
  const u = c.sh.user;
  if (c.argv.includes("-u")) return c.out(`${uid}\n`), 0;
  if (c.argv.includes("-un") || c.argv.includes("-nu")) return c.out(`${u}\n`), 0;
  c.out(uid === 0 ? "uid=0(root) gid=0(root) groups=0(root)\n" : `uid=${uid}(${u}) gid=${uid}(${u}) groups=${uid}(${u}),24(cdrom),27(sudo),100(users)\n`);
  return 0;
};

function duration(s: number): string {
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${days > 0 ? `${days} day${days > 1 ? "s" : ""}, ` : ""}${h > 0 ? `${String(h).padStart(2)}:${String(m).padStart(2, "0")}` : `${m} min`}`;
}

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

function uptimeLine(c: Ctx): string {
  const now = Date.now();
  return ` ${clock(now)} up ${duration(uptimeSeconds(c.sh.persona, now))},  1 user,  load average: 0.08, 0.03, 0.01`;
}

const w: CommandFn = (c) => {
  c.out(`${uptimeLine(c)}\nUSER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n${c.sh.user.padEnd(8).slice(0, 8)} pts/0    ${"-".padEnd(16)} ${clock(c.sh.startedAt).slice(0, 5)}    0.00s  0.02s  0.00s w\n`);
  return 0;
};

const free: CommandFn = (c) => {
  const m = memUsage(c.sh.persona);
  const h = c.argv.includes("-h");
  const unit = c.argv.includes("-m") ? 1024 : c.argv.includes("-g") ? 1024 * 1024 : 1;
  const f = (kb: number) => (h ? (kb >= 1048576 ? `${(kb / 1048576).toFixed(1)}Gi` : `${Math.round(kb / 1024)}Mi`) : String(Math.floor(kb / unit)));
  const col = (xs: (number | string)[]) => xs.map((x) => String(typeof x === "number" ? f(x) : x).padStart(11)).join(" ");
  c.out(`${" ".repeat(15)}total        used        free      shared  buff/cache   available\nMem:    ${col([m.total, m.used, m.free, m.shared, m.cache, m.avail])}\nSwap:   ${col([m.swap, 0, m.swap])}\n`);
  return 0;
};

const ps: CommandFn = (c) => {
  const p = c.sh.persona;
  const me = p.sshdPid + 1200;
  const rows: [string, number, string][] = [
    ["root", 1, "/sbin/init"], ["root", 2, "[kthreadd]"], ["root", 3, "[rcu_gp]"], ["root", 14, "[ksoftirqd/0]"],
    ["root", 312, "/lib/systemd/systemd-journald"], ["root", 341, "/lib/systemd/systemd-udevd"], ["systemd+", 480, "/lib/systemd/systemd-networkd"],
    ["root", p.sshdPid - 60, "/usr/sbin/cron -f"], ["message+", p.sshdPid - 40, "/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only"],
    ["root", p.sshdPid - 20, "/lib/systemd/systemd-logind"], ["root", p.sshdPid, "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"],
    ["root", me - 8, `sshd: ${c.sh.user}@pts/0`], [c.sh.user, me, "-bash"],
  ];
  const full = c.argv.some((a) => /^-?[a-z]*[aef]/.test(a.replace(/^-/, "")) || a === "aux");
  if (!full) {
    c.out(`    PID TTY          TIME CMD\n${String(me).padStart(7)} pts/0    00:00:00 bash\n${String(me + 9).padStart(7)} pts/0    00:00:00 ps\n`);
    return 0;
  }
  c.out("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
  for (const [u, pid, cmd] of rows) c.out(`${u.padEnd(8)} ${String(pid).padStart(7)}  0.0  0.${pid % 9}  ${String(10000 + ((pid * 7919) % 90000)).padStart(6)} ${String(2000 + ((pid * 104729) % 9000)).padStart(5)} ${pid === me ? "pts/0   " : "?       "} Ss   ${clock(p.bootAt).slice(0, 5)}   0:00 ${cmd}\n`);
  c.out(`${c.sh.user.padEnd(8)} ${String(me + 9).padStart(7)}  0.0  0.0  11084  3380 pts/0    R+   ${clock(Date.now()).slice(0, 5)}   0:00 ps ${c.argv.slice(1).join(" ")}\n`);
  return 0;
};

const lscpu: CommandFn = (c) => {
  const p = c.sh.persona;
  c.out(`Architecture:            x86_64\n  CPU op-mode(s):        32-bit, 64-bit\n  Address sizes:         40 bits physical, 48 bits virtual\n  Byte Order:            Little Endian\nCPU(s):                  ${p.cpus}\n  On-line CPU(s) list:   0${p.cpus > 1 ? `-${p.cpus - 1}` : ""}\nVendor ID:               ${p.cpuModel.includes("AMD") ? "AuthenticAMD" : "GenuineIntel"}\n  Model name:            ${p.cpuModel}\n    Thread(s) per core:  1\n    Core(s) per socket:  ${p.cpus}\n    Socket(s):           1\n    BogoMIPS:            ${(p.cpuMhz * 2).toFixed(2)}\nVirtualization features: \n  Hypervisor vendor:     KVM\n  Virtualization type:   full\n`);
  return 0;
};

const df: CommandFn = (c) => {
  const p = c.sh.persona;
  const total = p.diskGb * 1024 * 1024;
  const used = Math.floor(total * 0.23);
  const h = c.argv.includes("-h");
  const f = (kb: number) => (h ? `${(kb / 1048576).toFixed(1)}G` : String(kb));
  c.out(`Filesystem     ${h ? "Size  Used Avail" : "1K-blocks     Used Available"} Use% Mounted on\nudev           ${f(p.memKb / 2)} 0 ${f(p.memKb / 2)}   0% /dev\ntmpfs          ${f(p.memKb / 10)} ${f(600)} ${f(p.memKb / 10 - 600)}   1% /run\n/dev/vda1      ${f(total)} ${f(used)} ${f(total - used)}  23% /\n`);
  return 0;
};

const ip: CommandFn = (c) => {
  const p = c.sh.persona;
  c.out(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    link/ether ${p.mac} brd ff:ff:ff:ff:ff:ff\n    inet ${p.ip}/24 brd ${p.ip.replace(/\.\d+$/, ".255")} scope global eth0\n`);
  return 0;
};

export const INFO: Record<string, CommandFn> = {
  uname,
  id,
  whoami: (c) => (c.out(`${c.sh.user}\n`), 0),
  hostname: (c) => (c.out(`${c.argv.includes("-I") || c.argv.includes("-i") ? c.sh.persona.ip : c.sh.persona.hostname}\n`), 0),
  nproc: (c) => (c.out(`${c.sh.persona.cpus}\n`), 0),
  lscpu,
  free,
  w,
  who: (c) => (c.out(`${c.sh.user.padEnd(8)} pts/0        ${new Date(c.sh.startedAt).toISOString().slice(0, 16).replace("T", " ")}\n`), 0),
  uptime: (c) => (c.out(c.argv.includes("-p") ? `up ${duration(uptimeSeconds(c.sh.persona, Date.now()))}\n` : `${uptimeLine(c)}\n`), 0),
  ps,
  df,
  ip,
  ifconfig: ip,
  date: (c) => (c.out(`${new Date().toUTCString().replace("GMT", "UTC")}\n`), 0),
  last: (c) => (c.out(`\nwtmp begins ${new Date(c.sh.persona.bootAt).toUTCString().slice(0, 22)}\n`), 0),
  arch: (c) => (c.out("x86_64\n"), 0),
  getconf: (c) => (c.out(c.argv[1] === "LONG_BIT" ? "64\n" : c.argv[1] === "_NPROCESSORS_ONLN" ? `${c.sh.persona.cpus}\n` : "undefined\n"), 0),
};
