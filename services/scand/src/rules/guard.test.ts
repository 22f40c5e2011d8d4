import { expect, test } from "bun:test";
import { REASONS } from "@honeymesh/ban/reasons";
import { guardFinding } from "./guard.ts";

test("a guard report is BRUTEFORCE with evidence naming the port, the count and the window", () => {
  const f = guardFinding({ src: "198.51.100.7", port: 22, connections: 21, window_s: 60, at: 1 });
  expect(f.reasons).toBe(REASONS.BRUTEFORCE);
  expect(f.confidence).toBeUndefined(); // verified: the handshakes completed
  expect(f.evidence).toEqual({ kind: "guard", summary: "guard: 21 connections to port 22 in 60 s", ports: [22], count: 21, window_s: 60 });
});
