/**
 * The binding against the real kernel (root only; skips with a reason
 * otherwise). Uses HoneyMesh's object for real maps; attaches nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { bpfAvailability } from "./availability.ts";
import { BpfError } from "./errors.ts";
import { bootTimeNs, clockNs, CLOCK_REALTIME, ifIndexToName, ifNameToIndex } from "./libc.ts";
import { BpfMap, BPF_NOEXIST } from "./map.ts";
import { deleteBatch, lookupBatch, updateBatch } from "./map-batch.ts";
import { BpfObject } from "./object.ts";
import { testRun } from "./test-run.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const OBJECT = join(ROOT, "bpf/build/honeymesh.bpf.o");
const avail = process.getuid?.() !== 0 ? { ok: false as const, reason: "not root" } : bpfAvailability();
if (avail.ok && !existsSync(OBJECT)) Bun.spawnSync(["make", "-C", join(ROOT, "bpf")]);
const skip = avail.ok ? undefined : avail.reason;
if (skip) console.warn(`SKIP packages/bpf binding: ${skip}`);

const u32key = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);

test("libc helpers", () => {
  expect(ifNameToIndex("lo")).toBe(1);
  expect(ifIndexToName(1)).toBe("lo");
  expect(ifNameToIndex("hm-no-such-if")).toBe(0);
  const a = bootTimeNs();
  const b = bootTimeNs();
  expect(b).toBeGreaterThanOrEqual(a);
  expect(clockNs(CLOCK_REALTIME) / 1_000_000n - BigInt(Date.now())).toBeLessThan(1000n);
});

describe.skipIf(!!skip)("libbpf binding", () => {
  let pinRoot: string;
  let obj: BpfObject;

  beforeAll(() => {
    pinRoot = `/sys/fs/bpf/hm-test-${randomBytes(3).toString("hex")}`;
    mkdirSync(pinRoot);
    obj = BpfObject.open(OBJECT, { pinRoot }).load();
  });

  afterAll(() => {
    obj?.close();
    rmSync(pinRoot, { recursive: true, force: true });
  });

  test("BpfError carries a literal code, errno and a sentence", () => {
    let err: unknown;
    try {
      BpfObject.open("/nonexistent.bpf.o");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfError);
    expect(err).toMatchObject({ code: "ENOENT", errno: 2 });
    expect((err as Error).message).toContain("/nonexistent.bpf.o");
    expect(() => obj.map("nope")).toThrow(expect.objectContaining({ code: "NO_SUCH_MAP" }));
    expect(() => BpfMap.openPinned(`${pinRoot}/nope`)).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  test("map CRUD, NOEXIST, next_key iteration", () => {
    const m = obj.map("hm_ban_v4");
    expect(m.info).toMatchObject({ keySize: 4, valueSize: 16, name: "hm_ban_v4" });
    const v = new Uint8Array(16).fill(7);
    expect(m.lookup(u32key(1))).toBeUndefined();
    m.update(u32key(1), v);
    expect(() => m.update(u32key(1), v, BPF_NOEXIST)).toThrow(expect.objectContaining({ code: "EEXIST", errno: 17 }));
    expect(m.lookup(u32key(1))).toEqual(v);
    m.update(u32key(2), v);
    expect([...m.keys()].length).toBe(2);
    expect(m.delete(u32key(1))).toBe(true);
    expect(m.delete(u32key(1))).toBe(false);
    expect(m.delete(u32key(2))).toBe(true);
    expect(m.nextKey(null)).toBeUndefined();
  });

  test("batch update, lookup and delete (absent keys skipped)", () => {
    const m = obj.map("hm_ban_v6");
    const n = 20_000;
    const keys = new Uint8Array(n * 16);
    const values = new Uint8Array(n * 16);
    for (let i = 0; i < n; i++) {
      new DataView(keys.buffer).setUint32(i * 16 + 12, i);
      new DataView(values.buffer).setUint32(i * 16, i, true);
    }
    updateBatch(m, keys, values, n);
    let seen = 0;
    for (const c of lookupBatch(m, 1024)) {
      for (let i = 0; i < c.count; i++) {
        const k = new DataView(c.keys.buffer).getUint32(i * 16 + 12);
        expect(new DataView(c.values.buffer).getUint32(i * 16, true)).toBe(k);
      }
      seen += c.count;
    }
    expect(seen).toBe(n);
    // Remove the first 100 singly, then batch-delete all n: 100 absent keys are skipped.
    for (let i = 0; i < 100; i++) m.delete(keys.subarray(i * 16, i * 16 + 16));
    expect(deleteBatch(m, keys, n)).toBe(n - 100);
    expect(m.nextKey(null)).toBeUndefined();
  });

  test("per-CPU values span every possible CPU", () => {
    const c = obj.map("hm_counters");
    expect(c.perCpu).toBe(true);
    expect(c.lookup(u32key(0))!.length).toBe(c.valueBytes);
  });

  test("BPF_PROG_TEST_RUN returns the verdict and a duration", () => {
    const frame = new Uint8Array(64); // all-zero ethertype: not IP, passes
    const r = testRun(obj.programFd("hm_xdp"), { data: frame, repeat: 1000, dataOut: true });
    expect(r.retval).toBe(2);
    expect(r.durationNs).toBeGreaterThan(0);
    expect(r.dataOut).toEqual(frame);
    expect(() => testRun(obj.programFd("hm_xdp"), { data: new Uint8Array(4) })).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});
