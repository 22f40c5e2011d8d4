import { expect, test } from "bun:test";
import type { AttackResult } from "./attack.ts";
import { everyRound, median, table, type Row } from "./report.ts";

const run = (failedPasswords: number, dropMs: number | null): AttackResult => ({ failedPasswords, filterFailures: failedPasswords, maxretryLineNs: 0, dropped: dropMs !== null, dropMs, sinceStartMs: dropMs === null ? null : dropMs + 1000, resolutionMs: 2, bystanderOk: true, attackerBlocked: dropMs !== null });

test("median of odd and even samples; NaN for none", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});

test("everyRound pairs round i with round i, and an empty or shorter side is not a pass", () => {
  const hm: Row = { name: "hm", runs: [run(8, 30), run(9, 40)] };
  const f2b: Row = { name: "f2b", runs: [run(8, 150), run(10, 160)] };
  expect(everyRound(hm, f2b, (x, y) => x.failedPasswords <= y.failedPasswords)).toBe(true);
  expect(everyRound(hm, f2b, (x, y) => x.failedPasswords < y.failedPasswords)).toBe(false);
  expect(everyRound({ name: "none", runs: [] }, f2b, () => true)).toBe(false);
  expect(everyRound(hm, { name: "short", runs: [run(8, 1)] }, () => true)).toBe(false);
});

test("the table's ratio is Fail2Ban's median time over the contender's, and a never-dropped run is said", () => {
  const hm: Row = { name: "hm", runs: [run(8, 10), run(8, 30), run(8, null)] };
  const f2b: Row = { name: "f2b", runs: [run(8, 100), run(8, 200), run(8, 300)] };
  const [, hmLine, f2bLine] = table([hm, f2b], f2b);
  expect(hmLine).toContain("10.0×"); // 200 / median(10, 30) = 200 / 20
  expect(hmLine).toContain("1 never dropped");
  expect(f2bLine).toContain("1×");
});
