import { FileTree, type DirNode, type Node } from "./file-tree.ts";
import { DISTRO_NAME, type Persona } from "./persona.ts";
import { cpuinfo, meminfo, uptimeSeconds } from "./proc.ts";

/** Programs the fake system claims to have (ls /usr/bin, which); running them is the commands' job. */
export const BINARIES = [
  "bash", "sh", "dash", "ls", "cat", "echo", "cp", "mv", "rm", "mkdir", "chmod", "chown", "ps", "uname", "hostname", "id", "whoami",
  "free", "w", "who", "uptime", "nproc", "lscpu", "which", "crontab", "wget", "curl", "ssh", "scp", "sftp", "tar", "gzip", "grep", "sed",
  "awk", "head", "tail", "touch", "pwd", "kill", "df", "du", "env", "sleep", "date", "last", "netstat", "ss", "ip", "ifconfig", "passwd",
  "sudo", "su", "top", "perl", "python3", "apt", "apt-get", "dpkg", "systemctl", "journalctl", "mount", "base64", "md5sum", "sha256sum",
];
const SBIN = ["ifconfig", "ip", "iptables", "reboot", "shutdown", "sshd", "useradd", "usermod", "chpasswd", "init"];

const file = (data: string | (() => string), mode = 0o644, owner = "root"): Node => ({ kind: "file", mode, owner, mtime: 0, data });

function put(root: DirNode, path: string, n: Node): void {
  const parts = path.split("/").filter(Boolean);
  let d = root;
  for (const p of parts.slice(0, -1)) {
    let next = d.children.get(p);
    if (!next) d.children.set(p, (next = FileTree.dir()));
    if (next.kind !== "dir") return;
    d = next;
  }
  d.children.set(parts[parts.length - 1]!, n);
}

const bashrc = "# ~/.bashrc: executed by bash(1) for non-login shells.\n\n[ -z \"$PS1\" ] && return\n\nHISTCONTROL=ignoreboth\nHISTSIZE=1000\nHISTFILESIZE=2000\nalias ls='ls --color=auto'\n";
const profile = "# ~/.profile: executed by the command interpreter for login shells.\n\nif [ -n \"$BASH_VERSION\" ]; then\n    if [ -f \"$HOME/.bashrc\" ]; then\n\t. \"$HOME/.bashrc\"\n    fi\nfi\n";

/** The persona's file tree: what `ls`, `cat` and `cd` find before the attacker changes anything. */
export function baseTree(p: Persona, now: () => number = Date.now): (t: FileTree) => DirNode {
  return () => {
    const root = FileTree.dir();
    for (const d of ["/bin", "/boot", "/etc/ssh", "/etc/cron.d", "/etc/cron.daily", "/home", "/lib", "/media", "/mnt", "/opt", "/root/.ssh", "/run", "/sbin", "/srv", "/sys/class/net", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local/bin", "/usr/share", "/var/log", "/var/lib", "/var/spool/cron/crontabs", "/var/tmp", "/var/www/html", "/dev/shm"]) put(root, d, FileTree.dir());
    put(root, "/tmp", { ...FileTree.dir(0o1777) });
    const d = DISTRO_NAME[p.distro];
    const passwd = [
      "root:x:0:0:root:/root:/bin/bash", "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin", "bin:x:2:2:bin:/bin:/usr/sbin/nologin",
      "sys:x:3:3:sys:/dev:/usr/sbin/nologin", "sync:x:4:65534:sync:/bin:/bin/sync", "games:x:5:60:games:/usr/games:/usr/sbin/nologin",
      "man:x:6:12:man:/var/cache/man:/usr/sbin/nologin", "lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin", "mail:x:8:8:mail:/var/mail:/usr/sbin/nologin",
      "news:x:9:9:news:/var/spool/news:/usr/sbin/nologin", "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin", "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
      "systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin", "messagebus:x:100:107::/nonexistent:/usr/sbin/nologin",
      "sshd:x:101:65534::/run/sshd:/usr/sbin/nologin",
      ...p.users.map((u) => `${u.name}:x:${u.uid}:${u.uid}:${u.gecos}:/home/${u.name}:/bin/bash`),
    ];
    put(root, "/etc/passwd", file(`${passwd.join("\n")}\n`));
    put(root, "/etc/group", file(`root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:${p.users[0]?.name ?? ""}\nsudo:x:27:${p.users[0]?.name ?? ""}\nwww-data:x:33:\nusers:x:100:\nnogroup:x:65534:\n${p.users.map((u) => `${u.name}:x:${u.uid}:`).join("\n")}\n`));
    put(root, "/etc/shadow", file(`root:$y$j9T$${"x".repeat(0)}${p.mac.replaceAll(":", "")}$:19${String(p.bootAt % 1000).padStart(3, "0")}:0:99999:7:::\n${p.users.map((u) => `${u.name}:$y$j9T$${u.uid.toString(36)}${p.sshdPid}$:19800:0:99999:7:::`).join("\n")}\n`, 0o640));
    put(root, "/etc/hostname", file(`${p.hostname}\n`));
    put(root, "/etc/hosts", file(`127.0.0.1\tlocalhost\n127.0.1.1\t${p.hostname}\n${p.ip}\t${p.hostname}\n\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`));
    put(root, "/etc/os-release", file(`PRETTY_NAME="${d.pretty}"\nNAME="${d.id === "debian" ? "Debian GNU/Linux" : "Ubuntu"}"\nVERSION_ID="${d.version}"\nVERSION_CODENAME=${d.codename}\nID=${d.id}\nHOME_URL="${d.id === "debian" ? "https://www.debian.org/" : "https://www.ubuntu.com/"}"\n`));
    put(root, "/etc/issue", file(`${d.issue}\n\n`));
    if (d.id === "debian") put(root, "/etc/debian_version", file(p.distro === "debian12" ? "12.8\n" : "11.11\n"));
    put(root, "/etc/resolv.conf", file("nameserver 1.1.1.1\nnameserver 8.8.8.8\n"));
    put(root, "/etc/crontab", file("SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }\n"));
    put(root, "/etc/ssh/sshd_config", file("Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n"));
    put(root, "/etc/motd", file(d.id === "debian" ? "\nThe programs included with the Debian GNU/Linux system are free software;\nthe exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\nDebian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n" : ""));
    put(root, "/proc/cpuinfo", file(() => cpuinfo(p), 0o444));
    put(root, "/proc/meminfo", file(() => meminfo(p), 0o444));
    put(root, "/proc/version", file(`Linux version ${p.kernel} (${d.id === "debian" ? "debian-kernel@lists.debian.org" : "buildd@lcy02-amd64-001"}) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ${p.kernelBuild}\n`, 0o444));
    put(root, "/proc/uptime", file(() => `${uptimeSeconds(p, now()).toFixed(2)} ${(uptimeSeconds(p, now()) * p.cpus * 0.97).toFixed(2)}\n`, 0o444));
    put(root, "/proc/loadavg", file("0.08 0.03 0.01 1/143 " + (p.sshdPid + 4321) + "\n", 0o444));
    put(root, "/proc/mounts", file("sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n/dev/vda1 / ext4 rw,relatime,discard,errors=remount-ro 0 0\ntmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=" + Math.floor(p.memKb / 10) + "k,mode=755 0 0\n", 0o444));
    put(root, "/proc/self/status", file(`Name:\tbash\nState:\tS (sleeping)\nPid:\t${p.sshdPid + 1200}\nUid:\t0\t0\t0\t0\n`, 0o444));
    put(root, "/sys/class/net/eth0", FileTree.dir());
    put(root, "/sys/class/net/eth0/address", file(`${p.mac}\n`, 0o444));
    put(root, "/dev/null", file("", 0o666));
    put(root, "/root/.bashrc", file(bashrc));
    put(root, "/root/.profile", file(profile));
    put(root, "/root/.ssh", { ...FileTree.dir(0o700) });
    for (const u of p.users) {
      put(root, `/home/${u.name}`, { ...FileTree.dir(0o750, u.name) });
      put(root, `/home/${u.name}/.bashrc`, file(bashrc, 0o644, u.name));
      put(root, `/home/${u.name}/.profile`, file(profile, 0o644, u.name));
      put(root, `/home/${u.name}/.bash_logout`, file("# ~/.bash_logout: executed by bash(1) when login shell exits.\n", 0o644, u.name));
    }
    put(root, "/var/log/auth.log", file("", 0o640));
    put(root, "/var/log/syslog", file("", 0o640));
    for (const b of BINARIES) put(root, `/usr/bin/${b}`, file("\x7fELF", 0o755));
    for (const b of ["bash", "sh", "ls", "cat", "echo", "busybox"]) put(root, `/bin/${b}`, file("\x7fELF", 0o755));
    for (const b of SBIN) put(root, `/usr/sbin/${b}`, file("\x7fELF", 0o755));
    return root;
  };
}
