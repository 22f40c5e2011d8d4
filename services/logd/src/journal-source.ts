import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";
import type { Jail, JailFired } from "./jail.ts";
import type { LogdStore, WindowOp } from "./logd-store.ts";

/**
 * The systemd journal through `journalctl --follow -o json --after-cursor <c> <matches>`.
 * Chosen over linking libsystemd (sd_journal via FFI): journalctl is on every systemd host, speaks
 * the same matches as Fail2Ban's journalmatch (`A=x + B=y` is OR), gives a cursor with every
 * entry, and a crash of the reader cannot take logd down. The cursor of the last entry handled is
 * committed with the failures it produced (positions row `journal:<jail>`), so a restart resumes
 * exactly after it. A line is rebuilt as Fail2Ban's journal backend does:
 * `<hostname> <SYSLOG_IDENTIFIER>[<pid>]: <MESSAGE>`, with the entry's own time.
 */
export interface JournalEntry {
  cursor: string;
  time: number;
  line: string;
}

const MAX_LINE = 16 * 1024;

export function journalLine(json: string): JournalEntry | null {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  const cursor = e.__CURSOR;
  if (typeof cursor !== "string" || cursor.length > 512) return null;
  const msg = Array.isArray(e.MESSAGE) ? Buffer.from(e.MESSAGE as number[]).toString("utf8") : typeof e.MESSAGE === "string" ? e.MESSAGE : "";
  const ident = typeof e.SYSLOG_IDENTIFIER === "string" ? e.SYSLOG_IDENTIFIER : typeof e._COMM === "string" ? e._COMM : "";
  const pid = typeof e.SYSLOG_PID === "string" ? e.SYSLOG_PID : typeof e._PID === "string" ? e._PID : "";
  const host = typeof e._HOSTNAME === "string" ? e._HOSTNAME : "";
  const us = typeof e.__REALTIME_TIMESTAMP === "string" ? Number(e.__REALTIME_TIMESTAMP) : Number.NaN;
  const line = `${host} ${ident}${pid ? `[${pid}]` : ""}: ${msg}`.slice(0, MAX_LINE);
  return { cursor, time: Number.isFinite(us) ? Math.floor(us / 1000) : Date.now(), line };
}

/**
 * Fail2Ban's journalmatch → journalctl arguments (`+` stays: journalctl's OR of AND-groups).
 *
 * With the machine id, `--merge` plus `_MACHINE_ID=<id>` in every group replaces journalctl's
 * defaults on purpose: `journalctl --follow` without `--merge` implies `--boot` (the current boot,
 * taken from /proc/sys/kernel/random/boot_id; systemd 252 journalctl.c parse_argv). Inside the
 * unit's sandbox ProtectKernelTunables=/ProtectControlGroups= mount a fresh /proc, and in a
 * container whose manager virtualises the boot id (systemd-nspawn bind-mounts its own over that
 * file) the fresh one shows the kernel's id, which no entry carries: journalctl then follows
 * nothing, silently. `--merge` drops both the boot filter and the local-only flag; the
 * `_MACHINE_ID` match restores "this machine only" (no journals of other hosts or containers).
 *
 * Without a cursor (the first start) it begins at `sinceS` (Unix seconds; logd gives now − findtime,
 * as Fail2Ban's systemd backend starts a findtime back) rather than at the tail: a follower that
 * seeked to the tail (`--lines=N`) right after boot never delivered a new entry on systemd 252,
 * with or without the sandbox, while one started at a time did (observed in the deploy test's
 * machine; once the system ran a while, both worked).
 */
export function journalArgs(journalmatch: readonly string[], cursor: string | undefined, command = "journalctl", machineId?: string, sinceS?: number): string[] {
  const args = [command, "--follow", "--output=json", "--no-pager", "--quiet"];
  if (machineId) args.push("--merge");
  args.push(cursor ? `--after-cursor=${cursor}` : sinceS !== undefined ? `--since=@${Math.floor(sinceS)}` : "--lines=0");
  const groups: string[][] = [];
  for (const m of journalmatch) {
    let g: string[] = [];
    for (const w of m.split(/\s+/).filter(Boolean)) {
      if (w === "+") {
        if (g.length) groups.push(g);
        g = [];
      } else g.push(w);
    }
    if (g.length) groups.push(g);
  }
  if (machineId) {
    if (groups.length === 0) groups.push([]);
    for (const g of groups) g.push(`_MACHINE_ID=${machineId}`);
  }
  groups.forEach((g, i) => args.push(...(i ? ["+"] : []), ...g));
  return args;
}

/** This machine's id (machine-id(5)): 32 lower-case hex digits, or undefined. */
export function readMachineId(path = "/etc/machine-id"): string | undefined {
  try {
    const id = readFileSync(path, "utf8").trim();
    return /^[0-9a-f]{32}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export class JournalSource {
  lines = 0;
  lastActivity = 0;
  error = "";
  private proc: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  private stopped = false;
  private readonly key: string;

  constructor(
    private readonly jail: Jail,
    private readonly journalmatch: readonly string[],
    private readonly store: LogdStore,
    private readonly onFired: (f: JailFired) => void,
    private readonly command = "journalctl",
    private readonly machineId: string | undefined = readMachineId(),
  ) {
    this.key = `journal:${jail.spec.name}`;
  }

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const cursor = this.store.position(this.key)?.lastLineHash || undefined;
      const since = (Date.now() - this.jail.spec.findtime_s * 1000) / 1000;
      try {
        this.proc = Bun.spawn(journalArgs(this.journalmatch, cursor, this.command, this.machineId, since), { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
      } catch (e) {
        this.error = `cannot start ${this.command}: ${(e as Error).message}`.slice(0, 256);
        await Bun.sleep(5000);
        continue;
      }
      this.error = "";
      await this.read(this.proc.stdout);
      const code = await this.proc.exited;
      if (this.stopped) return;
      const err = (await new Response(this.proc.stderr).text()).trim();
      this.error = `${this.command} exited ${code}${err ? `: ${err}` : ""}`.slice(0, 256);
      await Bun.sleep(2000);
    }
  }

  private async read(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of stream) {
      rest += decoder.decode(chunk, { stream: true });
      const parts = rest.split("\n");
      rest = parts.pop() ?? "";
      if (rest.length > 1 << 20) rest = ""; // a runaway entry: drop it
      const entries = parts.map(journalLine).filter((e): e is JournalEntry => e !== null);
      if (entries.length) this.batch(entries);
    }
  }

  /** One batch of entries: failures and the last cursor committed together. */
  batch(entries: readonly JournalEntry[], now = Date.now()): void {
    const ops: WindowOp[] = [];
    const fired: JailFired[] = [];
    for (const e of entries) {
      // An entry's time is journald's own clock, never a guess from the text: one older than
      // findtime (resuming after downtime, or a previous boot now that --merge shows it) is
      // history, as for a file logd catches up on.
      const r = this.jail.line(e.line, now, e.time, true);
      if (r.failure) ops.push({ op: "add", row: r.failure });
      if (r.fired) {
        fired.push(r.fired);
        ops.push({ op: "spent", jail: r.fired.jail, address: r.fired.address });
      }
    }
    const last = entries[entries.length - 1]!;
    this.store.commit(this.key, { inode: 0, offset: 0, lastLineHash: last.cursor }, ops, now);
    this.lines += entries.length;
    this.lastActivity = now;
    for (const f of fired) this.onFired(f);
  }

  stop(): void {
    this.stopped = true;
    this.proc?.kill();
  }
}
