import { join } from "node:path";
import type { SessionRecord } from "../core/session-record.ts";
import { baseTree } from "./base-tree.ts";
import { FileTree } from "./file-tree.ts";
import type { Persona } from "./persona.ts";
import { Quarantine } from "./quarantine.ts";
import type { ShellLimits } from "./session-limits.ts";
import { FakeShell } from "./shell.ts";
import { Transcript } from "./transcript.ts";
import { DISTRO_NAME } from "./persona.ts";

/** What every shell session of a node shares. */
export interface ShellDeps {
  persona: Persona;
  limits: ShellLimits;
  quarantine: Quarantine;
  transcriptDir: string;
}

export function shellDeps(stateDir: string, persona: Persona, limits: ShellLimits, quarantineTotal: number): ShellDeps {
  return {
    persona,
    limits,
    quarantine: new Quarantine(join(stateDir, "trapd", "quarantine"), limits.maxFileBytes, quarantineTotal),
    transcriptDir: join(stateDir, "trapd", "transcripts"),
  };
}

export interface TerminalMode {
  /** The client expects the server to echo what it types (an SSH pty). */
  echo: boolean;
  /** Line ends as CR LF (a terminal, Telnet). */
  crlf: boolean;
  width: number;
  height: number;
}

/**
 * One logged-in session on a trap: the fake shell, its transcript, and what ends up in the
 * session record (commands with their times, indicators, persistence, files).
 */
export class ShellSession {
  readonly shell: FakeShell;
  private readonly transcript: Transcript;
  private pending = "";
  private esc = 0;
  private lastCR = false;

  constructor(
    private readonly deps: ShellDeps,
    private readonly rec: SessionRecord,
    user: string,
    public mode: TerminalMode,
  ) {
    const p = deps.persona;
    this.shell = new FakeShell(p, new FileTree(baseTree(p), deps.limits), user, deps.limits, rec.startedAt);
    this.transcript = new Transcript(deps.limits.maxTranscript, rec.startedAt, { width: mode.width, height: mode.height, title: `${rec.at.service} ${rec.at.src}` });
    rec.onEnd(() => this.finish());
  }

  private term(s: string): string {
    const t = this.mode.crlf ? s.replace(/\r?\n/g, "\r\n") : s;
    this.transcript.output(t);
    return t;
  }

  /** What a login shell prints first: the motd and the prompt (nothing without a terminal). */
  greeting(): string {
    if (!this.mode.crlf) return "";
    const p = this.deps.persona;
    const d = DISTRO_NAME[p.distro];
    const motd = d.id === "debian" ? `Linux ${p.hostname} ${p.kernel} #1 SMP ${p.kernelBuild.split(" ").slice(3).join(" ")} x86_64\n${this.shell.fs.read("/etc/motd")}` : `Welcome to ${d.pretty} (GNU/Linux ${p.kernel} x86_64)\n\n * Documentation:  https://help.ubuntu.com\n`;
    const last = new Date(this.rec.startedAt - 86_400_000 * 2 - 3_600_000 * 5).toUTCString().replace(" GMT", "").replace(",", "");
    return this.term(`${motd}Last login: ${last} from ${p.ip.replace(/\.\d+$/, ".1")}\n${this.shell.prompt()}`);
  }

  /** One line run as the attacker typed it; the output, then (interactive) the next prompt. */
  line(text: string, prompt: boolean): string {
    this.transcript.input(`${text}\n`);
    // Terminal bytes (latin1 here) are recorded as the UTF-8 text the attacker typed.
    if (text.trim()) this.rec.command(Buffer.from(text, "latin1").toString("utf8"));
    const out = this.shell.run(text);
    return this.term(out) + (prompt && !this.shell.exited ? this.term(this.shell.prompt()) : "");
  }

  /** An exec request (`ssh host 'cmd'`): the whole command, its output and exit status. */
  exec(command: string): { out: string; status: number } {
    this.rec.command(command);
    // The shell works on bytes (one latin1 char each), as a terminal's input arrives.
    const bytes = Buffer.from(command, "utf8").toString("latin1");
    this.transcript.input(`${bytes}\n`);
    const out = this.shell.run(bytes);
    return { out: this.term(out), status: this.shell.status };
  }

  /**
   * Keystrokes of an interactive terminal: a minimal line editor (backspace, ^C, ^D, ^U, escape
   * sequences skipped), bounded. Returns what to send back.
   */
  keys(data: string): string {
    let back = "";
    for (const ch of data) {
      if (this.shell.exited) break;
      if (this.esc > 0) {
        // ESC [ … final byte (ECMA-48 CSI), or ESC + one byte.
        if (this.esc === 1 && ch !== "[" && ch !== "O") this.esc = 0;
        else if (this.esc > 1 && ch >= "@" && ch <= "~") this.esc = 0;
        else this.esc++;
        if (this.esc > 16) this.esc = 0;
        continue;
      }
      if (ch === "\n" && this.lastCR) {
        this.lastCR = false;
        continue;
      }
      this.lastCR = ch === "\r";
      if (ch === "\r" || ch === "\n") {
        const text = this.pending;
        this.pending = "";
        if (this.mode.echo) back += "\r\n";
        // Without a terminal (ssh host < script) bash prints no prompt.
        back += this.line(text, this.mode.crlf);
      } else if (ch === "\x7f" || ch === "\b") {
        if (this.pending) {
          this.pending = this.pending.slice(0, -1);
          if (this.mode.echo) back += "\b \b";
        }
      } else if (ch === "\x03") {
        this.pending = "";
        back += this.term(`^C\n${this.shell.prompt()}`);
      } else if (ch === "\x04") {
        if (!this.pending) {
          this.shell.exited = true;
          back += this.term("logout\n");
        }
      } else if (ch === "\x15") {
        if (this.mode.echo) back += "\b \b".repeat(this.pending.length);
        this.pending = "";
      } else if (ch === "\x1b") this.esc = 1;
      else if (ch >= " " || ch === "\t") {
        if (this.pending.length >= this.deps.limits.maxPending) continue;
        this.pending += ch;
        if (this.mode.echo) back += ch;
      }
    }
    return back;
  }

  get exited(): boolean {
    return this.shell.exited;
  }

  /** An uploaded file (SFTP, scp): into the session's tree and into quarantine. */
  upload(path: string, bytes: Uint8Array | { sha256: string; size: number }, via: "sftp" | "scp"): void {
    const abs = this.shell.path(path);
    if (!(bytes instanceof Uint8Array)) {
      // Over the per-file cap: only its hash is known.
      this.shell.fs.write(abs, "", false, "upload");
      return this.shell.capture.file({ ...bytes, name: abs, via, stored: false });
    }
    this.shell.fs.write(abs, Buffer.from(bytes).toString("latin1"), false, "upload");
    const s = this.deps.quarantine.keep(bytes);
    this.shell.capture.file({ ...s, name: abs, via });
  }

  /** At the session's end: dropped files into quarantine, the transcript saved, the capture onto the record. */
  private finish(): void {
    const c = this.shell.capture;
    for (const [path, node] of this.shell.fs.writtenFiles()) {
      if (node.written !== "dropper" || typeof node.data !== "string" || !node.data) continue;
      const s = this.deps.quarantine.keep(Buffer.from(node.data, "latin1"));
      c.file({ ...s, name: path, via: "dropper" });
    }
    const transcript = this.transcript.save(this.deps.transcriptDir, this.rec.id);
    this.rec.shell = { indicators: c.indicators(), persistence: [...c.persistence], files: [...c.files], ...(transcript ? { transcript } : {}) };
  }
}
