import type { CommandFn, Ctx } from "../shell.ts";

/**
 * Downloaders: every URL and host is captured as an indicator, nothing is fetched. The answer is
 * what the tool prints when the server does not answer, so the attacker tries the next mirror or
 * tool (each one more indicator) instead of concluding it is talking to a trap.
 */
const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":");

function target(raw: string): { url: string; host: string; port: number; scheme: string } | undefined {
  const u = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const p = new URL(u);
    const port = Number(p.port) || (p.protocol === "https:" ? 443 : p.protocol === "ftp:" ? 21 : 80);
    return { url: u, host: p.hostname.replace(/^\[|\]$/g, ""), port, scheme: p.protocol.slice(0, -1) };
  } catch {
    return undefined;
  }
}

// Options of wget and curl that take a value (so the value is not taken for a URL).
const WGET_ARG = new Set(["-O", "-o", "-P", "-U", "-t", "-T", "-e", "--output-document", "--user-agent", "--tries", "--timeout", "--header"]);
const CURL_ARG = new Set(["-o", "-A", "-H", "-X", "-d", "-e", "-u", "-m", "--output", "--user-agent", "--header", "--request", "--data", "--connect-timeout", "--max-time", "-x", "--proxy"]);

function operands(c: Ctx, withArg: Set<string>): { urls: string[]; opts: Map<string, string> } {
  const urls: string[] = [];
  const opts = new Map<string, string>();
  const a = c.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (withArg.has(x)) opts.set(x, a[++i] ?? "");
    else if (x.startsWith("-")) opts.set(x, "");
    else urls.push(x);
  }
  return { urls, opts };
}

const stamp = () => new Date().toISOString().slice(0, 19).replace("T", " ");

const wget: CommandFn = (c) => {
  const { urls, opts } = operands(c, WGET_ARG);
  if (!urls.length) return c.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n"), 1;
  const quiet = opts.has("-q") || opts.has("-qO-") || opts.has("--quiet");
  const out = opts.get("-O") ?? opts.get("--output-document");
  // wget -O creates its output file before connecting: a failed download leaves it empty.
  if (out && out !== "-") c.sh.fs.write(c.sh.path(out), "", false);
  let st = 0;
  for (const raw of urls) {
    const t = target(raw);
    c.sh.capture.url(raw);
    if (!t) {
      if (!quiet) c.err(`${raw}: Invalid URL ${raw}: Unsupported scheme\n`);
      st = 1;
      continue;
    }
    if (quiet) {
      st = 4;
      continue;
    }
    c.err(`--${stamp()}--  ${t.url}\n`);
    if (isIp(t.host)) c.err(`Connecting to ${t.host}:${t.port}... failed: Connection refused.\n`);
    else c.err(`Resolving ${t.host} (${t.host})... failed: Temporary failure in name resolution.\nwget: unable to resolve host address '${t.host}'\n`);
    st = 4;
  }
  return st;
};

const curl: CommandFn = (c) => {
  const { urls, opts } = operands(c, CURL_ARG);
  if (!urls.length) return c.err("curl: try 'curl --help' or 'curl --manual' for more information\n"), 2;
  const silent = [...opts.keys()].some((k) => /^-[a-zA-Z]*s/.test(k) && !k.startsWith("--")) && ![...opts.keys()].some((k) => /^-[a-zA-Z]*S/.test(k));
  let st = 0;
  for (const raw of urls) {
    c.sh.capture.url(raw);
    const t = target(raw);
    if (!t) continue;
    if (isIp(t.host)) {
      if (!silent) c.err(`curl: (7) Failed to connect to ${t.host} port ${t.port} after ${3 + (t.port % 7)} ms: Couldn't connect to server\n`);
      st = 7;
    } else {
      if (!silent) c.err(`curl: (6) Could not resolve host: ${t.host}\n`);
      st = 6;
    }
  }
  return st;
};

const tftp: CommandFn = (c) => {
  const a = c.argv.slice(1);
  const host = a.filter((x, i) => !x.startsWith("-") && !["-r", "-l", "-g", "-p"].includes(a[i - 1] ?? "")).pop();
  const remote = a[a.indexOf("-r") + 1];
  if (!host) return c.err("BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n\nUsage: tftp [OPTIONS] HOST [PORT]\n"), 1;
  c.sh.capture.host(host);
  if (remote && a.includes("-r")) c.sh.capture.url(`tftp://${host}/${remote}`);
  c.err("tftp: timeout\n");
  return 1;
};

const ftpget: CommandFn = (c) => {
  const a = c.argv.slice(1).filter((x, i, all) => !x.startsWith("-") && !["-u", "-p", "-P"].includes(all[i - 1] ?? ""));
  const [host, , remote] = a;
  if (!host) return c.err("Usage: ftpget [OPTIONS] HOST [LOCAL_FILE] REMOTE_FILE\n"), 1;
  c.sh.capture.host(host);
  c.sh.capture.url(`ftp://${host}/${(remote ?? a[1] ?? "").replace(/^\//, "")}`);
  c.err(`ftpget: can't connect to remote host (${host}): Connection refused\n`);
  return 1;
};

/** scp/ssh/nc/telnet towards another host: the host is an indicator; the connection is refused. */
const connect = (port: number): CommandFn => (c) => {
  const hosts = c.argv.slice(1).filter((a) => !a.startsWith("-") && !/^\d+$/.test(a));
  for (const h of hosts) {
    const m = /^(?:[^@\s]+@)?(\[[^\]]+\]|[^:\s]+)(?::(.*))?$/.exec(h);
    if (!m || (c.argv[0] === "scp" && m[2] === undefined)) continue;
    c.sh.capture.host(m[1]!.replace(/^\[|\]$/g, ""));
    if (c.argv[0] === "scp" && m[2]) c.sh.capture.url(`scp://${m[1]}/${m[2].replace(/^\//, "")}`);
    c.err(`ssh: connect to host ${m[1]} port ${port}: Connection refused\n`);
    return 255;
  }
  if (c.argv[0] === "scp") c.err("usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n");
  return 1;
};

const nc: CommandFn = (c) => {
  const a = c.argv.slice(1).filter((x) => !x.startsWith("-"));
  if (a[0]) c.sh.capture.host(a[0]);
  return 1;
};

export const NET: Record<string, CommandFn> = { wget, curl, tftp, ftpget, scp: connect(22), ssh: connect(22), sftp: connect(22), nc, ncat: nc, netcat: nc, telnet: nc };
