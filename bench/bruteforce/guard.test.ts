import { expect, test } from "bun:test";
import { guardSupport, guardToml } from "./guard.ts";

test("the [guard] section is written with the config's key names", () => {
  expect(guardToml({ ports: [22, 2222], maxNewPerMin: 3 })).toBe("[guard]\nports = [22, 2222]\nmax_new_per_min = 3\n");
});

test("guardSupport asks the real config parser: accepted, or refused with a reason naming the section", () => {
  const g = guardSupport({ ports: [22], maxNewPerMin: 3 });
  if (!g.ok) expect(g.reason).toMatch(/guard/);
  // a setting no build accepts is refused either way, so the check cannot pass by never parsing
  const bad = guardSupport({ ports: [22], maxNewPerMin: Number.NaN });
  expect(bad.ok).toBe(false);
});
