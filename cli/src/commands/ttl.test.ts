import { expect, test } from "bun:test";
import { CliError } from "../errors.ts";
import { parseTtl } from "./ttl.ts";

test("--ttl takes seconds, units, permanent, and Fail2Ban's -1", () => {
  expect(parseTtl("600")).toBe(600);
  expect(parseTtl("90m")).toBe(5400);
  expect(parseTtl("24h")).toBe(86400);
  expect(parseTtl("7d")).toBe(604800);
  expect(parseTtl("permanent")).toBe(0);
  expect(parseTtl("-1")).toBe(0);
  expect(() => parseTtl("soon")).toThrow(CliError);
  expect(() => parseTtl("99999w")).toThrow(CliError);
});
