import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { F2bFilterError } from "./errors.ts";
import { Filter } from "./filter.ts";
import { readFilter } from "./reader.ts";

/**
 * Runs Fail2Ban's own annotated sample logs (tests/files/logs/<filter>, the `# failJSON:` lines)
 * through our reading of the filter, the way fail2ban/tests/samplestestcase.py does, and scores
 * per filter the share of annotated lines whose outcome (match or not, and the host) agrees.
 */
export interface SampleScore {
  filter: string;
  annotated: number;
  agreed: number;
  refused?: string;
  firstDisagreement?: string;
  /** matched lines that carry an expected `time`, and those whose detected time equals it (local time, run with TZ=Europe/Zurich as Fail2Ban's tests do). */
  timed: number;
  timeAgreed: number;
  firstTimeDisagreement?: string;
}

const TEST_NOW = 1124013600_000; // fail2ban's TEST_NOW: 2005-08-14T10:00:00Z

export function scoreFilter(filterDir: string, logsDir: string, name: string): SampleScore {
  const score: SampleScore = { filter: name, annotated: 0, agreed: 0, timed: 0, timeAgreed: 0 };
  const file = join(filterDir, `${name}.conf`);
  const cache = new Map<string, Filter>();
  const get = (opts: Record<string, string>): Filter => {
    const key = JSON.stringify(opts);
    let f = cache.get(key);
    if (!f) {
      f = new Filter(readFilter(file, { options: opts }));
      cache.set(key, f);
    }
    return f;
  };
  try {
    get({});
  } catch (e) {
    score.refused = e instanceof F2bFilterError ? e.message : String(e);
    return score;
  }
  const logFiles = [name];
  let tests: { opts: Record<string, unknown> }[] | null = null;
  let common: Record<string, unknown> = {};
  for (let fi = 0; fi < logFiles.length; fi++) {
    const path = join(logsDir, logFiles[fi]!);
    if (!existsSync(path)) continue;
    // Python reads with universal newlines: CRLF sample files are read as LF
    const lines = readFileSync(path, "utf8").replace(/\r\n?/g, "\n").split("\n");
    let ignoreBlock = false;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      let faildata: Record<string, unknown> | null = null;
      const jm = /^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$/.exec(line);
      if (jm) {
        let data: unknown;
        try {
          data = JSON.parse(jm[2]!);
        } catch {
          continue;
        }
        if (jm[1] === "fileOptions") {
          common = data as Record<string, unknown>;
          continue;
        }
        if (jm[1] === "filterOptions") {
          tests = [];
          ignoreBlock = false;
          for (const d of Array.isArray(data) ? data : [data]) {
            const opts = { ...common, ...(d as Record<string, unknown>) };
            if (typeof opts["test.condition"] === "string") ignoreBlock = !/version_info\s*>=\s*\(3/.test(opts["test.condition"] as string);
            if (!ignoreBlock) tests.push({ opts });
          }
          continue;
        }
        if (jm[1] === "addFILE") {
          logFiles.push(String(data));
          continue;
        }
        faildata = data as Record<string, unknown>;
        i++;
        line = lines[i] ?? "";
      } else if (ignoreBlock || line.startsWith("#") || !line.trim()) continue;
      if (ignoreBlock) continue;
      if (!tests) tests = [{ opts: {} }];
      line = line.replace(/\r$/, "");
      for (const t of tests) {
        if (faildata?.constraint) continue;
        const fopts: Record<string, string> = {};
        for (const [k, v] of Object.entries(t.opts)) if (!k.startsWith("test.")) fopts[k] = String(v);
        let flt: Filter;
        try {
          flt = get(fopts);
        } catch (e) {
          if (faildata) {
            score.annotated++;
            score.firstDisagreement ??= `options ${JSON.stringify(fopts)}: ${(e as Error).message}`;
          }
          continue;
        }
        const journal = fopts.logtype === "journal";
        const input = journal ? `${String(t.opts["test.prefix-line"] ?? "")}${line}` : line;
        const v = flt.processLine(input, journal ? { time: TEST_NOW, now: TEST_NOW } : { now: TEST_NOW });
        if (!faildata) continue;
        score.annotated++;
        const want = faildata.match === true;
        const got = v.kind === "failure";
        let ok = want === got;
        if (ok && got && faildata.host !== undefined && faildata.host !== null) {
          ok = sameHost(String(faildata.host), v.id);
        }
        if (ok && got && typeof faildata.time === "string" && v.kind === "failure") {
          score.timed++;
          const want = localTime(faildata.time);
          // without a fraction in the expectation, the second is what is compared
          const have = v.time === null ? Number.NaN : faildata.time.includes(".") ? v.time : Math.floor(v.time / 1000) * 1000;
          if (Math.abs(have - want) < 1) score.timeAgreed++;
          else score.firstTimeDisagreement ??= `${logFiles[fi]}:${i + 1} want ${faildata.time}, got ${v.time === null ? "none" : new Date(v.time).toString()}`;
        }
        if (ok) score.agreed++;
        else score.firstDisagreement ??= `${logFiles[fi]}:${i + 1} want ${want ? `match ${faildata.host}` : "no match"}, got ${v.kind}${v.kind === "failure" ? ` ${v.id}` : ""}: ${line.slice(0, 160)}`;
      }
    }
  }
  return score;
}

/** `2005-08-14T10:00:00(.ffffff)` as local wall-clock time → epoch ms. */
function localTime(s: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(s);
  if (!m) return Number.NaN;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms).getTime();
}

function sameHost(want: string, got: string): boolean {
  return want === got || want.toLowerCase() === got.toLowerCase().replace(/^::ffff:/, "");
}

export function scoreAll(filterDir: string, logsDir: string): SampleScore[] {
  return readdirSync(filterDir)
    // include-only files (common.conf, *-common.conf) have no failregex of their own; Fail2Ban's test skips them too
    .filter((f) => f.endsWith(".conf") && !f.endsWith("common.conf"))
    .map((f) => f.slice(0, -5))
    .sort()
    .map((n) => scoreFilter(filterDir, logsDir, n));
}
