import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import { F2bFilterError } from "@honeymesh/f2b-filter/errors";
import type { Filter } from "@honeymesh/f2b-filter/filter";
import { CliError } from "../errors.ts";

export const REGEX_USAGE = "usage: honeymesh regex <logfile|line> <filter|failregex> [--json] [--print-all-missed]";

interface Entry {
  line: number;
  host?: string;
  time?: string;
}

/**
 * `honeymesh regex`: fail2ban-regex's job. The filter is a built-in name (`sshd`,
 * `sshd[mode=aggressive]`), a name from /etc/fail2ban/filter.d, a path to a `.conf`, or a bare
 * failregex containing <HOST>. Lines are counted as matched (a failure with an address or id),
 * ignored (ignoreregex) or missed (everything else, including Fail2Ban's "nofail" matches).
 */
export async function regexCommand(positionals: readonly string[], json: boolean, printAllMissed: boolean): Promise<number> {
  const [input, spec] = positionals;
  if (!input || !spec || positionals.length > 2) throw new CliError("USAGE", REGEX_USAGE);
  let filter: Filter;
  try {
    filter = openFilter(spec);
  } catch (e) {
    if (e instanceof F2bFilterError) throw new CliError("USAGE", e.message);
    throw e;
  }
  const matched: Entry[] = [];
  const ignored: Entry[] = [];
  const missed: Entry[] = [];
  const missedText: string[] = [];
  let n = 0;
  const handle = (line: string) => {
    n++;
    const v = filter.processLine(line);
    if (v.kind === "failure") {
      const e: Entry = { line: n, host: v.id };
      if (v.time !== null) e.time = new Date(v.time).toISOString();
      matched.push(e);
    } else if (v.kind === "ignored") ignored.push({ line: n });
    else {
      missed.push({ line: n });
      if (printAllMissed) missedText.push(line);
    }
  };
  if (existsSync(input) && statSync(input).isFile()) await eachLine(input, handle);
  else handle(input);
  if (json) {
    process.stdout.write(`${JSON.stringify({ matched, ignored, missed })}\n`);
    return 0;
  }
  const hosts = new Map<string, number>();
  for (const m of matched) hosts.set(m.host ?? "", (hosts.get(m.host ?? "") ?? 0) + 1);
  const out = [
    `Lines: ${n}, matched: ${matched.length}, ignored: ${ignored.length}, missed: ${missed.length}`,
    ...[...hosts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([h, c]) => `  ${h}  ${c}`),
  ];
  if (printAllMissed && missedText.length) out.push("Missed lines:", ...missedText.map((l) => `  ${l}`));
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

function openFilter(spec: string): Filter {
  if (spec.includes("<HOST>") || spec.includes("<ADDR>") || spec.includes("<F-ID>")) {
    // a bare failregex, as fail2ban-regex accepts: wrap it in a one-line filter file
    const dir = mkdtempSync(join(tmpdir(), "hm-regex-"));
    try {
      const file = join(dir, "cmdline.conf");
      writeFileSync(file, `[Definition]\nfailregex = ${spec.replace(/\n/g, "\n  ")}\n`);
      return loadFilter(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return loadFilter(spec);
}

/** Reads a file line by line without holding it whole; lines over 64 KiB are cut. */
async function eachLine(path: string, fn: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of Bun.file(path).stream()) {
    rest += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = rest.indexOf("\n")) >= 0) {
      fn(rest.slice(0, i).replace(/\r$/, "").slice(0, 65536));
      rest = rest.slice(i + 1);
    }
    if (rest.length > 65536) rest = rest.slice(0, 65536);
  }
  if (rest) fn(rest);
}
