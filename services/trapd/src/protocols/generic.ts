import { LineReader } from "../core/line-reader.ts";
import type { ProtocolFactory, TrapIO, TrapProtocol } from "../core/tcp-trap.ts";

/** One connection to a bare listener; its line reader only once bytes arrive (most scans send none). */
class GenericSession implements TrapProtocol {
  private lines: LineReader | undefined;

  constructor(private readonly io: TrapIO) {}

  data(chunk: Uint8Array): void {
    const got = (this.lines ??= new LineReader(this.io.limits.maxLine)).push(chunk);
    if (got === "line_cap") return this.io.cut("line_cap");
    for (const l of got) if (l.length) this.io.rec.command(l.toString("utf8"));
  }
}

/** A bare listener: sends the banner (if any), keeps every line it receives as a command. */
export function genericTrap(banner: string): ProtocolFactory {
  // Encoded once for every connection (io.write does not keep what it was given).
  const hello = banner ? Buffer.from(`${banner}\r\n`, "latin1") : undefined;
  return (io) => {
    if (hello) io.write(hello);
    return new GenericSession(io);
  };
}
