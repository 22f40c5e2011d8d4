import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transcript } from "./transcript.ts";
import { pruneTranscripts } from "./transcript-prune.ts";
import { Quarantine } from "./quarantine.ts";

test("an asciinema v2 transcript: header, events, bounded with a marker of what was dropped", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-cast-"));
  try {
    const t = new Transcript(300, Date.now(), { width: 100, height: 30, title: "ssh 192.0.2.1" });
    t.output("root@h:~# ");
    t.input("uname\n");
    for (let i = 0; i < 50; i++) t.output("Linux\r\n");
    const lines = readFileSync(join(dir, t.save(dir, "abc-1")!), "utf8").trim().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 2, width: 100, height: 30 });
    expect(JSON.parse(lines[1]!)[1]).toBe("o");
    expect(JSON.parse(lines[2]!).slice(1)).toEqual(["i", "uname\n"]);
    expect(lines.join("\n").length).toBeLessThan(300 + 400);
    expect(JSON.parse(lines[lines.length - 1]!)[1]).toBe("m");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("transcripts are pruned by age and by count", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-cast-"));
  try {
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, `s${i}.cast`), "{}\n");
      utimesSync(join(dir, `s${i}.cast`), new Date(Date.now() - i * 1000), new Date(Date.now() - i * 1000));
    }
    expect(pruneTranscripts(dir, 3500, 10)).toBe(1);
    expect(pruneTranscripts(dir, 60_000, 2)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(["s0.cast", "s1.cast"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("quarantine: content-named, read-only, deduplicated, capped per file and in all", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-q-"));
  try {
    const q = new Quarantine(join(dir, "q"), 10, 15);
    const a = q.keep(Buffer.from("12345678"));
    expect(a).toMatchObject({ size: 8, stored: true });
    expect(q.keep(Buffer.from("12345678")).stored).toBe(true);
    expect(q.keep(Buffer.from("too long for it")).stored).toBe(false);
    expect(q.keep(Buffer.from("abcdefgh")).stored).toBe(false); // 8 + 8 > 15
    expect(readdirSync(join(dir, "q"))).toEqual([a.sha256]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
