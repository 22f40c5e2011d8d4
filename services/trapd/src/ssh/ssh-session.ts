import type { Connection, ServerChannel, Session } from "ssh2";
import type { SessionRecord } from "../core/session-record.ts";
import { ShellSession, type ShellDeps } from "../shell/shell-session.ts";
import { ScpSink } from "./scp-sink.ts";
import { serveSftp } from "./sftp-server.ts";

const MAX_CHANNELS = 10; // OpenSSH's MaxSessions default

/**
 * After an accepted login: session channels get the fake shell. `shell` (with or without a pty)
 * is interactive, `exec` runs one command line and exits with its status, `scp -t` receives files
 * (old scp protocol), the `sftp` subsystem receives uploads. Every channel of one connection
 * shares one ShellSession (one file tree, one transcript). Port forwarding is refused, its target
 * recorded as an indicator.
 */
export function serveSessions(client: Connection, rec: SessionRecord, deps: ShellDeps, user: () => string): void {
  let sh: ShellSession | undefined;
  const shell = (pty: boolean, cols = 80, rows = 24) => {
    sh ??= new ShellSession(deps, rec, user(), { echo: pty, crlf: pty, width: cols, height: rows });
    sh.mode = { echo: pty, crlf: pty, width: cols, height: rows };
    return sh;
  };
  let channels = 0;
  client.on("tcpip", (_accept, reject, info) => {
    shell(false).shell.capture.host(info.destIP);
    reject();
  });
  client.on("request", (_accept, reject) => reject?.());
  client.on("session", (accept, reject) => {
    if (++channels > MAX_CHANNELS) return reject();
    const session: Session = accept();
    let pty: { cols: number; rows: number } | undefined;
    session.on("pty", (ok, _no, info) => {
      pty = { cols: Math.min(1000, info.cols || 80), rows: Math.min(1000, info.rows || 24) };
      ok?.();
    });
    for (const ev of ["window-change", "env", "signal"] as const) session.on(ev, (ok) => ok?.());
    for (const ev of ["auth-agent", "x11"] as const) session.on(ev, (_ok, no) => no?.());
    session.on("shell", (ok) => {
      const s = shell(Boolean(pty), pty?.cols, pty?.rows);
      const ch = ok();
      ch.write(Buffer.from(s.greeting(), "latin1"));
      ch.on("data", (d: Buffer) => {
        const back = s.keys(d.toString("latin1"));
        if (back) ch.write(Buffer.from(back, "latin1"));
        if (s.exited) close(ch, 0);
      });
      // The client's input ended (ssh host < script): the shell ends, as bash does at EOF.
      ch.on("end", () => close(ch, s.shell.status));
    });
    session.on("exec", (ok, _no, info) => {
      const s = shell(Boolean(pty), pty?.cols, pty?.rows);
      const ch = ok();
      const command = String(info.command).slice(0, deps.limits.maxLine);
      const scp = /^scp\s+(?:-[a-zA-Z]+\s+)*-[a-zA-Z]*t[a-zA-Z]*\s+(?:--\s+)?(.+)$/.exec(command.trim());
      if (scp) return receiveScp(s, ch, command, scp[1]!.replace(/^['"]|['"]$/g, ""), deps);
      const { out, status } = s.exec(command);
      if (out) ch.write(Buffer.from(out, "latin1"));
      close(ch, status);
    });
    session.on("sftp", (ok) => {
      const s = shell(false);
      s.line("# sftp session", false);
      serveSftp(ok(), s, deps.limits.maxFileBytes);
    });
    session.on("subsystem", (_ok, no) => no?.());
  });
}

function close(ch: ServerChannel, status: number): void {
  try {
    ch.exit(status);
    ch.end();
  } catch {
    // the client went away
  }
}

function receiveScp(s: ShellSession, ch: ServerChannel, command: string, target: string, deps: ShellDeps): void {
  s.exec(`# ${command}`);
  const base = s.shell.path(target);
  const sink = new ScpSink(
    (name, dirs) => (s.shell.fs.get(base)?.kind === "dir" || dirs.length ? [base, ...dirs, name].join("/").replace(/\/+/g, "/") : base),
    deps.limits.maxFileBytes,
    (b) => ch.write(b),
    (f) => s.upload(f.name, f.bytes ?? { sha256: f.sha256, size: f.size }, "scp"),
  );
  ch.on("data", (d: Buffer) => {
    sink.data(d);
    if (sink.finished) close(ch, 1);
  });
  ch.on("end", () => close(ch, 0));
}
