/** One Server-Sent Event as the stream's parser yields it. */
export interface SseMessage {
  event: string;
  data: string;
  id: string;
}

const MAX_LINE = 256 * 1024;

/**
 * An incremental text/event-stream parser (WHATWG HTML §9.2.6): feed it decoded chunks, it calls
 * `emit` per dispatched event. Comment lines (`:` keep-alives) and unknown fields are ignored; a
 * line longer than MAX_LINE is dropped (and counted) rather than buffered without bound.
 */
export class SseParser {
  private buf = "";
  private event = "";
  private data: string[] = [];
  private id = "";
  dropped = 0;

  constructor(private readonly emit: (m: SseMessage) => void) {}

  feed(chunk: string): void {
    this.buf += chunk;
    let start = 0;
    for (;;) {
      const nl = this.buf.indexOf("\n", start);
      if (nl < 0) break;
      let line = this.buf.slice(start, nl);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      start = nl + 1;
      this.line(line);
    }
    this.buf = this.buf.slice(start);
    if (this.buf.length > MAX_LINE) {
      this.buf = "";
      this.dropped++;
    }
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length) this.emit({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id") this.id = value;
  }
}
