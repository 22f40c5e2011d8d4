import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scoreAll, scoreFilter } from "./samples.ts";

// Debian's fail2ban package (scripts/setup.sh --test) brings the filters and Fail2Ban's own
// annotated sample logs.
const FILTERS = "/etc/fail2ban/filter.d";
const LOGS = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";
const have = existsSync(FILTERS) && existsSync(LOGS);

describe.skipIf(!have)("Fail2Ban's sample logs through Debian's filter.d", () => {
  test("every filter loads and ≥ 95 % of annotated lines agree with Fail2Ban's expectations", () => {
    // Fail2Ban's tests run in CET/CEST (tests/utils.py); the expected times are that wall clock
    const tz = process.env.TZ;
    process.env.TZ = "Europe/Zurich";
    let scores: ReturnType<typeof scoreAll>;
    try {
      scores = scoreAll(FILTERS, LOGS);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    let annotated = 0;
    let agreed = 0;
    let timed = 0;
    let timeAgreed = 0;
    const lines: string[] = [];
    for (const s of scores) {
      annotated += s.annotated;
      agreed += s.agreed;
      timed += s.timed;
      timeAgreed += s.timeAgreed;
      const pct = s.annotated ? ((100 * s.agreed) / s.annotated).toFixed(1) : "-";
      lines.push(`${s.filter.padEnd(22)} ${String(s.agreed).padStart(4)}/${String(s.annotated).padEnd(4)} ${pct}%${s.refused ? `  REFUSED: ${s.refused}` : ""}${s.firstDisagreement ? `  first miss: ${s.firstDisagreement}` : ""}`);
    }
    const share = agreed / annotated;
    const figure = `${(100 * share).toFixed(2)} % (${agreed}/${annotated} annotated lines, ${scores.length} filters)`;
    const timeShare = timeAgreed / timed;
    console.log(
      `${lines.join("\n")}\noverall ${figure} ${share >= 0.95 ? "goal ≥ 95 % met" : "NOT MET (goal ≥ 95 %)"}\n` +
        `times: ${(100 * timeShare).toFixed(2)} % of matched lines with an expected time got exactly that time (${timeAgreed}/${timed})`,
    );
    expect(annotated).toBeGreaterThan(1000);
    expect(scores.filter((s) => s.refused)).toEqual([]);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(timeShare).toBeGreaterThanOrEqual(0.95);
  });

  test("the scoring can fail: a filter that matches everything disagrees on the no-match lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "f2b-score-"));
    writeFileSync(join(dir, "sshd.conf"), "[Definition]\nfailregex = <HOST>\n");
    const s = scoreFilter(dir, LOGS, "sshd");
    expect(s.annotated).toBeGreaterThan(100);
    expect(s.agreed).toBeLessThan(s.annotated * 0.8);
  });
});
