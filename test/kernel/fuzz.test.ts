/**
 * BPF_PROG_TEST_RUN: parser edge cases (VLAN, IPv4 options, IPv6 extension
 * chains, fragments, truncation) and 10,000 random frames that must neither
 * crash nor be dropped when their source is not banned.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { kernelSkipReason } from "./harness.ts";
import { openTestProgram, XDP_DROP, XDP_PASS, type TestProgram } from "./test-program.ts";
import { eth, ipv4, ipv6, tcpSyn, optsBody, fragBody, frame, v6bytes, ETH_IP, ETH_IPV6, ETH_ARP, VLAN_8021Q, VLAN_8021AD } from "./frames.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/fuzz: ${skip}`);

const BANNED4 = [192, 0, 2, 66];
const BANNED6 = v6bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x66]);
const DST4 = [10, 0, 0, 1];
const DST6 = v6bytes([0xfd00, 0, 0, 0, 0, 0, 0, 1]);

describe.skipIf(!!skip)("XDP parser and fuzzing via BPF_PROG_TEST_RUN", () => {
  let tp: TestProgram;
  let k: KernelEnforcer;
  const run = (f: Uint8Array) => tp.run(f);

  beforeAll(() => {
    tp = openTestProgram((k) => {
      k.setMode("enforce");
      k.setScan(1000, 60);
      k.upsertBans([
        { address: "192.0.2.66", reasons: 8, expiresAtMs: 0 },
        { address: "2001:db8::66", reasons: 8, expiresAtMs: 0 },
        { address: "198.51.100.0/24", reasons: 64, expiresAtMs: 0 },
      ]);
    });
    k = tp.k;
  });

  afterAll(() => tp?.close());

  test("banned sources are found behind VLAN tags, IPv4 options and IPv6 extension chains", () => {
    const syn = tcpSyn(22);
    expect(run(frame(eth(ETH_IP), ipv4(BANNED4, DST4, 6, syn)))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP, [VLAN_8021Q]), ipv4(BANNED4, DST4, 6, syn)))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP, [VLAN_8021AD, VLAN_8021Q]), ipv4(BANNED4, DST4, 6, syn, { options: [0x94, 4, 0, 0, 1, 1, 1, 1] })))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP), ipv4([198, 51, 100, 7], DST4, 17, [])))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP), ipv4(BANNED4, DST4, 6, [], { fragOff: 100 })))).toBe(XDP_DROP);
    const chain = [{ type: 0, body: optsBody(0) }, { type: 60, body: optsBody(2) }, { type: 43, body: optsBody(1) }, { type: 44, body: fragBody(0, true) }];
    expect(run(frame(eth(ETH_IPV6, [VLAN_8021Q, VLAN_8021Q]), ipv6(BANNED6, DST6, 6, syn, chain)))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IPV6), ipv6(BANNED6, DST6, 6, [], [{ type: 44, body: fragBody(77, false) }])))).toBe(XDP_DROP);
    // Three VLAN tags exceed the parser's bound: passes, counted in its own slot (not as unparsed).
    const u0 = k.counters();
    expect(run(frame(eth(ETH_IP, [VLAN_8021Q, VLAN_8021Q, VLAN_8021Q]), ipv4(BANNED4, DST4, 6, syn)))).toBe(XDP_PASS);
    expect(run(frame(eth(ETH_ARP), new Array(28).fill(0)))).toBe(XDP_PASS);
    expect(k.counters().unparsedPassed - u0.unparsedPassed).toBe(1n);
    expect(k.counters().vlanDeep - u0.vlanDeep).toBe(1n);
  });

  test("SYNs behind IPv6 extension headers reach the scan tracker", () => {
    const s0 = k.counters().synSeen;
    const chain = [{ type: 0, body: optsBody(0) }, { type: 60, body: optsBody(0) }, { type: 44, body: fragBody(0, false) }];
    const src = v6bytes([0x2001, 0xdb8, 1, 0, 0, 0, 0, 5]);
    expect(run(frame(eth(ETH_IPV6, [VLAN_8021Q]), ipv6(src, DST6, 6, tcpSyn(80), chain)))).toBe(XDP_PASS);
    expect(run(frame(eth(ETH_IP), ipv4([203, 0, 113, 5], DST4, 6, tcpSyn(80), { options: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] })))).toBe(XDP_PASS);
    expect(k.counters().synSeen - s0).toBe(2n);
  });

  test("allowlisted sources never make scan events; others make exactly one", () => {
    k.setScan(5, 60);
    k.allowAdd(["203.0.113.77"]);
    const events: string[] = [];
    k.pollScanEvents((e) => events.push(e.src));
    for (const src of [[203, 0, 113, 77], [203, 0, 113, 78]])
      for (let port = 1; port <= 20; port++) expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSyn(port))))).toBe(XDP_PASS);
    k.pollScanEvents((e) => events.push(e.src));
    expect(events).toEqual(["203.0.113.78"]);
    k.allowRemove(["203.0.113.77"]);
  });

  test("10,000 random frames: no crash, nothing dropped but evasive fragments / header chains", () => {
    let seed = 0x5eed1234;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const bytes = (n: number) => Array.from({ length: n }, () => rnd(256));
    // Random sources never in 192.0.2.66 / 198.51.100.0/24 / 2001:db8::66.
    const src4 = () => [1 + rnd(180), rnd(256), rnd(256), rnd(256)];
    const src6 = () => [0x20, 0x02, ...bytes(14)];
    const extTypes = [0, 43, 44, 51, 60, 6, 17, 58, 59];
    const dropped: string[] = [];
    const c0 = k.counters();
    for (let i = 0; i < 10_000; i++) {
      let f: number[];
      const kind = i % 4;
      if (kind === 0) {
        f = bytes(14 + rnd(1500));
        if (f[12] === 0x81 || f[12] === 0x88 || f[12] === 0x86 || f[12] === 0x08) f[12] = 0x12; // random ethertype, but not a banned source by luck
      } else if (kind === 1) {
        const ihl = 5 + rnd(11);
        const ip = [0x40 | ihl, ...bytes(11), ...src4(), ...bytes(4 + (ihl - 5) * 4), ...bytes(rnd(80))];
        f = [...eth(ETH_IP, rnd(3) === 0 ? [VLAN_8021Q] : rnd(2) ? [VLAN_8021AD, VLAN_8021Q] : []), ...ip.slice(0, 1 + rnd(ip.length))];
      } else {
        const chain = Array.from({ length: rnd(8) }, () => extTypes[rnd(extTypes.length)]!);
        const ext = chain.flatMap((t) => [extTypes[rnd(extTypes.length)]!, rnd(4), ...bytes(6 + (t === 44 ? 0 : rnd(3) * 8))]);
        const ip6 = [0x60, ...bytes(5), chain[0] ?? 6, 64, ...src6(), ...bytes(16), ...ext, ...bytes(rnd(64))];
        f = [...eth(ETH_IPV6, rnd(2) ? [VLAN_8021Q] : []), ...ip6.slice(0, kind === 3 ? 1 + rnd(ip6.length) : ip6.length)];
      }
      const r = run(frame(f));
      if (r !== XDP_PASS) dropped.push(`${i}: retval ${r} ${Buffer.from(f.slice(0, 64)).toString("hex")}`);
    }
    const c = k.counters();
    // The only drops of unbanned sources are the evasion classes (random IPv4 TCP fragments,
    // random IPv6 chains past the walk), each counted in its slot.
    const evasive = c.v4FragEvasion - c0.v4FragEvasion + (c.v6L4Hidden - c0.v6L4Hidden);
    expect(dropped.every((d) => d.includes("retval 1 "))).toBe(true);
    expect(BigInt(dropped.length)).toBe(evasive);
    expect(c.dropped - c0.dropped).toBe(evasive);
    expect(Object.values(c.droppedByReason).reduce((a, b) => a + b, 0n)).toBe(Object.values(c0.droppedByReason).reduce((a, b) => a + b, 0n));
    expect(dropped.length).toBeLessThan(2_000);
    expect(c.unparsedPassed).toBeGreaterThan(1000n);
    expect(c.passed).toBeGreaterThan(10_000n);
  });

  test("10,000 random frames from banned sources are all dropped", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const payload = () => Array.from({ length: rnd(200) }, () => rnd(256));
    let drops = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = i % 2
        ? frame(eth(ETH_IP, rnd(2) ? [VLAN_8021Q] : []), ipv4(rnd(2) ? BANNED4 : [198, 51, 100, rnd(256)], DST4, rnd(256), payload()))
        : frame(eth(ETH_IPV6), ipv6(BANNED6, DST6, rnd(256), payload(), rnd(2) ? [{ type: 60, body: optsBody(rnd(3)) }] : []));
      if (run(f) === XDP_DROP) drops++;
    }
    expect(drops).toBe(10_000);
  });
});
