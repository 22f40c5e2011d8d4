import { afterAll, expect, test } from "bun:test";
import { setTimeZone } from "bun:jsc";
import { DateDetector } from "./date.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const original = Intl.DateTimeFormat().resolvedOptions().timeZone;
afterAll(() => setTimeZone(original));

test("syslog dates: the remembered minute gives what Date gives, across a DST change and out-of-range fields", () => {
  // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 (02:xx happens twice), Lord Howe
  // moves by 30 minutes: the minute cache must agree with Date for every line.
  for (const tz of ["Europe/Berlin", "Australia/Lord_Howe", "UTC"]) {
    setTimeZone(tz);
    const d = new DateDetector(null);
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const cases: [number, number, number, number, number][] = [];
    for (let day = 24; day <= 26; day++) for (let h = 0; h < 24; h++) for (const m of [0, 29, 30, 59]) cases.push([9, day, h, m, (h * 7 + m) % 61]);
    cases.push([1, 30, 10, 0, 0], [3, 31, 23, 59, 60], [9, 4, 1, 30, 0]);
    for (const [mo, day, h, m, s] of cases) {
      const line = `${MONTHS[mo]} ${String(day).padStart(2, " ")} ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")} host sshd[1]: x`;
      const want = new Date(2026, mo, day, h, m, s, 0).getTime();
      expect(`${tz} ${line} ${d.match(line, now)?.time}`).toBe(`${tz} ${line} ${want}`);
    }
  }
});
