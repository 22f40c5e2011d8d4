import { COMMAND_NAMES } from "./names.ts";
import type { CommandFn, Ctx } from "../shell.ts";
import { quote } from "./builtins.ts";

const crontab: CommandFn = (c) => {
  const file = `/var/spool/cron/crontabs/${c.sh.user}`;
  const a = c.argv.slice(1);
  if (a.includes("-l")) {
    const data = c.sh.fs.read(file);
    if (data === "ENOENT" || data === "EISDIR") return c.err(`no crontab for ${c.sh.user}\n`), 1;
    c.out(data);
    return 0;
  }
  if (a.includes("-r")) {
    c.sh.fs.remove(file, false);
    return 0;
  }
  const src = a.find((x) => !x.startsWith("-")) ?? "-";
  const data = src === "-" ? c.stdin : c.sh.fs.read(c.sh.path(src));
  if (data === "ENOENT" || data === "EISDIR") return c.err(`${src}: No such file or directory\n`), 1;
  c.sh.fs.write(file, data, false);
  c.sh.capture.wrote(file, data);
  return 0;
};

/** Applets the fake busybox offers: the shell's own commands; anything else is "applet not found". */
const busybox: CommandFn = (c) => {
  const applet = c.argv[1];
  if (!applet || applet === "--help" || applet === "--list") {
    if (applet === "--list") c.out(`${[...COMMAND_NAMES].sort().join("\n")}\n`);
    else c.out("BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: function [arguments]...\n");
    return 0;
  }
  if (!COMMAND_NAMES.has(applet) || applet === "busybox") {
    c.err(`${applet}: applet not found\n`);
    return 127;
  }
  return c.sh.sub(c.argv.slice(1).map(quote).join(" "), c);
};

/** sh/bash: `-c script` runs the script in the fake shell; alone (Mirai's `sh`) it is a no-op subshell. */
const sh: CommandFn = (c) => {
  const i = c.argv.indexOf("-c");
  if (i > 0 && c.argv[i + 1] !== undefined) return c.sh.sub(c.argv[i + 1]!, c);
  if (c.stdin) return c.sh.sub(c.stdin, c);
  return 0;
};

const account = (what: string): CommandFn => (c) => {
  const args = c.argv.slice(1).join(" ");
  c.sh.capture.persist({ kind: "account", path: c.argv[0]!, detail: `${what} ${c.argv[0] === "chpasswd" ? c.stdin.split("\n")[0] ?? "" : args}`.trim() });
  if (c.argv[0] === "passwd") c.out("New password: \nRetype new password: \npasswd: password updated successfully\n");
  return 0;
};

const sudo: CommandFn = (c) => {
  const rest = c.argv.slice(1).filter((a, i, all) => !(a.startsWith("-") && i === 0) && !(all[i - 1] === "-u"));
  if (!rest.length) return c.err("usage: sudo -h | -K | -k | -V\n"), 1;
  return c.sh.sub(rest.map(quote).join(" "), c);
};

const pkgs: CommandFn = (c) => {
  if (c.sh.uid !== 0) return c.err("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"), 100;
  c.err("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2287 (unattended-upgr)\n");
  return 100;
};

const systemctl: CommandFn = (c) => {
  const unit = c.argv.slice(2).find((a) => !a.startsWith("-"));
  if (c.argv[1] === "enable" && unit) c.sh.capture.persist({ kind: "startup", path: `systemctl enable`, detail: unit });
  if (["start", "stop", "restart", "enable", "disable", "daemon-reload"].includes(c.argv[1] ?? "")) return 0;
  return 0;
};

export const SYSTEM: Record<string, CommandFn> = {
  crontab,
  busybox,
  sh,
  bash: sh,
  dash: sh,
  ash: sh,
  enable: () => 0,
  sudo,
  su: () => 0,
  passwd: account("passwd"),
  chpasswd: account("chpasswd"),
  useradd: account("useradd"),
  adduser: account("adduser"),
  usermod: account("usermod"),
  apt: pkgs,
  "apt-get": pkgs,
  yum: (c: Ctx) => (c.err("-bash: yum: command not found\n"), 127),
  systemctl,
  service: () => 0,
  kill: () => 0,
  pkill: () => 1,
  killall: () => 1,
  iptables: () => 0,
  ulimit: () => 0,
  sync: () => 0,
  history: (c) => (c.sh.history.forEach((h, i) => c.out(`${String(i + 1).padStart(5)}  ${h}\n`)), 0),
};
