/**
 * An incremental RESP2 request parser (https://redis.io/docs/latest/develop/reference/protocol-spec/):
 * multibulk arrays of bulk strings, and inline commands (space-separated, one line). A bulk string
 * longer than `maxBulk`, a command held above four times that, or more than 1024 arguments stop
 * the parse: the caller cuts the session.
 */
export type RespOutcome = Buffer[][] | "line_cap" | "protocol";

const MAX_ARGS = 1024;
type Step = { args: Buffer[]; next: number } | "more" | "line_cap" | "protocol";

export class RespReader {
  private pending: Buffer | undefined;

  constructor(private readonly maxBulk: number) {}

  push(chunk: Uint8Array): RespOutcome {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.pending) buf = Buffer.concat([this.pending, buf]);
    this.pending = undefined;
    const out: Buffer[][] = [];
    let p = 0;
    while (p < buf.length) {
      const step = buf[p] === 0x2a /* '*' */ ? this.multibulk(buf, p) : this.inline(buf, p);
      if (step === "more") break;
      if (step === "line_cap" || step === "protocol") return step;
      if (step.args.length) out.push(step.args);
      p = step.next;
    }
    if (buf.length - p > this.maxBulk * 4) return "line_cap";
    if (p < buf.length) this.pending = Buffer.from(buf.subarray(p));
    return out;
  }

  private line(buf: Buffer, p: number): { text: string; next: number } | "more" | "line_cap" {
    const nl = buf.indexOf(10, p);
    if (nl < 0) return buf.length - p > this.maxBulk ? "line_cap" : "more";
    if (nl - p > this.maxBulk) return "line_cap";
    const end = nl > p && buf[nl - 1] === 13 ? nl - 1 : nl;
    return { text: buf.toString("latin1", p, end), next: nl + 1 };
  }

  private inline(buf: Buffer, p: number): Step {
    const l = this.line(buf, p);
    if (typeof l === "string") return l;
    const args = l.text.split(/[ \t]+/).filter(Boolean).map((a) => Buffer.from(a, "latin1"));
    return { args: args.slice(0, MAX_ARGS), next: l.next };
  }

  private multibulk(buf: Buffer, p: number): Step {
    const head = this.line(buf, p);
    if (typeof head === "string") return head;
    const n = Number(head.text.slice(1));
    if (!Number.isInteger(n) || n > MAX_ARGS) return "protocol";
    let q = head.next;
    const args: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      if (q >= buf.length) return "more";
      if (buf[q] !== 0x24 /* '$' */) return "protocol";
      const h = this.line(buf, q);
      if (typeof h === "string") return h;
      const len = Number(h.text.slice(1));
      if (!Number.isInteger(len) || len < 0) return "protocol";
      if (len > this.maxBulk) return "line_cap";
      if (h.next + len + 2 > buf.length) return "more";
      args.push(buf.subarray(h.next, h.next + len));
      q = h.next + len + 2;
    }
    return { args, next: q };
  }
}
