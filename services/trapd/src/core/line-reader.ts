/**
 * Splits a byte stream into lines (LF, an optional CR before it dropped), never holding more
 * than `max` bytes of an unfinished line: past that the caller gets "line_cap" and must cut.
 */
export class LineReader {
  private pending: Buffer | undefined;

  constructor(private readonly max: number) {}

  push(chunk: Uint8Array): Buffer[] | "line_cap" {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.pending) buf = Buffer.concat([this.pending, buf]);
    this.pending = undefined;
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      if (nl - start > this.max) return "line_cap";
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      lines.push(buf.subarray(start, end));
      start = nl + 1;
    }
    if (buf.length - start > this.max) return "line_cap";
    // Copy, so a large chunk is not kept alive by a small remainder.
    if (start < buf.length) this.pending = Buffer.from(buf.subarray(start));
    return lines;
  }

  /** Bytes of an unfinished line held. */
  get held(): number {
    return this.pending?.length ?? 0;
  }
}
