import { expect, test } from "bun:test";
import { checker } from "@honeymesh/schema/check";
import { TrapSession } from "@honeymesh/schema/trap";
import { hostileRecord } from "./session-fit.fixture.ts";
import { jsonBytes, MAX_SESSION_BYTES } from "./session-fit.ts";

const valid = checker(TrapSession);

test("a hostile session with a full shell capture still fits: command times shrink with the commands, the capture stays", () => {
  const rec = hostileRecord();
  const q = "\"\\".repeat(60);
  rec.shell = {
    indicators: { urls: Array.from({ length: 16 }, (_, i) => `http://h${i}.example/${q}`.padEnd(256, "x").slice(0, 256)), hosts: Array.from({ length: 16 }, (_, i) => `h${i}.${"a".repeat(240)}`) },
    persistence: Array.from({ length: 8 }, (_, i) => ({ kind: "crontab" as const, path: `/etc/cron.d/${i}${q}`.slice(0, 256), detail: q.repeat(2).slice(0, 256) })),
    files: Array.from({ length: 8 }, (_, i) => ({ sha256: "a".repeat(64), size: i, name: `/tmp/${q}`.slice(0, 256), via: "dropper" as const, stored: true })),
    transcript: "x.cast",
  };
  const s = rec.session();
  expect(jsonBytes(s)).toBeLessThanOrEqual(MAX_SESSION_BYTES);
  expect(valid.Check(s)).toBe(true);
  expect(s.command_at?.length).toBe(s.commands.length);
  expect(s.indicators?.urls).toHaveLength(16);
  expect(s.persistence).toHaveLength(8);
  expect(s.files).toHaveLength(8);
});
