import { LineReader } from "../core/line-reader.ts";
import type { ProtocolFactory } from "../core/tcp-trap.ts";

/** A bare listener: sends the banner (if any), keeps every line it receives as a command. */
export function genericTrap(banner: string): ProtocolFactory {
  return (io) => {
    const lines = new LineReader(io.limits.maxLine);
    if (banner) io.write(`${banner}\r\n`);
    return {
      data(chunk) {
        const got = lines.push(chunk);
        if (got === "line_cap") return io.cut("line_cap");
        for (const l of got) if (l.length) io.rec.command(l.toString("utf8"));
      },
    };
  };
}
