import type { Command } from "./parser.ts";

interface IfFrame {
  outer: boolean;
  mode: "cond" | "branch";
  taken: boolean;
  active: boolean;
}

const KEYWORDS = new Set(["if", "then", "elif", "else", "fi", "do", "done", "for", "while", "until", "case", "esac"]);

/** The reserved word a command starts with (unquoted, alone), if any. */
export function keywordOf(c: Command): string | undefined {
  const w = c.words[0];
  if (!w || w.length !== 1) return undefined;
  const part = w[0]!;
  return "lit" in part && !part.quoted && KEYWORDS.has(part.lit) ? part.lit : undefined;
}

/**
 * if/then/elif/else/fi as a small state machine over the flat list of a line (the parser does not
 * build compound commands); loop words are skipped, so a loop's body runs once. Bounded nesting.
 */
export class IfStack {
  private readonly frames: IfFrame[] = [];

  active(): boolean {
    const f = this.frames[this.frames.length - 1];
    return !f || (f.mode === "cond" ? f.outer : f.active);
  }

  /** A keyword, given the status of the last command run (the condition's). */
  control(k: string, status: number): void {
    const f = this.frames[this.frames.length - 1];
    switch (k) {
      case "if":
        if (this.frames.length < 32) this.frames.push({ outer: this.active(), mode: "cond", taken: false, active: false });
        break;
      case "then":
        if (f) {
          f.active = f.outer && !f.taken && f.mode === "cond" && status === 0;
          f.taken ||= f.active;
          f.mode = "branch";
        }
        break;
      case "elif":
        if (f) {
          f.mode = "cond";
          f.outer = f.outer && !f.taken;
        }
        break;
      case "else":
        if (f) {
          f.active = f.outer && !f.taken;
          f.taken = true;
          f.mode = "branch";
        }
        break;
      case "fi":
        this.frames.pop();
        break;
    }
  }
}
