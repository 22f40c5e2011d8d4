import { createHash, type Hash } from "node:crypto";

export interface ScpFile {
  name: string;
  size: number;
  sha256: string;
  /** The bytes, when within the cap (else only the hash is known). */
  bytes?: Uint8Array;
}

const MAX_CONTROL = 1024;
const MAX_FILES = 64;

/**
 * The receiving end of the old scp protocol (`scp -t <target>`, what `scp -O` and many bots
 * speak): control lines "C<mode> <size> <name>\n", "D…"/"E" for directories, "T…" for times,
 * each acknowledged with a zero byte; a C line is followed by <size> bytes and a zero byte.
 * Files are hashed as they stream; bytes are kept up to `maxFile`.
 */
export class ScpSink {
  private state: "ctl" | "data" | "end" | "done" = "ctl";
  private ctl = "";
  private left = 0;
  private file: { name: string; size: number; hash: Hash; parts: Buffer[]; kept: number } | undefined;
  private dirs: string[] = [];
  files = 0;

  constructor(
    /** Where a file named `name` (inside the sent directories `dirs`) lands. */
    private readonly target: (name: string, dirs: string[]) => string,
    private readonly maxFile: number,
    private readonly send: (b: Buffer) => void,
    private readonly onFile: (f: ScpFile) => void,
  ) {
    this.send(Buffer.from([0]));
  }

  get finished(): boolean {
    return this.state === "done";
  }

  data(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && this.state !== "done") {
      if (this.state === "data") {
        const n = Math.min(this.left, chunk.length - i);
        const part = chunk.subarray(i, i + n);
        const f = this.file!;
        f.hash.update(part);
        if (f.kept + n <= this.maxFile) {
          f.parts.push(Buffer.from(part));
          f.kept += n;
        } else f.kept = Number.POSITIVE_INFINITY;
        this.left -= n;
        i += n;
        if (this.left === 0) this.state = "end";
        continue;
      }
      if (this.state === "end") {
        i++; // the sender's zero byte after the data
        const f = this.file!;
        this.file = undefined;
        const out: ScpFile = { name: f.name, size: f.size, sha256: f.hash.digest("hex") };
        if (Number.isFinite(f.kept)) out.bytes = Buffer.concat(f.parts);
        this.onFile(out);
        this.send(Buffer.from([0]));
        this.state = "ctl";
        continue;
      }
      const nl = chunk.indexOf(10, i);
      const end = nl < 0 ? chunk.length : nl;
      this.ctl += chunk.toString("latin1", i, end);
      i = nl < 0 ? chunk.length : nl + 1;
      if (this.ctl.length > MAX_CONTROL) return void (this.state = "done");
      if (nl >= 0) this.control(this.ctl);
    }
  }

  private control(line: string): void {
    this.ctl = "";
    const kind = line[0];
    if (kind === "C") {
      const m = /^C[0-7]{4} (\d{1,15}) (.{1,255})$/.exec(line);
      if (!m || ++this.files > MAX_FILES) return void (this.state = "done");
      const name = this.target(m[2]!.replace(/\//g, "_"), this.dirs);
      this.file = { name, size: Number(m[1]), hash: createHash("sha256"), parts: [], kept: 0 };
      this.left = this.file.size;
      this.state = this.left === 0 ? "end" : "data";
      this.send(Buffer.from([0]));
    } else if (kind === "D") {
      const m = /^D[0-7]{4} \d+ (.{1,255})$/.exec(line);
      if (!m || this.dirs.length > 16) return void (this.state = "done");
      this.dirs.push(m[1]!.replace(/\//g, "_"));
      this.send(Buffer.from([0]));
    } else if (kind === "E") {
      this.dirs.pop();
      this.send(Buffer.from([0]));
    } else if (kind === "T") this.send(Buffer.from([0]));
    else this.state = "done";
  }
}
