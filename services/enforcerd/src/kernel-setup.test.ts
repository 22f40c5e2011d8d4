import { expect, test } from "bun:test";
import { enforcementFailure } from "./kernel-setup.ts";

const none = { kernel: undefined, interfaces: [], enforcement: "unavailable: bpf(BPF_PROG_LOAD): EPERM" };

test("enforce and lockdown without a loaded program are fatal, naming the reason", () => {
  expect(enforcementFailure("enforce", none)).toContain("EPERM");
  expect(enforcementFailure("lockdown", none)).toContain("lockdown");
});

test("test mode runs on without the kernel", () => {
  expect(enforcementFailure("test", none)).toBeUndefined();
});

test("a loaded program attached nowhere cannot enforce either", () => {
  const loaded = { kernel: {} as never, interfaces: [], enforcement: "unavailable: no interface configured and no default route found" };
  expect(enforcementFailure("enforce", loaded)).toContain("no interface");
  expect(enforcementFailure("enforce", { ...loaded, interfaces: [{ name: "eth0", mode: "generic" }], enforcement: "active" })).toBeUndefined();
});
