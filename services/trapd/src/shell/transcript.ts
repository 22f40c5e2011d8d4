import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A session's terminal as an asciinema v2 file (https://docs.asciinema.org/manual/asciicast/v2/):
 * a JSON header line, then one `[seconds, "o"|"i", data]` line per event. Bounded: events beyond
 * `max` bytes are dropped and counted in the last line (a "m" marker event).
 */
export class Transcript {
  private readonly lines: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(
    private readonly max: number,
    private readonly startedAt: number,
    private readonly header: { width: number; height: number; title: string },
  ) {}

  private add(kind: "o" | "i", data: string): void {
    if (!data || this.max === 0) return;
    // Terminal bytes are latin1 here; asciinema wants UTF-8 text: decode as the terminal would.
    const line = JSON.stringify([Number(((Date.now() - this.startedAt) / 1000).toFixed(6)), kind, Buffer.from(data, "latin1").toString("utf8")]);
    if (this.bytes + line.length + 1 > this.max) {
      this.dropped++;
      return;
    }
    this.lines.push(line);
    this.bytes += line.length + 1;
  }

  output(data: string): void {
    this.add("o", data);
  }

  input(data: string): void {
    this.add("i", data);
  }

  /** Writes <dir>/<id>.cast (0600); returns the file name, or undefined when nothing happened. */
  save(dir: string, id: string): string | undefined {
    if (this.max === 0 || this.lines.length === 0) return undefined;
    const name = `${id.replace(/[^A-Za-z0-9_-]/g, "_")}.cast`;
    const head = JSON.stringify({ version: 2, width: this.header.width, height: this.header.height, timestamp: Math.floor(this.startedAt / 1000), title: this.header.title, env: { TERM: "xterm-256color", SHELL: "/bin/bash" } });
    const tail = this.dropped ? [JSON.stringify([Number(((Date.now() - this.startedAt) / 1000).toFixed(6)), "m", `${this.dropped} events dropped (transcript cap)`])] : [];
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, name), `${[head, ...this.lines, ...tail].join("\n")}\n`, { mode: 0o600 });
      return name;
    } catch {
      return undefined;
    }
  }
}
